"""Never down: one bad record, file, config, setting or output never takes
the run with it (issue 12). Each test makes its own small fixture; the
property tests over generated inputs are in ``tests/fuzz/``."""

from __future__ import annotations

import itertools
import json
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from ftlint.configs.yaml_compat import scalar_differences
from ftlint.core.machine import available_cores
from ftlint.readers.positions import locate_pointer
from ftlint.run.cache import FORMAT, OutcomeCache
from ftlint.settings.schema import TokenSettings
from ftlint.text.tokens import PIECE_CHARS, TokenCounter
from tests.conftest import RunCli, write_jsonl

_CHAT = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]}


def _check(run_cli: RunCli, folder: Path, *args: str) -> tuple[int, str, str]:
    return run_cli("check", *args, "--no-cache", "--output-format", "concise", cwd=folder)


# --- 1. A record is data, never a crash -------------------------------------------


def test_lone_surrogates_anywhere_are_findings(run_cli: RunCli, tmp_path: Path) -> None:
    lines = [
        '{"messages": [{"role": "user", "content": "a\\ud800"}, '
        '{"role": "assistant", "content": "", "tool_calls": [{"id": "\\udfff", "type": '
        '"function", "function": {"name": "f", "arguments": "{}"}}]}]}',
        '{"text": "\\ud800 same"}',
        '{"text": "\\ud800 same"}',
        '{"\\ud800key": 1, "prompt": "p", "completion": "\\udc00"}',
    ]
    (tmp_path / "train.jsonl").write_text("\n".join(lines) + "\n")
    status, out, err = _check(run_cli, tmp_path, ".", "--select", "ALL")
    assert status in (0, 1)
    assert err == ""
    assert "train.jsonl:1:" in out
    assert "N002" in out
    assert "train.jsonl:3:1: D001" in out  # and the records are still compared


def test_a_role_that_is_a_list_or_an_object_is_a_finding(run_cli: RunCli, tmp_path: Path) -> None:
    records = [
        {"messages": [{"role": ["user"], "content": "Hi"}, {"role": "assistant", "content": "x"}]},
        {"messages": [{"role": {"a": 1}, "content": "Hi"}, {"role": "assistant", "content": "x"}]},
    ]
    write_jsonl(tmp_path / "train.jsonl", records)
    status, out, err = _check(run_cli, tmp_path, ".", "--select", "S007")
    assert status == 1
    assert err == ""
    assert "train.jsonl:1:" in out
    assert "train.jsonl:2:" in out


def test_integers_beyond_64_bits_in_tool_calls(run_cli: RunCli, tmp_path: Path) -> None:
    call = {"id": 10**30, "type": "function", "function": {"name": "f", "arguments": "{}"}}
    record = {
        "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "tool_calls": [call]}]
    }
    write_jsonl(tmp_path / "train.jsonl", [record, record])
    status, out, err = _check(run_cli, tmp_path, ".", "--select", "D001")
    assert (status, err) == (0, "")
    assert "train.jsonl:2:1: D001" in out


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "jsonl"])
def test_a_file_name_that_is_not_utf8_is_reported(
    run_cli: RunCli, tmp_path: Path, output_format: str
) -> None:
    name = os.fsdecode(b"tr\xffain.jsonl")  # Python's name for it holds a surrogate
    write_jsonl(tmp_path / name, [{"text": "same"}, {"text": "same"}])
    status, out, err = run_cli(
        "check", ".", "--select", "ALL", "--output-format", output_format, cwd=tmp_path
    )
    assert (status, err) == (0, "")
    assert "D001" in out


def test_a_baseline_keeps_lone_surrogates_it_quotes(run_cli: RunCli, tmp_path: Path) -> None:
    # S007 quotes the role as written.
    record = '{"messages": [{"role": "us\\ud800er", "content": "hi"}, {"role": "assistant"}]}'
    (tmp_path / "train.jsonl").write_text(record + "\n")
    status, _, err = _check(
        run_cli, tmp_path, ".", "--select", "S007", "--write-baseline", "b.json"
    )
    assert (status, err) == (0, "")
    assert "'us\\ud800er'" in (tmp_path / "b.json").read_text(encoding="utf-8")  # its JSON escape
    assert _check(run_cli, tmp_path, ".", "--select", "S007", "--baseline", "b.json")[0] == 0
    assert _check(run_cli, tmp_path, ".", "--select", "S007")[0] == 1


