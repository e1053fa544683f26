"""``ftlint check - --stdin-filename PATH``: stdin linted as if it were PATH."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ftlint.readers import ParquetReader
from tests.conftest import RunCli, write_jsonl

CHAT = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
EMPTY_ANSWER = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A dataset whose validation split leaks a train record and has an empty
    answer, and an axolotl config with a YAML 1.1 boolean (K004)."""
    train = [{"messages": [{"role": "user", "content": f"Q{i}"}, *CHAT[1:]]} for i in range(12)]
    write_jsonl(tmp_path / "data/train.jsonl", train)
    write_jsonl(tmp_path / "data/valid.jsonl", [train[3], {"messages": EMPTY_ANSWER}])
    (tmp_path / "data/notes.csv").write_text("prompt,completion\nHi,\nHow?,Fine.\n")
    (tmp_path / "train.yaml").write_text(
        "base_model: meta-llama/Llama-3.1-8B-Instruct\n"
        "datasets:\n  - path: data/train.jsonl\n    type: chat_template\n"
        "load_in_8bit: yes\n"
    )
    return tmp_path


def _findings(report: str) -> list[tuple[str, str, int, int, str]]:
    return [
        (f["code"], f["location"]["path"], f["location"]["line"], f["location"]["column"],
         f["message"])
        for f in json.loads(report)["findings"]
    ]  # fmt: skip


def _check_stdin(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, data: bytes, *args: str, cwd: Path
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    return run_cli("check", "-", *args, cwd=cwd)


def test_piped_dataset_gets_the_findings_of_the_file(project: Path) -> None:
    """A real pipe into a separate process: the leak into train (read from
    disk) and the empty answer, under the file's path."""
    command = [sys.executable, "-m", "ftlint", "check", "--no-cache", "--output-format", "json"]
    from_file = subprocess.run(
        [*command, "data/valid.jsonl"], cwd=project, capture_output=True, check=False
    )
    piped = subprocess.run(
        [*command, "-", "--stdin-filename", "data/valid.jsonl"],
        cwd=project,
        input=(project / "data/valid.jsonl").read_bytes(),
        capture_output=True,
        check=False,
    )
    assert piped.returncode == from_file.returncode == 1, piped.stderr
    found = _findings(piped.stdout.decode())
    assert found == _findings(from_file.stdout.decode())
    assert {code for code, *_ in found} >= {"L001", "S005"}
    assert {path for _, path, *_ in found} == {"data/valid.jsonl"}


@pytest.mark.parametrize("name", ["data/valid.jsonl", "data/notes.csv", "train.yaml"])
def test_stdin_equals_the_file_for_datasets_and_configs(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, project: Path, name: str
) -> None:
    args = ("--no-cache", "--output-format", "json", "--select", "ALL")
    _, expected, _ = run_cli("check", name, *args, cwd=project)
    data = (project / name).read_bytes()
    status, out, err = _check_stdin(
        run_cli, monkeypatch, data, "--stdin-filename", name, *args, cwd=project
    )
    assert status == 1, err
    assert _findings(out) == _findings(expected)
    assert _findings(out)


def test_stdin_content_replaces_the_file_on_disk(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    """The unsaved text is linted, not the saved file: fixing the empty answer
    in the buffer clears S005 though the file on disk still has it."""
    fixed = (project / "data/valid.jsonl").read_text().replace('"content": ""', '"content": "Hey"')
    status, out, _ = _check_stdin(
        run_cli, monkeypatch, fixed.encode(), "--stdin-filename", "data/valid.jsonl",
        "--output-format", "concise", "--select", "S005,L001", cwd=project,
    )  # fmt: skip
    assert status == 1
    assert "data/valid.jsonl:1:1: L001" in out
    assert "S005" not in out


def test_stdin_for_a_file_not_yet_on_disk_takes_its_split_from_the_name(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    leak = (project / "data/train.jsonl").read_text().splitlines()[5] + "\n"
    _, out, _ = _check_stdin(
        run_cli, monkeypatch, leak.encode(), "--stdin-filename", "data/test.jsonl",
        "--output-format", "concise", "--select", "L001", cwd=project,
    )  # fmt: skip
    assert "data/test.jsonl:1:1: L001 test record also occurs in train at data/train.jsonl:6" in out


@pytest.mark.parametrize("output_format", ["text", "concise", "json", "jsonl", "sarif", "github"])
def test_every_output_format_names_the_stdin_filename(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, project: Path, output_format: str
) -> None:
    data = (project / "data/valid.jsonl").read_bytes()
    status, out, _ = _check_stdin(
        run_cli, monkeypatch, data, "--stdin-filename", "data/valid.jsonl",
        "--output-format", output_format, cwd=project,
    )  # fmt: skip
    assert status == 1
    assert "valid.jsonl" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name the file it stands for with --stdin-filename"),
        (["data", "--stdin-filename", "a.jsonl"], "cannot be combined with other paths"),
        (["--stdin-filename", "train.yaml", "--fix"], "--fix cannot write to stdin"),
    ],
)
def test_stdin_usage_errors(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, project: Path, args: list[str], message: str
) -> None:
    status, _, err = _check_stdin(run_cli, monkeypatch, b"{}\n", *args, cwd=project)
    assert status == 2
    assert message in err


def test_stdin_filename_without_dash_is_a_usage_error(run_cli: RunCli, project: Path) -> None:
    status, _, err = run_cli("check", "data", "--stdin-filename", "a.jsonl", cwd=project)
    assert status == 2
    assert "--stdin-filename needs -" in err


def test_a_reader_without_a_stream_reads_content_through_a_file_of_the_same_name(
    tmp_path: Path,
) -> None:
    """The default ``read_content`` (Parquet here) reads the bytes, not the path."""
    pyarrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "made.parquet"
    parquet.write_table(pyarrow.table({"text": ["a", "b"]}), source)
    missing = tmp_path / "elsewhere" / "train.parquet"
    records = list(ParquetReader().read_content(source.read_bytes(), missing, "train.parquet"))
    assert [r.value for r in records] == [{"text": "a"}, {"text": "b"}]
    assert {r.path for r in records} == {"train.parquet"}
