"""The content-addressed cache of per-file outcomes: an unchanged file is not
read again, anything that changes a file's outcome changes its key, and a
broken or concurrent cache never breaks a run."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from ftlint.core.records import DatasetFile, Split
from ftlint.run import engine
from ftlint.run.cache import KEEP, OutcomeCache

from .conftest import RunCli, write_jsonl

RULES = "S005,S009,D001,L001,L003"


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    rows = [{"instruction": f"Task {i}", "input": "", "output": f"Answer {i}"} for i in range(50)]
    write_jsonl(tmp_path / "train.jsonl", [*rows, rows[3]])
    write_jsonl(
        tmp_path / "valid.jsonl", [rows[7], {"instruction": "New", "input": "", "output": ""}]
    )
    return tmp_path


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The display paths of the files the engine reads (not from the cache)."""
    seen: list[str] = []
    original = engine.lint_unit

    def spy(unit: Any, plan: Any = None) -> Any:
        seen.append(unit.file.display)
        return original(unit, plan)

    monkeypatch.setattr(engine, "lint_unit", spy)
    return seen


def _findings(run_cli: RunCli, root: Path, *extra: str) -> list[dict[str, Any]]:
    status, out, err = run_cli(
        "check", ".", "--select", RULES, "--output-format", "json", "-j", "1", *extra, cwd=root
    )
    assert status == 1, err
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    return findings


def test_an_unchanged_file_is_not_read_again(
    run_cli: RunCli, dataset: Path, linted: list[str]
) -> None:
    first = _findings(run_cli, dataset)
    assert sorted(linted) == ["train.jsonl", "valid.jsonl"]
    linted.clear()
    assert _findings(run_cli, dataset) == first
    assert linted == []
    assert (dataset / ".ftlint_cache" / "CACHEDIR.TAG").is_file()
    assert (dataset / ".ftlint_cache" / ".gitignore").read_text().strip().endswith("*")


def test_editing_one_split_rereads_only_that_split(
    run_cli: RunCli, dataset: Path, linted: list[str]
) -> None:
    _findings(run_cli, dataset)
    with (dataset / "valid.jsonl").open("a") as stream:
        stream.write(
            json.dumps({"instruction": "Task 9", "input": "", "output": "Answer 9"}) + "\n"
        )
    linted.clear()
    warm = _findings(run_cli, dataset)
    assert linted == ["valid.jsonl"]
    cold = _findings(run_cli, dataset, "--no-cache")
    assert warm == cold
    leaks = [f["location"]["line"] for f in warm if f["code"] == "L001"]
    assert leaks == [1, 3]  # the new record leaks from the cached train split


def test_other_rules_or_options_are_other_entries(
    run_cli: RunCli, dataset: Path, linted: list[str]
) -> None:
    _findings(run_cli, dataset)
    linted.clear()
    run_cli("check", ".", "--select", "D001", "-j", "1", cwd=dataset)
    assert sorted(linted) == ["train.jsonl", "valid.jsonl"]
    linted.clear()
    (dataset / "ftlint.toml").write_text("[rules.S009]\nmin-train = 3\n")
    _findings(run_cli, dataset)
    assert sorted(linted) == ["train.jsonl", "valid.jsonl"]


def test_no_cache_neither_reads_nor_writes(
    run_cli: RunCli, dataset: Path, linted: list[str]
) -> None:
    _findings(run_cli, dataset, "--no-cache")
    _findings(run_cli, dataset, "--no-cache")
    assert len(linted) == 4
    assert not (dataset / ".ftlint_cache").exists()


def test_cache_dir_setting(run_cli: RunCli, dataset: Path, tmp_path_factory: Any) -> None:
    elsewhere = tmp_path_factory.mktemp("cache")
    (dataset / "ftlint.toml").write_text(f'cache-dir = "{elsewhere.as_posix()}"\n')
    _findings(run_cli, dataset)
    assert not (dataset / ".ftlint_cache").exists()
    assert list(elsewhere.rglob("*.pickle"))


def test_a_broken_entry_is_a_miss(run_cli: RunCli, dataset: Path, linted: list[str]) -> None:
    first = _findings(run_cli, dataset)
    for entry in (dataset / ".ftlint_cache").rglob("*.pickle"):
        entry.write_bytes(entry.read_bytes()[:20])
    linted.clear()
    assert _findings(run_cli, dataset) == first
    assert sorted(linted) == ["train.jsonl", "valid.jsonl"]


def _file(tmp_path: Path, text: str) -> DatasetFile:
    path = tmp_path / "train.jsonl"
    path.write_text(text)
    return DatasetFile(path, "train.jsonl", Split.TRAIN, ".", path.stat().st_size)


def test_the_key_follows_content_place_and_run(tmp_path: Path) -> None:
    cache = OutcomeCache(tmp_path / "cache", "run A")
    file = _file(tmp_path, '{"text": "a"}\n')
    key = cache.key(file)
    assert cache.key(file) == key
    assert OutcomeCache(tmp_path / "cache", "run B").key(file) != key
    moved = DatasetFile(file.path, "other/train.jsonl", Split.TRAIN, "other", file.size)
    assert cache.key(moved) != key
    assert cache.key(_file(tmp_path, '{"text": "b"}\n')) != key


def test_concurrent_writers_leave_one_whole_entry(tmp_path: Path) -> None:
    cache = OutcomeCache(tmp_path / "cache", "run")
    file = _file(tmp_path, '{"text": "a"}\n')
    key = cache.key(file)
    pid = os.fork()
    if pid == 0:  # a second run writing the same entry at the same time
        for _ in range(50):
            cache.store(file, key, {"from": "child", "payload": list(range(5000))})
        os._exit(0)
    for _ in range(50):
        cache.store(file, key, {"from": "parent", "payload": list(range(5000))})
        loaded = cache.load(file, key)
        assert loaded is not None
        assert loaded["payload"] == list(range(5000))
    os.waitpid(pid, 0)
    assert not list((tmp_path / "cache").rglob("*.tmp"))


def test_old_entries_are_evicted(tmp_path: Path) -> None:
    cache = OutcomeCache(tmp_path / "cache", "run")
    for version in range(KEEP + 3):
        file = _file(tmp_path, f'{{"text": "{version}"}}\n')
        cache.store(file, cache.key(file), version)
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == KEEP
    assert cache.load(file, cache.key(file)) == KEEP + 2


def test_a_settled_file_is_not_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ftlint.run.cache

    file = _file(tmp_path, '{"text": "a"}\n')
    later = time.time_ns() + 10 * 10**9  # as if the file were written 10 s ago
    monkeypatch.setattr(ftlint.run.cache.time, "time_ns", lambda: later)
    first = OutcomeCache(tmp_path / "cache", "run")
    key = first.key(file)
    first.save_digests()

    def refuse(path: Path) -> str:
        raise AssertionError(f"{path} hashed again")

    monkeypatch.setattr(ftlint.run.cache, "content_digest", refuse)
    assert OutcomeCache(tmp_path / "cache", "run").key(file) == key
    file.path.write_text('{"text": "b"}\n')  # same size, new times: hashed again
    with pytest.raises(AssertionError, match="hashed again"):
        OutcomeCache(tmp_path / "cache", "run").key(file)


def test_a_fresh_file_is_not_remembered(tmp_path: Path) -> None:
    cache = OutcomeCache(tmp_path / "cache", "run")
    cache.key(_file(tmp_path, '{"text": "a"}\n'))  # modified just now
    cache.save_digests()
    assert not (tmp_path / "cache" / "v1" / "digests.pickle").exists()
