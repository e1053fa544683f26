"""The check pipeline: run -> collect -> fix -> report -> exit, shared by the
command line and ``ftlint.testing``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ftlint import Finding, hookimpl
from ftlint.run.engine import LintResult
from ftlint.run.fixes import FixOptions, FixOutcome
from ftlint.run.pipeline import CheckRequest, Fixer, Pipeline
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings
from ftlint.testing import check_files
from tests.conftest import FakeRules, RunCli, write_jsonl

pytestmark = pytest.mark.usefixtures("fake_rules")

RECORDS = [{"text": "quiet"}, {"text": "loud"}, {"text": "quiet"}, {"text": "loud"}]


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_jsonl(tmp_path / "data.jsonl", RECORDS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_max_findings_keeps_the_most_severe(run_cli: RunCli, dataset: Path) -> None:
    status, out, _ = run_cli(
        "check", ".", "--select", "ZZ", "--max-findings", "3", "--output-format", "json",
        cwd=dataset,
    )  # fmt: skip
    report = json.loads(out)
    found = [(f["code"], f["location"]["line"]) for f in report["findings"]]
    assert found == [("ZZ002", 1), ("ZZ001", 2), ("ZZ001", 4)]  # the info on line 3 goes
    assert report["summary"]["truncated"] == 1
    assert report["summary"]["by_code"] == {"ZZ001": 2, "ZZ002": 1}
    assert status == 1


def _quiet_fixer(findings: Sequence[Finding], options: FixOptions) -> FixOutcome:
    """Stands for a dataset fixer: 'fixes' every quiet record."""
    quiet = [f for f in findings if f.code == "ZZ002"]
    return FixOutcome(fixed=quiet, diff="--- a/data.jsonl\n", files=["data.jsonl"])


class _WithDatasetFixer(Pipeline):
    def fixers(self, result: LintResult) -> list[Fixer]:
        return [*super().fixers(result), _quiet_fixer]


def _pipeline(dataset: Path, **request: Any) -> Pipeline:
    settings = Settings(select=["ZZ"], jobs=1, cache=False, root=dataset)
    registry = load_plugins(extra=[FakeRules])
    return _WithDatasetFixer(registry, settings, CheckRequest(**request))


def test_another_fixer_plugs_into_the_fix_step(dataset: Path) -> None:
    outcome = _pipeline(dataset, fix=FixOptions(write=True), max_findings=3).check()
    # Only the quiet record on line 1 is within the cap; line 3's is held back.
    assert [(f.code, f.location.line) for f in outcome.fixes.fixed] == [("ZZ002", 1)]
    assert outcome.fixes.files == ["data.jsonl"]
    # The fixed finding left, and the cap took the one it had held back.
    reported = [(f.code, f.location.line) for f in outcome.collected.findings]
    assert reported == [("ZZ001", 2), ("ZZ002", 3), ("ZZ001", 4)]
    summary = outcome.collected.summary
    assert (summary.findings, summary.truncated) == (3, 0)
    assert summary.by_code == {"ZZ001": 2, "ZZ002": 1}
    assert summary.records == 4  # what the summary says of the run stays


def test_a_diff_fixes_nothing_and_its_exit_status_says_whether_to(dataset: Path) -> None:
    outcome = _pipeline(dataset, fix=FixOptions(write=False)).check()
    assert outcome.fixes.diff == "--- a/data.jsonl\n"
    assert len(outcome.collected.findings) == 4
    assert outcome.exit_status == 1


@pytest.fixture
def config(dataset: Path) -> Path:
    """A TRL config with one safe fix (K003) and a finding without one (K004)."""
    path = dataset / "sft.yaml"
    path.write_text("model_name_or_path: Qwen/Qwen2.5-7B\nlearning_rate: 2e-5\nseed: 0042\n")
    return path


def test_a_diff_writes_neither_report_nor_baseline(
    run_cli: RunCli, dataset: Path, config: Path
) -> None:
    status, out, _ = run_cli(
        "check", ".", "--select", "K003", "--diff", "--write-baseline", "base.json",
        "-o", "report.json", cwd=dataset,
    )  # fmt: skip
    assert status == 1
    assert out.startswith("--- a/sft.yaml\n")
    assert not (dataset / "base.json").exists()
    assert not (dataset / "report.json").exists()


def test_fix_refills_the_cap_without_a_second_collection(
    run_cli: RunCli, dataset: Path, config: Path
) -> None:
    status, out, err = run_cli(
        "check", "sft.yaml", "--select", "K", "--fix", "--max-findings", "1",
        "--output-format", "json", cwd=dataset,
    )  # fmt: skip
    assert "fixed 1 finding(s) in 1 file(s)" in err
    report = json.loads(out)
    assert [f["code"] for f in report["findings"]] == ["K004"]  # held back, now shown
    assert report["summary"]["truncated"] == 0
    assert "2.0e-5" in config.read_text()
    assert status == 0


class _Configured:
    """A plugin that keeps the settings its ``ftlint_configure`` is called with."""

    seen: ClassVar[list[Settings]] = []

    @staticmethod
    @hookimpl
    def ftlint_configure(settings: Settings) -> None:
        _Configured.seen.append(settings)


def test_check_files_configures_plugins_as_the_command_line_does(tmp_path: Path) -> None:
    _Configured.seen.clear()
    check_files(tmp_path, {"a.jsonl": RECORDS}, select=["ZZ"], extra_plugins=[_Configured])
    assert [s.select for s in _Configured.seen] == [["ZZ"]]