# --- 3. Configs and settings --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x: !!int abc\n", "ValueError"),
        ("x: !!int 0x\n", "IndexError"),
        ("x: !!bool maybe\n", "KeyError"),
        ("x: !!timestamp 2020-99-99\n", "month must be in 1..12"),
        ("learning_rate: " + "9" * 5000 + "\n", "Exceeds the limit"),
        ("x: " + "[" * 400 + "]" * 400 + "\n", "nested too deeply"),
        ("x: &x [*x]\ny: &y {k: *y}\n", "an alias refers to a value that contains it"),
    ],
)
def test_config_parser_errors_name_the_file(
    run_cli: RunCli, tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "axolotl.yaml").write_text("base_model: gpt2\nnum_epochs: 1\n" + text)
    status, _, err = _check(run_cli, tmp_path, "axolotl.yaml", "--select", "ALL")
    assert status == 2
    assert "internal error" not in err
    assert "axolotl.yaml" in err
    assert message in err


def test_complex_keys_and_user_paths_are_data(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "axolotl.yaml").write_text(
        "base_model: gpt2\n? [a, b]\n: 1\n? {c: 1}\n: 2\n"
        "datasets:\n  - path: ~nosuchuser/data.jsonl\n    type: alpaca\n"
        f"learning_rate: {'9' * 400}\nsequence_len: {'9' * 30}\n"
    )
    status, out, err = _check(run_cli, tmp_path, "axolotl.yaml", "--select", "ALL")
    assert status in (0, 1)
    assert err == ""
    assert "axolotl.yaml" in out


def _alias_bomb(levels: int) -> str:
    names = "abcdefghij"[: levels + 1]
    lines = [f"{names[0]}: &{names[0]} [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [
        f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]"
        for previous, name in itertools.pairwise(names)
    ]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_without_expanding_it(run_cli: RunCli, tmp_path: Path) -> None:
    bomb = _alias_bomb(8)  # nine levels of nine: 387 million values once expanded
    assert len(bomb) < 2048
    (tmp_path / "axolotl.yaml").write_text("base_model: gpt2\n" + bomb)
    status, _, err = _check(run_cli, tmp_path, "axolotl.yaml", "--select", "ALL")
    assert status == 2
    assert "axolotl.yaml: its aliases expand to more than 100,000 values" in err


def test_the_yaml_comparison_walks_each_aliased_node_once() -> None:
    # Before, this walked 9**8 nodes (hours); the comparison never expands an alias.
    differences = scalar_differences("flag: &z yes\n" + _alias_bomb(8).replace("lol", "*z"))
    assert [(d.pointer, d.text) for d in differences] == [("/flag", "yes")]
    assert scalar_differences("x: &x [*x, on]\n")[0].pointer == "/x/1"


@pytest.mark.parametrize("name", ["ftlint.toml", "pyproject.toml"])
def test_settings_that_are_not_utf8_are_a_settings_error(
    run_cli: RunCli, tmp_path: Path, name: str
) -> None:
    (tmp_path / name).write_bytes(b"[tool.ftlint]\nselect = ['S']\n# caf\xe9\n")
    write_jsonl(tmp_path / "train.jsonl", [_CHAT])
    status, _, err = _check(run_cli, tmp_path, ".")
    assert status == 2
    assert f"{name}:3: not UTF-8 (byte 0xe9 at byte offset" in err


