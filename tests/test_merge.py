"""Every built-in dataset rule's state merges associatively and without
changing its inputs, so that an executor may merge the units of a file in
any tree, in any worker: a test per state, on three adjacent units of a
file that gives each rule something to keep."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ftlint.api import DatasetRule, FileOutcome, FileState, Unit, number
from ftlint.api.text import References, SketchedRecords
from ftlint.core.records import DatasetFile, Split
from ftlint.readers.jsonl import count_lines, split_ranges
from ftlint.run.engine import RulePlan, lint_unit, merge_outcomes
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings
from ftlint.testing.datasets import write_mixed_dataset
from ftlint.text import tokens
from tests.tiny_encoding import BYTES, byte_encoding

tokens.register_encoding(BYTES, byte_encoding)


def _settings(root: Path) -> Settings:
    reference = root / "benchmark.jsonl"
    return Settings(
        select=["ALL"],
        tokens={"encoding": BYTES},  # type: ignore[arg-type]
        references=[str(reference)],
        root=root,
    )


def _state_builders() -> list[str]:
    """The codes of the built-in rules that build a state of their own."""
    registry = load_plugins()
    plan = RulePlan.build(registry, Settings(), set(registry.rules))
    return [rule.code for rule in plan.state_builders if rule.plugin == "ftlint"]


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory) -> tuple[RulePlan, list[FileOutcome], Any]:
    """The run's plan, the outcomes of three adjacent units of a train file,
    and the outcome of the whole file."""
    root = tmp_path_factory.mktemp("merge")
    data = write_mixed_dataset(root, train_records=120)
    path = data / "train.jsonl"
    story = path.read_text().splitlines()[5]  # a train record in the "benchmark"
    (root / "benchmark.jsonl").write_text(story + "\n")
    registry = load_plugins()
    plan = RulePlan.build(registry, _settings(root), set(registry.rules))
    file = DatasetFile(path, "data/train.jsonl", Split.TRAIN, "data", path.stat().st_size)
    ranges = [Unit(file, i, start, end) for i, (start, end) in enumerate(split_ranges(path, 3))]
    assert len(ranges) == 3
    numbered = number(ranges, (count_lines(path, u.start, u.end or 0) for u in ranges[:-1]))
    parts = [lint_unit(unit, plan) for unit in numbered]
    return plan, parts, lint_unit(Unit(file), plan)


def _plain(value: Any) -> Any:
    """A value as nested lists and dicts of numbers and strings, for comparing
    states however their parts are batched: signatures as one table, pending
    batches matched, heaps sorted."""
    if isinstance(value, SketchedRecords):
        signatures, present = copy.deepcopy(value).signatures()
        return [_plain(value.records), signatures.tolist(), present.tolist()]
    if isinstance(value, References):
        return value.digest
    if hasattr(value, "flush"):
        value = copy.deepcopy(value)
        value.flush()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return [[_plain(k), _plain(v)] for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, array | bytearray):
        return list(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


@pytest.mark.parametrize("code", _state_builders())
def test_merge_is_associative_and_keeps_its_inputs(
    units: tuple[RulePlan, list[FileOutcome], FileOutcome], code: str
) -> None:
    plan, (a, b, c), whole = units
    rule: DatasetRule[Any] = next(r for r in plan.state_builders if r.code == code)
    first, second, third = (u.states[code] for u in (a, b, c))
    before = [pickle.dumps(s) for s in (first, second, third)]

    left = rule.merge(rule.merge(first, second), third)
    right = rule.merge(first, rule.merge(second, third))

    assert [pickle.dumps(s) for s in (first, second, third)] == before
    assert _plain(left) == _plain(right)
    file = whole.file
    found = list(rule.finish([FileState(file, left)]))
    assert found == list(rule.finish([FileState(file, whole.states[code])]))


def test_the_fixture_gives_the_compared_rules_something_to_find(
    units: tuple[RulePlan, list[FileOutcome], FileOutcome],
) -> None:
    plan, _, whole = units
    found = {
        rule.code
        for rule in plan.dataset_rules
        for _ in rule.finish([FileState(whole.file, whole.states[plan.state_owners[rule.code]])])
    }
    assert {"D001", "D002", "D003", "L004", "P001", "P002", "P004", "S002", "S003", "S004"} <= found


def test_merging_outcomes_keeps_its_inputs(
    units: tuple[RulePlan, list[FileOutcome], FileOutcome],
) -> None:
    plan, (a, b, c), whole = units
    before = [pickle.dumps(u) for u in (a, b, c)]
    merged = merge_outcomes(plan, merge_outcomes(plan, a, b), c)
    assert [pickle.dumps(u) for u in (a, b, c)] == before
    assert merged.findings == whole.findings
    assert merged.records == whole.records
    assert merged.statistics == whole.statistics


def test_statistics_merge_associatively_and_keep_their_inputs(
    units: tuple[RulePlan, list[FileOutcome], FileOutcome],
) -> None:
    _, (a, b, c), whole = units
    first, second, third = (u.statistics for u in (a, b, c))
    before = [pickle.dumps(s) for s in (first, second, third)]

    left = first.followed_by(second).followed_by(third)
    right = first.followed_by(second.followed_by(third))

    assert [pickle.dumps(s) for s in (first, second, third)] == before
    assert left == right == whole.statistics
    assert whole.statistics.shapes  # something to merge
    assert whole.statistics.response_bytes
