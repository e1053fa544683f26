"""The benchmark scripts measure and name the command users type (issue 13).

They run on a generated dataset of 300 KB, which takes ftlint about a second:
what is checked is what the report says was run, never how fast it was.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def script(name: str, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``benchmarks/NAME.py`` with ``arguments``; it must succeed."""
    command = [sys.executable, str(BENCHMARKS / f"{name}.py"), *map(str, arguments)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset of 300 KB written by generate.py, in a folder named as scaling.py names it."""
    folder = tmp_path_factory.mktemp("datasets") / "300KB"
    script("generate", folder, "--size", "300KB")
    return folder


@pytest.fixture
def run_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``benchmarks/run.py`` as a module (it is a script, not a package, and
    puts its folder on ``sys.path`` for ``generate``: undone afterwards)."""
    spec = importlib.util.spec_from_file_location("benchmark_run", BENCHMARKS / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec.loader.exec_module(module)
    return module


def final_report(output: str) -> str:
    """The last report of run.py's output (it prints run 1's early when more runs follow)."""
    return output[output.rindex("Date: ") :]


def table_rows(report: str) -> list[str]:
    """The first cell of every row of the report's tables."""
    return [line.split(" | ")[0].removeprefix("| ") for line in report.splitlines() if "|" in line]


def test_run_measures_the_default_command(dataset: Path) -> None:
    output = script(
        "run", dataset, "--skip-near", "--skip-warm", "--skip-baseline", "--repeat", "2"
    ).stdout
    report = final_report(output)
    assert report == output  # nothing but run 1: no early report
    assert "--select" not in report
    assert "ftlint check DIR (default rules)" in table_rows(report)
    assert "`ftlint check DIR`, default rules, nothing selected" in table_rows(report)
    assert "Seconds are the median of 2 runs" in report
    assert re.search(r"^- ftlint check DIR \(default rules\): [\d.]+, [\d.]+$", report, re.M)
    assert re.search(
        r"^Date: \d{4}-\d\d-\d\d \d\d:\d\d UTC\. .* load average [\d.]+ before", report
    )


def test_run_names_a_selection_after_it(dataset: Path) -> None:
    report = script(
        "run", dataset, "--select", "S,D001", "--skip-near", "--skip-warm", "--skip-baseline"
    ).stdout
    assert [row for row in table_rows(report) if row.startswith("ftlint")] == [
        "ftlint check DIR --select S,D001"
    ]
    assert "default rules" not in report
    assert "No target applies" in report


def test_every_run_is_named_after_its_command(run_module: ModuleType) -> None:
    default, selection = run_module.Check(), run_module.Check("S,D001")
    assert default.name == "ftlint check DIR (default rules)"
    assert default.extended("--fix").name == "ftlint check DIR --fix"
    assert selection.extended("--extend-select", "D002,L002").name == (
        "ftlint check DIR --select S,D001 --extend-select D002,L002"
    )
    assert selection.extended("--fix").arguments() == ["--select", "S,D001", "--fix"]


def test_scaling_reuses_datasets_and_reports_the_spread(dataset: Path) -> None:
    work = dataset.parent
    written = (dataset / "train.jsonl").stat().st_mtime_ns
    done = script("scaling", work, "--sizes", "300KB,200KB")
    assert (dataset / "train.jsonl").stat().st_mtime_ns == written
    assert done.stderr.count("generating") == 1
    assert (work / "200KB" / "train.jsonl").is_file()
    rows = table_rows(done.stdout)
    assert rows.index("200 KB") < rows.index("300 KB")
    assert "time per record from 200 KB to 300 KB" in rows


def test_targets_are_the_default_commands(run_module: ModuleType) -> None:
    mb = run_module.MB

    def met(
        check: object, seconds: float, peak_rss: int, baseline: float, warm: float
    ) -> list[bool]:
        """Whether each target is met when 80 MB take ``seconds`` (2 s is 40 MB/s)."""
        results = run_module.Results(
            check,
            run_module.Measure("run 1", seconds, peak_rss),
            warm=run_module.Measure("warm", warm, 0),
            baseline=run_module.Measure("baseline", baseline, 0),
        )
        return [target.met for target in run_module.targets(results, 80 * mb)]

    default = run_module.Check()
    assert met(default, 2.0, 499 * mb, baseline=12.0, warm=1.99) == [True, True, True]
    assert met(default, 2.01, 499 * mb, baseline=13.0, warm=1.99) == [False, True, True]
    assert met(default, 2.0, 500 * mb, baseline=12.0, warm=1.99) == [False, True, True]
    assert met(default, 2.0, 499 * mb, baseline=11.9, warm=2.0) == [True, False, False]
    assert met(run_module.Check("S,P,T"), 2.0, 0, baseline=12.0, warm=1.0) == []