@pytest.mark.parametrize("value", ["5", '"x"', "[1]"])
def test_a_tool_ftlint_that_is_not_a_table_is_a_settings_error(
    run_cli: RunCli, tmp_path: Path, value: str
) -> None:
    (tmp_path / "pyproject.toml").write_text(f"[tool]\nftlint = {value}\n")
    write_jsonl(tmp_path / "train.jsonl", [_CHAT])
    status, _, err = _check(run_cli, tmp_path, ".")
    assert status == 2
    assert "pyproject.toml: 'tool.ftlint' must be a table" in err


@pytest.mark.parametrize(
    ("key", "value"), [("cache-dir", '"a\\u0000b"'), ("references", '["x\\u0000"]')]
)
def test_nul_in_a_settings_path_is_a_settings_error(
    run_cli: RunCli, tmp_path: Path, key: str, value: str
) -> None:
    (tmp_path / "ftlint.toml").write_text(f"{key} = {value}\n")
    write_jsonl(tmp_path / "train.jsonl", [_CHAT])
    status, _, err = _check(run_cli, tmp_path, ".")
    assert status == 2
    assert f"'{key.replace('-', '_')}" in err or f"'{key}" in err
    assert "NUL" in err


# --- 4. Bounded resources -----------------------------------------------------------


def test_locating_in_a_20_mb_line_scans_without_a_regex_backtrack() -> None:
    import tracemalloc

    raw = '{"a": "' + "x" * (20 << 20) + '\\\\\\"\\\\", "b": [1, "]", {"c": 2}]}'
    tracemalloc.start()
    try:
        found = locate_pointer(raw, "/b/2/c")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == (0, raw.rindex("2") + 1)
    assert peak < 1 << 20  # the regex it replaces held gigabytes


def test_a_huge_text_is_counted_in_pieces() -> None:
    counter = TokenCounter.from_settings(TokenSettings()).prepare()
    text = "The quick brown fox jumps. " * (4 * PIECE_CHARS // 27)
    whole = len(counter.encoding.encode_ordinary(text))
    pieces = -(-len(text) // PIECE_CHARS)
    assert whole <= counter.text(text) <= whole + pieces


def test_k001_suggests_for_the_first_hundred_unknown_keys(run_cli: RunCli, tmp_path: Path) -> None:
    keys = "".join(f"lora_alpah_{i}: 1\n" for i in range(150))
    (tmp_path / "axolotl.yaml").write_text("base_model: gpt2\nsequence_len: 512\n" + keys)
    # Above max-unknown-keys, so that each key is a finding (not one for the file).
    (tmp_path / "ftlint.toml").write_text("[rules.K001]\nmax-unknown-keys = 1000\n")
    _, out, _ = _check(run_cli, tmp_path, "axolotl.yaml", "--select", "K001")
    assert out.count("K001") == 150
    assert out.count("did you mean 'lora_alpha'") == 100


# --- 4 and 5. Special files and symlinks; nothing named goes unread --------------------


@pytest.fixture
def odd_files(tmp_path: Path) -> Iterator[Path]:
    """A folder with one good dataset and every kind of file that is not one."""
    write_jsonl(tmp_path / "train.jsonl", [_CHAT])
    os.mkfifo(tmp_path / "fifo.jsonl")
    (tmp_path / "dangling.jsonl").symlink_to(tmp_path / "nowhere.jsonl")
    (tmp_path / "loop1.jsonl").symlink_to(tmp_path / "loop2.jsonl")
    (tmp_path / "loop2.jsonl").symlink_to(tmp_path / "loop1.jsonl")
    (tmp_path / "device.jsonl").symlink_to("/dev/zero")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "sock.jsonl"))
    (tmp_path / "notes.txt").write_text("notes\n")
    (tmp_path / "empty").mkdir()
    yield tmp_path
    listener.close()


