"""Property tests: whatever the data, config, settings or command line, a
run of ftlint ends with exit 0, 1 or 2, never an internal error, and never
changes its inputs (see :mod:`tests.fuzz.harness`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import fixture_folder, run_ftlint, without_debug
from tests.fuzz.strategies import command_lines, config_files, dataset_files, settings_files

_ALL = ("--select", "ALL", "--no-cache", "--jobs", "1", "--no-progress")


@given(dataset_files(), st.sampled_from(["text", "json", "sarif", "github"]))
def test_any_dataset(files: dict[str, bytes], output_format: str) -> None:
    without_debug()
    with fixture_folder(files) as root:
        run_ftlint(root, "check", ".", *_ALL, "--output-format", output_format)


@given(config_files(), dataset_files())
def test_any_config(config: tuple[str, bytes], data: dict[str, bytes]) -> None:
    without_debug()
    name, text = config
    with fixture_folder({name: text, **data}) as root:
        run_ftlint(root, "check", ".", *_ALL)
        run_ftlint(root, "check", name, *_ALL, "--diff")


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
