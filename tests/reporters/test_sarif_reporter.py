"""The SARIF format: valid against the official 2.1.0 schema and shaped the way
GitHub code scanning needs (relative URIs, a region for every result, stable
fingerprints, its limits)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from ftlint.core.findings import Edit, Fix, Location, RelatedLocation, Severity
from ftlint.reporters import sarif
from ftlint.reporters.sarif import SarifReporter


@pytest.fixture
def varied_findings(make_finding):
    """One of everything a result can carry."""
    return [
        make_finding(
            "D001",
            location=Location("data/train.jsonl", 12, 1, 12, 80, "/messages/0/content"),
            related=(
                RelatedLocation(Location("data/train.jsonl", 3, 1), "first copy"),
                RelatedLocation(Location("data/test.jsonl", 0), "the whole test split"),
            ),
            fix=Fix("Drop the repeated record", (Edit(12, 1, 13, 1, ""),), safe=False),
        ),
        make_finding("B002", line=0, message="98% of labels are 'positive'."),
        make_finding(
            "K001",
            path="configs/sft run.yaml",
            line=4,
            column=7,
            message="Quote 'no'.",
            fix=Fix("Quote the value", (Edit(4, 7, 4, 7, '"'), Edit(4, 9, 4, 9, '"'))),
        ),
        make_finding("X999", name="engine-error", message="The file is not UTF-8."),
    ]


def sarif_log(render, findings, **context):
    return json.loads(render(SarifReporter, findings, **context))


def artifact_location(result):
    return result["locations"][0]["physicalLocation"]["artifactLocation"]


def region(result):
    return result["locations"][0]["physicalLocation"]["region"]


def test_log_is_valid_against_the_official_schema(render, varied_findings, sarif_schema):
    log = sarif_log(
        render, varied_findings, invocation=("ftlint", "check", "--output-format=sarif")
    )

    validator = jsonschema.Draft4Validator(
        sarif_schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_clean_run_is_valid_and_still_lists_every_rule(render, rules, sarif_schema):
    log = sarif_log(render, [])

    jsonschema.validate(log, sarif_schema, cls=jsonschema.Draft4Validator)
    (run,) = log["runs"]
    assert run["results"] == []
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [r.code for r in rules]


def test_log_header_driver_and_invocation(render, tmp_path):
    log = sarif_log(render, [], root=str(tmp_path), invocation=("ftlint", "check", "my data"))

    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "ftlint"
    assert run["tool"]["driver"]["version"] == "1.2.3"
    assert run["tool"]["driver"]["informationUri"] == "https://github.com/ftlint/ftlint"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    assert run["invocations"] == [
        {
            "executionSuccessful": True,
            "commandLine": "ftlint check 'my data'",
            "arguments": ["ftlint", "check", "my data"],
        }
    ]


def test_rules_carry_descriptions_help_level_and_tags(render):
    rules = {
        rule["id"]: rule for rule in sarif_log(render, [])["runs"][0]["tool"]["driver"]["rules"]
    }

    assert rules["D001"] == {
        "id": "D001",
        "name": "exact-duplicate",
        "shortDescription": {"text": "A record repeats another one word for word."},
        "fullDescription": {
            "text": "Finds records whose content is identical to an earlier record."
        },
        "help": {
            "text": "Finds records whose content is identical to an earlier record.\n\n"
            "Duplicates over-weight their examples in training.",
            "markdown": "Finds records whose content is identical to an earlier record.\n\n"
            "Duplicates over-weight their examples in training.",
        },
        "defaultConfiguration": {"level": "error"},
        "helpUri": "https://example.org/docs/rules/D001.md",
        "properties": {"tags": ["ftlint"]},
    }
    assert rules["B002"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["K001"]["defaultConfiguration"] == {"level": "note"}
    assert "helpUri" not in rules["K001"], "a rule without a page has no helpUri"


def test_full_description_falls_back_to_the_summary(render):
    rules = {r["id"]: r for r in sarif_log(render, [])["runs"][0]["tool"]["driver"]["rules"]}

    assert rules["B002"]["fullDescription"] == {"text": "One label dominates a split."}


def test_result_levels_follow_the_reported_severity(render, make_finding):
    findings = [
        make_finding("D001", line=1),
        make_finding("D001", line=2, severity=Severity.WARNING),
        make_finding("D001", line=3, severity=Severity.INFO),
    ]

    results = sarif_log(render, findings)["runs"][0]["results"]

    assert [result["level"] for result in results] == ["error", "warning", "note"]


def test_every_rule_index_points_at_its_rule(render, varied_findings):
    (run,) = sarif_log(render, varied_findings)["runs"]
    rules = run["tool"]["driver"]["rules"]

    assert {result["ruleId"] for result in run["results"]} == {"D001", "B002", "K001", "X999"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert rules[-1] == {
        "id": "X999",
        "name": "engine-error",
        "shortDescription": {"text": "engine-error"},
        "defaultConfiguration": {"level": "error"},
    }


def test_uris_are_relative_percent_encoded_references_to_srcroot(render, make_finding, tmp_path):
    inside = tmp_path / "data dir" / "train#1%.jsonl"
    outside = Path("/elsewhere/eval.jsonl").resolve()
    findings = [
        make_finding(path="configs/sft run.yaml"),
        make_finding(path=str(inside)),
        make_finding(path=str(outside)),
    ]

    results = sarif_log(render, findings, root=str(tmp_path))["runs"][0]["results"]
    artifacts = [artifact_location(result) for result in results]

    assert {"uri": "configs/sft%20run.yaml", "uriBaseId": "%SRCROOT%"} in artifacts
    assert {"uri": "data%20dir/train%231%25.jsonl", "uriBaseId": "%SRCROOT%"} in artifacts
    assert {"uri": outside.as_uri()} in artifacts


def test_partial_fingerprint_is_the_engines_fingerprint(render, make_finding):
    (result,) = sarif_log(render, [make_finding(fingerprint="c0ffee")])["runs"][0]["results"]

    assert result["partialFingerprints"] == {
        "primaryLocationLineHash": "c0ffee",
        "ftlint/v1": "c0ffee",
    }


def test_every_region_has_an_end_and_file_level_is_the_start_of_the_file(render, varied_findings):
    results = {r["ruleId"]: r for r in sarif_log(render, varied_findings)["runs"][0]["results"]}

    assert region(results["B002"]) == {
        "startLine": 1,
        "startColumn": 1,
        "endLine": 1,
        "endColumn": 1,
    }
    assert region(results["D001"]) == {
        "startLine": 12,
        "startColumn": 1,
        "endLine": 12,
        "endColumn": 80,
    }
    # An end the command line did not find is the start: an empty region.
    assert region(results["K001"]) == {
        "startLine": 4,
        "startColumn": 7,
        "endLine": 4,
        "endColumn": 7,
    }


def test_related_locations_have_ids_messages_and_regions(render, varied_findings):
    results = {r["ruleId"]: r for r in sarif_log(render, varied_findings)["runs"][0]["results"]}

    assert results["D001"]["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "data/train.jsonl", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 1, "endLine": 3, "endColumn": 1},
            },
            "message": {"text": "first copy"},
        },
        {
            "id": 2,
            "physicalLocation": {
                "artifactLocation": {"uri": "data/test.jsonl", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
            },
            "message": {"text": "the whole test split"},
        },
    ]
    assert results["D001"]["properties"] == {"pointer": "/messages/0/content"}
    assert "relatedLocations" not in results["B002"]


def test_related_locations_are_capped_and_the_rest_counted(render, make_finding):
    related = tuple(
        RelatedLocation(Location("data/train.jsonl", line), "another copy") for line in range(1, 51)
    )

    (result,) = sarif_log(render, [make_finding(related=related)])["runs"][0]["results"]

    assert len(result["relatedLocations"]) == sarif.MAX_RELATED_LOCATIONS
    assert [loc["id"] for loc in result["relatedLocations"]] == list(range(1, 21))
    assert result["properties"]["relatedLocationsOmitted"] == 50 - sarif.MAX_RELATED_LOCATIONS


def test_fixes_become_replacements_in_the_findings_file(render, varied_findings):
    results = {r["ruleId"]: r for r in sarif_log(render, varied_findings)["runs"][0]["results"]}

    assert results["D001"]["fixes"] == [
        {
            "description": {"text": "Drop the repeated record"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "data/train.jsonl", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 12,
                                "startColumn": 1,
                                "endLine": 13,
                                "endColumn": 1,
                            }
                        }
                    ],
                }
            ],
            "properties": {"safe": False},
        }
    ]
    (change,) = results["K001"]["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "configs/sft%20run.yaml"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 4, "startColumn": 7, "endLine": 4, "endColumn": 7},
            "insertedContent": {"text": '"'},
        },
        {
            "deletedRegion": {"startLine": 4, "startColumn": 9, "endLine": 4, "endColumn": 9},
            "insertedContent": {"text": '"'},
        },
    ]
    assert "fixes" not in results["B002"]


def test_over_the_result_limit_the_least_severe_are_dropped_in_order(
    render, make_finding, make_summary, monkeypatch
):
    monkeypatch.setattr(sarif, "MAX_RESULTS", 3)
    findings = [
        make_finding("K001", line=1),
        make_finding("D001", line=2),
        make_finding("B002", line=3),
        make_finding("D001", line=4),
        make_finding("B002", line=5),
    ]

    (run,) = sarif_log(render, findings, summary=make_summary(findings, truncated=7))["runs"]

    kept = [(result["ruleId"], region(result)["startLine"]) for result in run["results"]]
    assert kept == [("D001", 2), ("B002", 3), ("D001", 4)]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert notes == [
        "2 less severe results were left out: "
        "GitHub code scanning accepts at most 3 results a run.",
        "7 findings over the max-findings limit were not reported.",
    ]