def test_special_files_in_a_folder_are_skipped_with_a_warning(
    run_cli: RunCli, odd_files: Path
) -> None:
    status, out, err = _check(run_cli, odd_files, ".", "--select", "S")
    assert status == 0
    assert "train.jsonl:1:1: S009" in out
    for name, why in [
        ("fifo.jsonl", "a FIFO"),
        ("dangling.jsonl", "a dangling symlink"),
        ("loop1.jsonl", "a symlink loop"),
        ("device.jsonl", "a character device"),
        ("sock.jsonl", "a socket"),
    ]:
        assert f"ftlint: warning: {name}: {why}; skipped" in err


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("fifo.jsonl", "a FIFO; not read"),
        ("dangling.jsonl", "a dangling symlink; not read"),
        ("loop1.jsonl", "a symlink loop; not read"),
        ("device.jsonl", "a character device; not read"),
        ("sock.jsonl", "a socket; not read"),
        ("notes.txt", "not a dataset or config file ftlint reads; not read"),
        ("typo.jsonl", "no such file or folder"),
    ],
)
def test_a_named_path_ftlint_reads_nothing_from_is_an_error(
    run_cli: RunCli, odd_files: Path, name: str, why: str
) -> None:
    status, _, err = _check(run_cli, odd_files, name, "train.jsonl")
    assert status == 2
    assert f"ftlint: error: {name}: {why}" in err


def test_a_folder_with_nothing_to_lint_is_a_warning(run_cli: RunCli, odd_files: Path) -> None:
    status, _, err = _check(run_cli, odd_files, "empty")
    assert status == 0
    assert err == "ftlint: warning: empty: no dataset or config file found\n"


def test_a_suffixless_symlink_target_is_read_by_the_links_name(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # The Hugging Face cache: snapshots/<revision>/<file> -> ../../blobs/<sha256>
    blob = tmp_path / "blobs" / "0c4f3c2a9b"
    write_jsonl(blob, [_CHAT, _CHAT])
    snapshot = tmp_path / "snapshots" / "main"
    snapshot.mkdir(parents=True)
    (snapshot / "train.jsonl").symlink_to(Path("../../blobs/0c4f3c2a9b"))
    status, out, err = _check(run_cli, tmp_path, ".", "--select", "D001")
    assert (status, err) == (0, "")
    assert "snapshots/main/train.jsonl:2:1: D001" in out


def test_an_unreadable_subfolder_is_an_error(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_jsonl(tmp_path / "train.jsonl", [_CHAT])
    (tmp_path / "locked").mkdir()
    scandir = os.scandir

    def refuse_locked(path: Any) -> Any:  # as chmod 0 would, even for root
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    status, _, err = _check(run_cli, tmp_path, ".")
    assert status == 2
    assert "locked: cannot list the folder: Permission denied" in err


# --- 6. Output ----------------------------------------------------------------------


def _ftlint(*args: str, cwd: Path, **kwargs: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ftlint", *args],
        cwd=cwd,
        stdout=kwargs.pop("stdout", subprocess.PIPE),
        stderr=subprocess.PIPE,
        **kwargs,  # type: ignore[call-overload]
    )


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "train.jsonl", [{"text": f"same {i % 2}"} for i in range(5000)])
    process = _ftlint("check", ".", "--select", "D001", "--no-cache", cwd=tmp_path)
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    _, err = process.communicate()
    assert process.returncode == 2
    assert err == b""


def test_a_full_disk_is_a_clear_error(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "train.jsonl", [{"text": "same"}, {"text": "same"}])
    with open("/dev/full", "wb") as full:
        process = _ftlint("check", ".", "--select", "D001", "--no-cache", cwd=tmp_path, stdout=full)
        _, err = process.communicate()
    assert process.returncode == 2
    assert err == b"ftlint: error: cannot write the report: No space left on device\n"


@pytest.mark.parametrize(
    ("target", "message"),
    [("no/such/folder/baseline.json", "no folder 'no/such/folder'"), (".", "is a folder")],
)
def test_write_baseline_to_a_missing_folder_or_a_folder_is_a_usage_error(
    run_cli: RunCli, tmp_path: Path, target: str, message: str
) -> None:
    write_jsonl(tmp_path / "train.jsonl", [_CHAT])
    status, out, err = _check(run_cli, tmp_path, ".", "--write-baseline", target)
    assert status == 2
    assert message in err
    assert out == ""  # refused before linting


@pytest.mark.parametrize("flag", ["--jobs", "--max-findings"])
@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_out_of_range_counts_are_usage_errors(
    run_cli: RunCli, tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        run_cli("check", ".", flag, value, cwd=tmp_path)
    assert exit_.value.code == 2
    assert f"{flag}: " in capsys.readouterr().err


# --- 7. Fixes -----------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_fix_keeps_line_endings_mode_and_hard_links(
    run_cli: RunCli, tmp_path: Path, newline: str
) -> None:
    lines = ["base_model: meta-llama/Llama-3.1-8B", "flash_attention: yes", "load_in_8bit: on", ""]
    config = tmp_path / "axolotl.yaml"
    config.write_bytes(newline.join(lines).encode())
    config.chmod(0o640)
    (tmp_path / "link.yaml").hardlink_to(config)
    status, _, err = _check(run_cli, tmp_path, "axolotl.yaml", "--select", "K002,K004", "--fix")
    assert status == 0, err
    fixed = ["base_model: meta-llama/Llama-3.1-8B", "attn_implementation: flash_attention_2"]
    assert config.read_bytes() == newline.join([*fixed, "load_in_8bit: true", ""]).encode()
    assert config.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "link.yaml").read_bytes() == config.read_bytes()
    assert config.stat().st_nlink == 2


