"""Rule isolation: a rule that raises is one error naming it, and the run goes on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

import ftlint.run.registry
from ftlint import (
    ConfigContext,
    ConfigRule,
    DatasetRule,
    FileState,
    Finding,
    RecordContext,
    RecordRule,
    RecordView,
    Severity,
    Shape,
    hookimpl,
)
from ftlint.api.execution import FileOutcome
from ftlint.core.records import DatasetFile
from ftlint.run import engine
from ftlint.settings.schema import Settings
from tests.conftest import RunCli, write_jsonl


class ExplodesOnBoom(RecordRule):
    """Raises on the record whose text is "boom"."""

    code = "XX001"
    name = "explodes-on-boom"
    summary = "Raises on a record."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterable[Finding]:
        if record.record.value == {"text": "boom"}:
            raise ValueError("cannot handle boom")
        return ()


class CountsRecords(DatasetRule[list[int]]):
    """Raises in the step named by its ``step`` attribute (set by a test)."""

    code = "XX002"
    name = "counts-records"
    summary = "Counts records; raises in one step."
    severity = Severity.WARNING
    step = ""

    def start(self) -> list[int]:
        return [0]

    def add(self, state: list[int], record: RecordContext) -> None:
        if self.step == "add" and record.record.line == 2:
            raise KeyError("add failed")
        state[0] += 1

    def merge(self, earlier: list[int], later: list[int]) -> list[int]:
        if self.step == "merge":
            raise TypeError("merge failed")
        return [earlier[0] + later[0]]

    def finish(self, files: Sequence[FileState[list[int]]]) -> Iterable[Finding]:
        if self.step == "finish":
            raise RuntimeError("finish failed")
        return ()


class ExplodesOnConfigs(ConfigRule):
    """Raises on every config."""

    code = "XX003"
    name = "explodes-on-configs"
    summary = "Raises on a config."
    severity = Severity.ERROR

    def check(self, config: ConfigContext) -> Iterable[Finding]:
        raise ZeroDivisionError("division by zero")


class ExplodingPlugin:
    @staticmethod
    @hookimpl
    def ftlint_rules() -> Sequence[type[Any]]:
        return [ExplodesOnBoom, CountsRecords, ExplodesOnConfigs]


@pytest.fixture
def exploding(monkeypatch: pytest.MonkeyPatch, fake_rules: None) -> None:
    """Every plugin load (the fake rules included) also registers the exploding plugin."""
    loaded = ftlint.run.registry.load_plugins

    def load(*, strict: bool = False, extra: Sequence[Any] = ()) -> Any:
        return loaded(strict=strict, extra=[*extra, ExplodingPlugin])

    monkeypatch.setattr("ftlint.cli.main.load_plugins", load)


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    records = [{"text": "loud"}, {"text": "boom"}, {"text": "loud"}, {"text": "boom"}]
    write_jsonl(tmp_path / "data.jsonl", records)
    return tmp_path


def _check(run_cli: RunCli, folder: Path, *select: str) -> tuple[int, str, str]:
    return run_cli(
        "check", ".", "--select", ",".join(select), "--no-cache", "--output-format", "concise",
        cwd=folder,
    )  # fmt: skip


@pytest.mark.usefixtures("exploding")
def test_a_raising_check_is_one_error_and_other_rules_still_report(
    run_cli: RunCli, dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FTLINT_DEBUG", raising=False)
    status, out, err = _check(run_cli, dataset, "XX001", "ZZ001")
    assert status == 2
    assert "internal error" not in err
    errors = [line for line in err.splitlines() if "XX001" in line]
    assert errors == [
        "ftlint: error: data.jsonl:2: rule XX001 (plugin 'ExplodingPlugin') failed in check: "
        "ValueError: cannot handle boom; the rule was skipped from there on"
    ]
    # The loud records before and after the failing one are still reported.
    assert "data.jsonl:1:10: ZZ001" in out
    assert "data.jsonl:3:10: ZZ001" in out
    assert "Traceback" not in err


@pytest.mark.usefixtures("exploding")
def test_ftlint_debug_shows_the_traceback(
    run_cli: RunCli, dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FTLINT_DEBUG", "1")
    _, _, err = _check(run_cli, dataset, "XX001")
    assert "Traceback (most recent call last)" in err
    assert 'raise ValueError("cannot handle boom")' in err


@pytest.mark.usefixtures("exploding")
@pytest.mark.parametrize(
    ("step", "where"),
    [("add", "data.jsonl:2"), ("merge", "data.jsonl"), ("finish", "dataset data.jsonl")],
)
def test_a_raising_dataset_rule_names_its_step_and_place(
    run_cli: RunCli, dataset: Path, monkeypatch: pytest.MonkeyPatch, step: str, where: str
) -> None:
    monkeypatch.setattr(CountsRecords, "step", step)
    (dataset / "ftlint.toml").write_text("shard-size = 20\n")  # units to merge
    status, out, err = _check(run_cli, dataset, "XX002", "ZZ001")
    assert status == 2
    assert f"ftlint: error: {where}: rule XX002 (plugin 'ExplodingPlugin') failed in {step}" in err
    assert "internal error" not in err
    assert out.count("ZZ001") == 2


@pytest.mark.usefixtures("exploding")
def test_a_raising_config_rule_names_the_config(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "train.yaml").write_text("base_model: gpt2\nlearning_rate: 0.1\n")
    status, _, err = _check(run_cli, tmp_path, "XX003")
    assert status == 2
    assert "train.yaml: rule XX003 (plugin 'ExplodingPlugin') failed in check: Zero" in err


class ExplodingShape(Shape):
    """A plugin's record shape that raises on a record with a ``boom`` key."""

    name = "explodes"
    priority = 0

    def match(self, value: Any) -> RecordView | None:
        if isinstance(value, dict) and "boom" in value:
            raise RuntimeError("shape cannot cope")
        return None


