"""Large JSON Lines files are linted in byte ranges, in worker processes, and
their states merged in file order: the output must not depend on the number
of processes or on where the file was cut."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from ftlint.readers.jsonl import count_lines, records_from_lines, split_ranges
from ftlint.run.executors import local as parallel

from .conftest import RunCli


def _records(count: int) -> list[dict[str, Any]]:
    """Chat records with duplicates, near-duplicates and an empty answer."""
    records: list[dict[str, Any]] = []
    for i in range(count):
        story = " ".join(f"word{(i * 7 + k) % 97}" for k in range(30))
        answer = "" if i % 17 == 5 else f"Answer {i % 23}: {story}"
        records.append(
            {
                "messages": [
                    {"role": "user", "content": f"Q{i % 31}"},
                    {"role": "assistant", "content": answer},
                ]
            }
        )
    return records


def _write(path: Path, records: list[dict[str, Any]], *, blank_every: int = 0) -> Path:
    lines = []
    for i, record in enumerate(records):
        lines.append(json.dumps(record))
        if blank_every and i % blank_every == 0:
            lines.append("   ")  # a blank line: counted as a line, not as a record
        if i == 40:
            lines.append("{not json")  # S001, and a record all the same
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    train = _records(250)
    train += train[100:150]  # exact duplicates
    _write(tmp_path / "data" / "train.jsonl", train, blank_every=13)
    test = _records(60)[::-1]  # exact leaks
    for record in test[::3]:  # prompt leaks
        record["messages"][1]["content"] += " (new answer)"
    _write(tmp_path / "data" / "test.jsonl", test)
    return tmp_path


RULES = "S001,S005,D001,D002,D003,L001,L002,L003,B"


def _check(run_cli: RunCli, root: Path, jobs: str, shard_size: int) -> list[dict[str, Any]]:
    (root / "ftlint.toml").write_text(f"shard-size = {shard_size}\ncache = false\n")
    status, out, _ = run_cli(
        "check", "data", "--select", RULES, "--output-format", "json", "-j", jobs, cwd=root
    )
    assert status == 1
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    return findings


def test_jobs_and_shards_do_not_change_the_output(
    run_cli: RunCli, dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    whole = _check(run_cli, dataset, "1", 1 << 30)
    one = _check(run_cli, dataset, "1", 2000)
    two = _check(run_cli, dataset, "2", 2000)
    assert one == two
    assert one == whole
    codes = {f["code"] for f in whole}
    assert {"S001", "S005", "D001", "D003", "L001", "L003"} <= codes
    invalid = {(f["location"]["path"], f["location"]["line"]) for f in whole if f["code"] == "S001"}
    # After 41 records and, in train, 4 blank lines: absolute lines in every shard.
    assert invalid == {("data/train.jsonl", 46), ("data/test.jsonl", 42)}


def test_a_file_is_cut_into_several_units(dataset: Path) -> None:
    from ftlint.core.records import DatasetFile, Split

    path = dataset / "data" / "train.jsonl"
    file = DatasetFile(path, "train.jsonl", Split.TRAIN, "data", path.stat().st_size)
    units = parallel.cut(file, 2000, shardable=True)
    assert len(units) > 5
    assert units[0].start == 0
    assert units[-1].end == file.size
    assert all(a.end == b.start for a, b in itertools.pairwise(units))
    assert parallel.cut(file, 2000, shardable=False) == [parallel.Unit(file)]


def test_count_lines_numbers_ranges_as_the_reader_does(dataset: Path) -> None:
    path = dataset / "data" / "train.jsonl"
    with path.open("rb") as stream:
        expected = [(r.line, r.index) for r in records_from_lines(stream, "train.jsonl")]
    line, index = 1, 0
    starts = []
    for start, end in split_ranges(path, 7):
        starts.append((line, index))
        lines, records = count_lines(path, start, end)
        line, index = line + lines, index + records
    assert index == len(expected)
    firsts = [pair for pair in expected if pair in starts]
    assert len(firsts) == len(starts)


def test_count_lines_skips_a_bom_and_counts_a_last_line_without_newline(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\n\n  \n{"b": 2}')
    assert count_lines(path, 0, path.stat().st_size) == (4, 2)


def test_workers_are_not_started_for_little_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftlint.core.records import DatasetFile

    monkeypatch.setattr(parallel, "available_cores", lambda: 16)
    small = [parallel.Unit(DatasetFile(tmp_path / "a", "a", None, "a", 10))] * 4
    assert parallel.workers(8, small) == 1
    big = [parallel.Unit(DatasetFile(tmp_path / "a", "a", None, "a", 10 << 20))] * 4
    assert parallel.workers(8, big) == 4
    assert parallel.workers(2, big) == 2
    assert parallel.workers(None, big) == 4


def test_workers_never_outnumber_the_cores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ftlint.core.records import DatasetFile

    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    big = [parallel.Unit(DatasetFile(tmp_path / "a", "a", None, "a", 10 << 20))] * 1000
    assert parallel.workers(1000, big) == 2


def test_token_estimates_do_not_depend_on_sharding(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the exactly counted head, lengths are estimated with the file's
    tokens per byte: the same whatever the shards and processes."""
    from ftlint.text import tokens
    from tests.tiny_encoding import BYTES, byte_encoding

    tokens.register_encoding(BYTES, byte_encoding)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(tokens, "EXACT_HEAD", 10)
    records = [{"text": "ab x " * (10 + i % 7)} for i in range(300)]
    records[101] = {"text": "ab x " * 100}  # an outlier within the limit: estimated
    records[205] = {"text": "abcd" * 400}  # over the limit by bytes: counted exactly
    _write(tmp_path / "data" / "train.jsonl", records)

    def check(jobs: str, shard_size: int) -> list[dict[str, Any]]:
        (tmp_path / "ftlint.toml").write_text(
            f'shard-size = {shard_size}\ncache = false\n[tokens]\nencoding = "{BYTES}"\n'
            "max-tokens = 700\n"
        )
        status, out, _ = run_cli(
            "check", "data", "--select", "T", "--output-format", "json", "-j", jobs, cwd=tmp_path
        )
        assert status == 1
        findings: list[dict[str, Any]] = json.loads(out)["findings"]
        return findings

    whole = check("1", 1 << 30)
    assert check("1", 2000) == whole
    assert check("2", 2000) == whole
    messages = {(f["code"], f["location"]["line"], f["message"].split(",")[0]) for f in whole}
    assert messages == {
        ("T001", 207, "record has 800 tokens (test-bytes)"),
        ("T002", 103, "record has about 400 tokens"),
        ("T002", 207, "record has 800 tokens"),
    }


def test_a_tiny_shard_size_cuts_a_file_into_a_bounded_number_of_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftlint.core.records import DatasetFile

    monkeypatch.setattr(parallel, "MAX_UNITS_PER_FILE", 8)
    path = tmp_path / "x.jsonl"
    path.write_text('{"a": 1}\n' * 1000)
    file = DatasetFile(path, "x.jsonl", None, "x.jsonl", path.stat().st_size)
    units = parallel.cut(file, 1, shardable=True)
    assert len(units) == 8
    assert units[0].start == 0
    assert units[-1].end == file.size