def test_fix_writes_through_a_symlink(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "configs" / "real.yaml"
    target.parent.mkdir()
    target.write_text("base_model: gpt2\nload_in_8bit: yes\n")
    (tmp_path / "axolotl.yaml").symlink_to(target)
    _check(run_cli, tmp_path, "axolotl.yaml", "--select", "K004", "--fix")
    assert (tmp_path / "axolotl.yaml").is_symlink()
    assert target.read_text() == "base_model: gpt2\nload_in_8bit: true\n"


def test_fix_refuses_a_read_only_file(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "axolotl.yaml"
    config.write_text("base_model: gpt2\nload_in_8bit: yes\n")
    config.chmod(0o444)
    status, _, err = _check(run_cli, tmp_path, "axolotl.yaml", "--select", "K004", "--fix")
    assert "axolotl.yaml: not fixed: the file is read-only" in err
    assert config.read_text() == "base_model: gpt2\nload_in_8bit: yes\n"
    assert status == 0  # K004 is a warning: the finding stays, reported


# --- 8. The cache -------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape",
    [
        lambda name: {name: 5},
        lambda name: {name: ("a",)},
        lambda name: {name: ((1,), 7)},
        lambda name: {1: ((1,), "digest")},
        lambda name: [name],
        lambda name: "text",
    ],
)
def test_a_digests_file_of_the_wrong_shape_is_a_miss(
    tmp_path: Path, shape: Callable[[str], object]
) -> None:
    from ftlint.core.records import DatasetFile

    data = write_jsonl(tmp_path / "x", [_CHAT])
    folder = tmp_path / "cache"
    (folder / f"v{FORMAT}").mkdir(parents=True)
    (folder / f"v{FORMAT}" / "digests.pickle").write_bytes(pickle.dumps(shape(str(data.resolve()))))
    file = DatasetFile(data, "x", None, "x", data.stat().st_size)
    assert OutcomeCache(folder, "run").key(file) == OutcomeCache(tmp_path / "new", "run").key(file)


@pytest.mark.skipif(available_cores() < 2, reason="needs two cores for worker processes")
def test_workers_exit_when_the_main_process_is_killed(tmp_path: Path) -> None:
    record = json.dumps({"text": "word " * 200})
    (tmp_path / "train.jsonl").write_text((record + "\n") * 40_000)  # 40 MB: 2 workers
    process = _ftlint("check", ".", "--select", "ALL", "--no-cache", "--jobs", "2", cwd=tmp_path)
    main = psutil.Process(process.pid)
    deadline = time.monotonic() + 60
    while not main.children() and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = main.children(recursive=True)
    assert workers, "no worker process started"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert alive == []
