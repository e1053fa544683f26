"""Property tests: whatever the data, config, settings or command line, a
run of ftlint ends with exit 0, 1 or 2, never an internal error, and never
changes its inputs (see :mod:`tests.fuzz.harness`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import SPECIAL_KINDS, fixture_folder, run_ftlint, snapshot, without_debug
from tests.fuzz.strategies import command_lines, config_files, dataset_files, settings_files

_ALL = ("--select", "ALL", "--no-cache", "--jobs", "1", "--no-progress")


_SPECIAL = st.dictionaries(
    st.sampled_from(["odd.jsonl", "odd.json", "odd.yaml", "odd"]), st.sampled_from(SPECIAL_KINDS)
)


@given(dataset_files(), st.sampled_from(["text", "json", "sarif", "github"]), _SPECIAL)
def test_any_dataset(files: dict[str, bytes], output_format: str, special: dict[str, str]) -> None:
    without_debug()
    with fixture_folder(files, special) as root:
        run_ftlint(root, "check", ".", *_ALL, "--output-format", output_format)


@given(config_files(), dataset_files())
def test_any_config(config: tuple[str, bytes], data: dict[str, bytes]) -> None:
    without_debug()
    name, text = config
    with fixture_folder({name: text, **data}) as root:
        run_ftlint(root, "check", ".", *_ALL)
        run_ftlint(root, "check", name, *_ALL, "--diff")


@given(config_files())
def test_fix_any_config_in_one_pass(config: tuple[str, bytes]) -> None:
    """``--fix`` leaves a config that still parses, and a second ``--fix``
    has nothing left to do."""
    without_debug()
    name, text = config
    with fixture_folder({name: text}) as root:
        first = run_ftlint(root, "check", name, *_ALL, "--fix", fixing=True)
        fixed = snapshot(root)
        run_ftlint(root, "check", name, *_ALL, "--fix", fixing=True)
        assert snapshot(root) == fixed, first.err
        assert "not fixed: the fixed file would not parse" not in first.err


@given(settings_files())
def test_any_settings(settings: tuple[str, bytes]) -> None:
    without_debug()
    name, text = settings
    files = {name: text, "train.jsonl": b'{"text": "hello"}\n'}
    with fixture_folder(files) as root:
        outcome = run_ftlint(root, "check", ".", "--no-cache", "--jobs", "1")
        if b"\xff" in text or b"\xe9" in text:
            assert outcome.status == 2
            assert name in outcome.err


@given(command_lines())
def test_any_command_line(args: list[str]) -> None:
    without_debug()
    files = {
        "train.jsonl": b'{"text": "hello"}\n{"text": "hello"}\n',
        "notes.txt": b"notes\n",
        "sub/valid.jsonl": b'{"prompt": "a", "completion": "b"}\n',
    }
    with fixture_folder(files) as root:
        run_ftlint(root, *args)
