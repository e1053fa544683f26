"""The engine's own behaviour, with fake rules: where findings land."""

from __future__ import annotations

from pathlib import Path

from ftlint import Finding
from ftlint.run.engine import RulePlan
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings
from ftlint.testing import check_files
from tests.conftest import FakeRules


def test_a_finding_points_at_the_line_and_column_of_its_pointer(tmp_path: Path) -> None:
    array = '[\n  {\n    "id": 1,\n    "text": "loud"\n  }\n]\n'
    findings = check_files(
        tmp_path,
        {"data.json": array, "data.jsonl": '{"id": 1, "text": "loud"}\n'},
        select=["ZZ001"],
        extra_plugins=[FakeRules],
    )
    located = {(f.path, f.location.line, f.location.column) for f in findings}
    assert located == {("data.json", 4, 13), ("data.jsonl", 1, 19)}


def test_a_finding_without_a_pointer_stays_at_the_record(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {"data.json": '[\n  {"text": "x"},\n  "not an object"\n]\n'},
        select=["S002"],
    )
    assert [(f.location.line, f.location.column) for f in findings] == [(3, 3)]


def test_record_findings_carry_the_record_hash_as_content_key(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path, {"a.jsonl": '{"text": "loud"}\n'}, select=["ZZ001"], extra_plugins=[FakeRules]
    )
    assert len(findings[0].content_key) == 16
    assert findings[0].fingerprint


def _chat(question: str, answer: str) -> dict[str, object]:
    return {
        "messages": [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer},
        ]
    }


def test_rules_sharing_a_state_find_what_each_finds_alone(tmp_path: Path) -> None:
    story = (
        "the committee met on tuesday to review the budget for the coming year and "
        "agreed to move the remaining funds from the travel line into the training "
        "line so that every new engineer can attend the course in the spring"
    )
    edited = story.replace("spring", "summer")
    train = [_chat(f"question number {i} about topic {i * 7}", f"answer {i}") for i in range(40)]
    train += [_chat("summarise the minutes", story), train[3]]
    train += [_chat("summarise the minutes", edited)]
    test = [train[7], _chat("summarise the minutes", edited + " indeed"), _chat("other", "yes")]
    files = {"train.jsonl": train, "test.jsonl": test}
    codes = ["D001", "L001", "D002", "L002", "B001", "B003"]

    def keys(findings: list[Finding]) -> set[tuple[str, str, int, str]]:
        return {(f.code, f.path, f.location.line, f.message) for f in findings}

    together = keys(check_files(tmp_path / "all", files, select=codes))
    alone = set().union(*(keys(check_files(tmp_path / c, files, select=[c])) for c in codes))
    assert together == alone
    assert {code for code, *_ in together} >= {"D001", "L001", "D002", "L002"}


def test_the_plan_builds_a_shared_state_once() -> None:
    codes = {"D001", "L001", "D002", "L002", "D003", "L003"}
    plan = RulePlan.build(load_plugins(), Settings(), codes)
    assert plan.state_owners == {
        "D001": "D001",
        "L001": "D001",
        "D002": "D002",
        "L002": "D002",
        "D003": "D003",
        "L003": "L003",
    }
    assert [r.code for r in plan.state_builders] == ["D001", "D002", "D003", "L003"]


def test_findings_in_csv_and_parquet_stay_at_the_row(tmp_path: Path) -> None:
    # Their records' raw text is made by the reader, not the file's JSON: no
    # column inside it means anything in the file.
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = {"instruction": ["Say hi", "Say bye"], "input": ["", ""], "output": ["Hi", ""]}
    pq.write_table(pa.table(rows), tmp_path / "rows.parquet")
    csv = 'instruction,input,output\n"Say hi",,Hi\n"Say bye",,""\n'
    findings = check_files(tmp_path, {"rows.csv": csv}, select=["S005"])
    located = {(f.path, f.location.line, f.location.column) for f in findings}
    assert located == {("rows.csv", 3, 1), ("rows.parquet", 2, 1)}
