"""The progress bar draws on a terminal only, and the run counts its progress
as records are read, in whatever process reads them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ftlint.cli.progress import ProgressBar, clock, line
from ftlint.core.records import DatasetFile, Split
from ftlint.run.engine import Engine, lint_unit
from ftlint.run.executors import local as parallel
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings
from ftlint.testing import write_files


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_and_clears_on_a_terminal() -> None:
    stream = _Terminal()
    bar = ProgressBar(stream)
    bar(50_000_000, 100_000_000, 20_000)
    bar.close()
    output = stream.getvalue()
    assert "  50.0%  50/100 MB  " in output
    assert " MB/s  " in output
    assert " records/s  ETA " in output
    assert output.endswith("\r\x1b[K")


def test_redraws_at_most_ten_times_a_second_but_always_at_the_end() -> None:
    stream = _Terminal()
    now = [0.0]
    bar = ProgressBar(stream, clock=lambda: now[0])
    for done in range(1, 100):
        now[0] = done * 0.01  # 99 calls in a second
        bar(done, 100, done)
    bar(100, 100, 100)
    # At 0.01 s, then every 0.1 s (0.11, 0.21, ..., 0.91), and at the end.
    assert stream.getvalue().count("\r") == 11


def test_line_has_rates_and_time_left() -> None:
    text = line(25_000_000, 100_000_000, 50_000, elapsed=10.0, width=4)
    assert text == "[#---]  25.0%  25/100 MB  2.5 MB/s  5,000 records/s  ETA 0:30"
    done = line(100, 100, 10, elapsed=75.0, width=4)
    assert done.endswith("[####] 100.0%  0/0 MB  0.0 MB/s  0 records/s  1:15")
    assert clock(3723) == "1:02:03"


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(1, 2)
    bar.close()
    assert stream.getvalue() == ""


def test_silent_when_disabled() -> None:
    stream = _Terminal()
    bar = ProgressBar(stream, enabled=False)
    bar(1, 2)
    bar.close()
    assert stream.getvalue() == ""


class RecordingTally(parallel.Tally):
    def __init__(self) -> None:
        super().__init__()
        self.steps: list[tuple[int, int]] = []

    def add(self, nbytes: int, records: int) -> None:
        self.steps.append((nbytes, records))
        super().add(nbytes, records)


def test_a_unit_reports_its_progress_while_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "PROGRESS_EVERY", 10)
    (path,) = write_files(tmp_path, {"train.jsonl": [{"text": f"record {i}"} for i in range(45)]})
    file = DatasetFile(path, "train.jsonl", Split.TRAIN, ".", path.stat().st_size)
    plan = Engine(load_plugins(), Settings.model_validate({"root": tmp_path})).plan
    tally = RecordingTally()
    parallel.install(plan, tally)
    try:
        outcome = lint_unit(parallel.Unit(file))
    finally:
        parallel.install(None)
    assert outcome.records == 45
    # Four steps of 10 records, then the rest with the end of the file.
    assert [records for _, records in tally.steps] == [10, 10, 10, 10, 5]
    assert all(nbytes > 0 for nbytes, _ in tally.steps)
    assert tally.read() == (file.size, 45)


def test_the_run_reports_all_bytes_and_records(tmp_path: Path) -> None:
    write_files(tmp_path, {"data/train.jsonl": [{"text": f"r{i}"} for i in range(30)]})
    calls: list[tuple[int, int, int]] = []
    settings = Settings.model_validate({"root": tmp_path, "cache": False})
    result = Engine(load_plugins(), settings).run([tmp_path], lambda *args: calls.append(args))
    size = (tmp_path / "data" / "train.jsonl").stat().st_size
    assert result.records == 30
    assert calls[-1] == (size, size, 30)
