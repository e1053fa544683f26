"""Record fixes (dataset findings) as the reporters write them: the change
list in the JSON envelope and in SARIF, where a record removed is a line
deleted and other changes ride in the fix's properties."""

from __future__ import annotations

import json

import jsonschema

from ftlint.core.findings import Fix, Location
from ftlint.reporters.json_format import JsonReporter
from ftlint.reporters.sarif import SarifReporter

REMOVE = Fix.remove_record("remove this later copy", safe=True)
STRIP = Fix.replace_in_string("strip", "/messages/0/content", [(0, 1, "")], safe=True)
APPEND = Fix.append_to_string("append '###'", "/prompt", "###", safe=False)


def _findings(make_finding):
    return [
        make_finding("D001", line=4, fix=REMOVE),
        make_finding("N003", location=Location("data/train.jsonl", 7, 43), fix=STRIP),
        make_finding("P001", location=Location("data/train.jsonl", 9, 3), fix=APPEND),
    ]


def test_the_json_envelope_lists_the_changes(render, make_finding):
    findings = json.loads(render(JsonReporter, _findings(make_finding)))["findings"]
    assert [f["fix"]["changes"] for f in findings] == [
        [{"remove": True}],
        [{"remove": False, "pointer": "/messages/0/content", "start": 0, "end": 1, "content": ""}],
        [{"remove": False, "pointer": "/prompt", "append": "###"}],
    ]


def test_sarif_deletes_a_removed_line_and_keeps_other_changes_as_properties(render, make_finding):
    results = json.loads(render(SarifReporter, _findings(make_finding)))["runs"][0]["results"]
    fixes = [result["fixes"][0] for result in results]
    regions = [fix["artifactChanges"][0]["replacements"][0]["deletedRegion"] for fix in fixes]
    assert regions[0] == {"startLine": 4, "startColumn": 1, "endLine": 5, "endColumn": 1}
    assert regions[1] == {"startLine": 7, "startColumn": 43, "endLine": 7, "endColumn": 43}
    assert fixes[1]["properties"]["recordChanges"][0]["pointer"] == "/messages/0/content"
    assert fixes[2]["properties"] == {
        "safe": False,
        "recordChanges": [{"remove": False, "pointer": "/prompt", "append": "###"}],
    }


def test_sarif_with_record_fixes_is_valid(render, make_finding, sarif_schema):
    log = json.loads(render(SarifReporter, _findings(make_finding)))
    jsonschema.validate(log, sarif_schema, cls=jsonschema.Draft4Validator)