class ExplodingShapePlugin:
    @staticmethod
    @hookimpl
    def ftlint_record_shapes() -> Sequence[Shape]:
        return [ExplodingShape()]


def test_a_raising_shape_ends_its_file_only(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_rules: None
) -> None:
    loaded = ftlint.run.registry.load_plugins

    def load(*, strict: bool = False, extra: Sequence[Any] = ()) -> Any:
        return loaded(strict=strict, extra=[*extra, ExplodingShapePlugin])

    monkeypatch.setattr("ftlint.cli.main.load_plugins", load)
    write_jsonl(tmp_path / "a.jsonl", [{"text": "loud"}, {"boom": 1}])
    write_jsonl(tmp_path / "b.jsonl", [{"text": "loud"}])
    status, out, err = _check(run_cli, tmp_path, "ZZ001")
    assert status == 2
    assert err.startswith(
        "ftlint: error: a.jsonl:2: internal error while linting: RuntimeError: shape cannot cope"
    )
    assert "b.jsonl:1:10: ZZ001" in out


def test_a_raising_merge_is_a_failure_on_a_new_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CountsRecords, "step", "merge")
    registry = ftlint.run.registry.load_plugins(extra=[ExplodingPlugin])
    plan = engine.RulePlan.build(registry, Settings(), {"XX002"})
    file = DatasetFile(tmp_path / "a.jsonl", "a.jsonl", None, "a.jsonl", 10)
    earlier = FileOutcome(file, states={"XX002": [1]}, records=1)
    later = FileOutcome(file, states={"XX002": [2]}, records=1)
    merged = engine.merge_outcomes(plan, earlier, later)
    assert [(f.code, f.step, f.where) for f in merged.failures] == [("XX002", "merge", "a.jsonl")]
    assert "XX002" not in merged.states
    assert (earlier.states, earlier.failures) == ({"XX002": [1]}, [])
    assert (later.states, later.failures) == ({"XX002": [2]}, [])
    # Failures travel on: a later merge keeps them and leaves the rule out.
    again = engine.merge_outcomes(plan, merged, FileOutcome(file, states={"XX002": [3]}))
    assert [f.step for f in again.failures] == ["merge"]
    assert len(merged.failures) == 1  # not extended by the later merge
