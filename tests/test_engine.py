"""The engine's own behaviour, with fake rules: where findings land."""

from __future__ import annotations

from pathlib import Path

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
