"""The JSON Lines format: one finding object a line, same schema as ``json``."""

from __future__ import annotations

import json

from ftlint.core.findings import Location, RelatedLocation
from ftlint.reporters.json_format import JsonReporter
from ftlint.reporters.jsonl import JsonLinesReporter


def test_one_compact_object_per_line_in_order_and_nothing_else(render, make_finding):
    findings = [make_finding(line=3, message="a\nb"), make_finding(line=1), make_finding(line=2)]

    lines = render(JsonLinesReporter, findings).splitlines()

    assert [json.loads(line)["location"]["line"] for line in lines] == [1, 2, 3]
    assert json.loads(lines[2])["message"] == "a\nb"
    assert all(line.startswith('{"code":"D001","name":') for line in lines)


def test_objects_are_the_json_formats_findings(render, make_finding):
    findings = [
        make_finding("B002", line=0),
        make_finding(
            message="multi\nline",
            related=(RelatedLocation(Location("data/train.jsonl", 3), "first copy"),),
        ),
    ]

    from_jsonl = [json.loads(line) for line in render(JsonLinesReporter, findings).splitlines()]
    from_json = json.loads(render(JsonReporter, findings))["findings"]

    assert from_jsonl == from_json


def test_clean_run_writes_nothing(render):
    assert render(JsonLinesReporter, []) == ""
