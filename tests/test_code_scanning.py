"""SARIF from the command line, as GitHub code scanning reads it: valid, every
region with an end, and alerts that follow their findings across edits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import RunCli, write_jsonl


def _chat(question: str, answer: str) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer},
        ]
    }


TRAIN = [_chat(f"Question {i}?", f"Answer {i}.") for i in range(20)]
#: A validation split with a leaked train record (L001), an empty answer
#: (S005) and a duplicate (D001, whose first copy is a related location).
VALID = [TRAIN[4], _chat("Why?", ""), _chat("How?", "So."), _chat("How?", "So.")]


def _sarif(run_cli: RunCli, root: Path) -> dict[str, Any]:
    status, out, err = run_cli(
        "check", "data", "--select", "L001,S005,D001,S009", "--output-format", "sarif",
        "--no-cache", cwd=root,
    )  # fmt: skip
    assert status == 1, err
    log: dict[str, Any] = json.loads(out)
    return log


def _regions(log: dict[str, Any]) -> list[dict[str, Any]]:
    results = log["runs"][0]["results"]
    locations = [
        location
        for result in results
        for location in [*result["locations"], *result.get("relatedLocations", [])]
    ]
    return [location["physicalLocation"]["region"] for location in locations]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_jsonl(tmp_path / "data/train.jsonl", TRAIN)
    write_jsonl(tmp_path / "data/valid.jsonl", VALID)
    return tmp_path


def test_sarif_of_a_run_is_valid(
    run_cli: RunCli, project: Path, sarif_schema: dict[str, Any]
) -> None:
    log = _sarif(run_cli, project)
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} == {"L001", "S005", "D001", "S009"}


def test_rules_link_their_page_and_describe_themselves_in_prose(
    run_cli: RunCli, project: Path
) -> None:
    rules = {r["id"]: r for r in _sarif(run_cli, project)["runs"][0]["tool"]["driver"]["rules"]}
    empty = rules["S005"]
    assert empty["helpUri"] == "https://github.com/ftlint/ftlint/blob/main/docs/rules/S005.md"
    assert empty["fullDescription"]["text"].startswith("Checks that every text a record needs")
    assert "#" not in empty["fullDescription"]["text"]
    assert empty["help"]["markdown"].startswith("## What it does")


def test_every_region_ends_where_its_line_ends(run_cli: RunCli, project: Path) -> None:
    log = _sarif(run_cli, project)
    lines = {
        name: (project / "data" / name).read_text().splitlines()
        for name in ("train.jsonl", "valid.jsonl")
    }
    regions = _regions(log)
    assert len(regions) > len(log["runs"][0]["results"]), "related locations are included"
    for region in regions:
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= region.keys()
    for result in log["runs"][0]["results"]:
        for location in [*result["locations"], *result.get("relatedLocations", [])]:
            physical = location["physicalLocation"]
            name = Path(physical["artifactLocation"]["uri"]).name
            region = physical["region"]
            if result["ruleId"] == "S009":  # file-level: the start of the file
                assert (region["endLine"], region["endColumn"]) == (1, 1)
                continue
            line = lines[name][region["startLine"] - 1]
            assert region["endLine"] == region["startLine"]
            assert region["endColumn"] == len(line) + 1


def test_line_hash_follows_findings_when_records_are_inserted_above(
    run_cli: RunCli, project: Path
) -> None:
    def alerts(log: dict[str, Any]) -> dict[str, tuple[str, int]]:
        return {
            r["partialFingerprints"]["primaryLocationLineHash"]: (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in log["runs"][0]["results"]
        }

    before = alerts(_sarif(run_cli, project))
    write_jsonl(
        project / "data/valid.jsonl", [_chat("New?", "Yes."), _chat("Also?", "No."), *VALID]
    )
    after = alerts(_sarif(run_cli, project))

    assert before.keys() == after.keys()
    assert len(before) == 5  # S009 twice: the train and the validation split are small
    for line_hash, (code, line) in before.items():
        moved = 0 if code == "S009" else 2
        assert after[line_hash] == (code, line + moved)
