"""The json format: the versioned envelope editors and scripts rely on.

The expected dictionaries are written out in full on purpose: they are the
documented contract (docs/output-formats.md), and a change to them must be a
deliberate change to this file.
"""

from __future__ import annotations

import json

import pytest

from ftlint.core.findings import Edit, Fix, Location, RelatedLocation
from ftlint.reporters.json_format import FORMAT_VERSION, JsonReporter


@pytest.fixture
def duplicate(make_finding):
    return make_finding(
        "D001",
        location=Location("data/train.jsonl", 12, 1, 12, 80, "/messages/0/content"),
        related=(RelatedLocation(Location("data/train.jsonl", 3, 1), "first copy"),),
        fix=Fix("Drop the repeated record", (Edit(12, 1, 13, 1, ""),), safe=False),
        fingerprint="0123abcd",
    )


def test_envelope_has_version_tool_findings_and_summary(render, make_finding, make_summary):
    findings = [make_finding("D001"), make_finding("B002", line=0)]
    summary = make_summary(
        findings, files=4, records=10_240, configs=1, suppressed=2, baseline_matched=5
    )

    document = json.loads(render(JsonReporter, findings, summary, tool_version="9.8.7"))

    assert list(document) == ["version", "tool", "findings", "summary", "statistics"]
    assert document["version"] == FORMAT_VERSION == 1
    assert document["statistics"] is None  # the run measured nothing
    assert document["tool"] == {"name": "ftlint", "version": "9.8.7"}
    assert [finding["code"] for finding in document["findings"]] == ["B002", "D001"]
    assert document["summary"] == {
        "files": 4,
        "records": 10_240,
        "configs": 1,
        "findings": 2,
        "by_severity": {"error": 1, "warning": 1, "info": 0},
        "by_code": {"B002": 1, "D001": 1},
        "fixable": 0,
        "unsafe_fixable": 0,
        "suppressed": 2,
        "baseline_matched": 5,
        "baseline_stale": 0,
        "truncated": 0,
        "unreadable": 0,
        "skipped": [],
        "seconds": 0.0,
    }


def test_finding_object_field_by_field(render, duplicate):
    (finding,) = json.loads(render(JsonReporter, [duplicate]))["findings"]

    assert finding == {
        "code": "D001",
        "name": "exact-duplicate",
        "severity": "error",
        "message": "Record 12 repeats record 3 word for word.",
        "location": {
            "path": "data/train.jsonl",
            "line": 12,
            "column": 1,
            "end_line": 12,
            "end_column": 80,
            "pointer": "/messages/0/content",
        },
        "related": [
            {
                "location": {
                    "path": "data/train.jsonl",
                    "line": 3,
                    "column": 1,
                    "end_line": None,
                    "end_column": None,
                    "pointer": "",
                },
                "message": "first copy",
            }
        ],
        "fix": {
            "description": "Drop the repeated record",
            "safe": False,
            "edits": [{"line": 12, "column": 1, "end_line": 13, "end_column": 1, "content": ""}],
            "changes": [],
        },
        "fingerprint": "0123abcd",
    }


def test_file_level_finding_keeps_line_zero_and_has_null_fix(render, make_finding):
    (finding,) = json.loads(render(JsonReporter, [make_finding("B002", line=0)]))["findings"]

    assert finding["location"]["line"] == 0
    assert finding["fix"] is None
    assert finding["related"] == []


@pytest.mark.parametrize("count", [0, 1, 3])
def test_streamed_text_is_exactly_the_pretty_printed_document(render, make_finding, count):
    findings = [make_finding(line=line) for line in range(1, count + 1)]

    output = render(JsonReporter, findings)

    assert output == json.dumps(json.loads(output), indent=2) + "\n"


def test_output_is_ascii_and_round_trips_any_text(render, make_finding):
    message = 'Réponse vide: "日本語" \\ tab\t end'
    output = render(JsonReporter, [make_finding(message=message, path="données/train.jsonl")])

    assert output.isascii()
    (finding,) = json.loads(output)["findings"]
    assert finding["message"] == message
    assert finding["location"]["path"] == "données/train.jsonl"
