"""The text format: grouped by file, a summary line, optional statistics and
colour only when asked for."""

from __future__ import annotations

import pytest

from ftlint.core.findings import Edit, Fix, Location, RelatedLocation, Severity
from ftlint.reporters.text import TextReporter


@pytest.fixture
def two_files(make_finding):
    return [
        make_finding(
            "D001",
            line=12,
            related=(RelatedLocation(Location("data/train.jsonl", 3, 1), "first copy"),),
            fix=Fix("Drop the repeated record", (Edit(12, 1, 13, 1, ""),), safe=False),
        ),
        make_finding("B002", line=0, message="98% of labels are 'positive'."),
        make_finding(
            "K001",
            path="configs/sft.yaml",
            line=4,
            column=7,
            message="Quote 'no'.",
            fix=Fix("Quote the value", (Edit(4, 7, 4, 9, '"no"'),)),
        ),
    ]


def test_one_line_per_finding_files_apart_then_summary(render, two_files, make_summary):
    summary = make_summary(two_files, files=4, records=10_240)

    assert render(TextReporter, two_files, summary) == (
        "configs/sft.yaml:4:7: K001 Quote 'no'. [info: yaml-norway]\n"
        "    help: Quote the value\n"
        "\n"
        "data/train.jsonl: B002 98% of labels are 'positive'. [warning: label-imbalance]\n"
        "data/train.jsonl:12:1: D001 Record 12 repeats record 3 word for word. "
        "[error: exact-duplicate]\n"
        "    data/train.jsonl:3:1: first copy\n"
        "    help: Drop the repeated record (unsafe fix)\n"
        "\n"
        "Found 3 findings (1 error, 1 warning, 1 info) in 4 files, 10,240 records.\n"
        "1 fixable with --fix (1 more with --unsafe-fixes).\n"
    )


def test_a_blank_line_separates_files_only(render, make_finding):
    findings = [make_finding(path=path, line=line) for path in ("a", "b") for line in (1, 2)]

    lines = render(TextReporter, findings).splitlines()

    assert [line.split(":")[0] for line in lines[:5]] == ["a", "a", "", "b", "b"]


def test_clean_run(render, make_summary):
    summary = make_summary([], files=4, records=10_240)

    assert render(TextReporter, [], summary) == "All checks passed: 4 files, 10,240 records.\n"


@pytest.mark.parametrize(
    ("fields", "scope"),
    [
        ({"files": 1, "records": 1}, "1 file, 1 record"),
        ({"files": 2, "records": 0, "configs": 2}, "2 files, 2 configs"),
        ({"files": 3, "records": 1_000_000, "configs": 1}, "3 files, 1,000,000 records, 1 config"),
    ],
)
def test_summary_counts_agree_with_their_nouns(render, make_summary, fields, scope):
    assert render(TextReporter, [], make_summary([], **fields)) == f"All checks passed: {scope}.\n"


def test_single_finding_summary_is_singular(render, make_finding, make_summary):
    finding = make_finding(severity=Severity.WARNING)

    last = render(
        TextReporter, [finding], make_summary([finding], files=1, records=1)
    ).splitlines()[-1]

    assert last == "Found 1 finding (1 warning) in 1 file, 1 record."


def test_hidden_findings_are_mentioned_only_when_there_are_some(render, make_summary):
    quiet = render(TextReporter, [], make_summary([]))
    noisy = render(
        TextReporter,
        [],
        make_summary([], suppressed=3, baseline_matched=1_200, baseline_stale=1, truncated=0),
    )

    assert quiet.count("\n") == 1
    assert noisy.splitlines()[1:] == [
        "3 findings suppressed (per-file-ignores, noqa).",
        "1,200 findings in the baseline not shown.",
        "1 baseline entry no longer matches any finding.",
    ]


def test_truncated_findings_are_mentioned(render, make_finding, make_summary):
    findings = [make_finding(line=1)]

    output = render(TextReporter, findings, make_summary(findings, truncated=2))

    assert output.endswith("2 more findings over the max-findings limit not shown.\n")


def test_statistics_table_most_frequent_first(render, make_finding):
    findings = [
        make_finding("K001", line=1),
        *(make_finding("D001", line=line) for line in range(2, 5)),
        *(make_finding("B002", line=line) for line in range(5, 8)),
    ]

    output = render(TextReporter, findings, show_statistics=True)
    table = output[output.index("Count") : output.index("Found")]

    assert table == (
        "Count  Code  Name             Severity\n"
        "    3  B002  label-imbalance  warning\n"
        "    3  D001  exact-duplicate  error\n"
        "    1  K001  yaml-norway      info\n"
        "\n"
    )


def test_statistics_use_the_reported_severity_and_declared_names(render, make_finding):
    findings = [make_finding("D001", severity=Severity.WARNING)]

    output = render(TextReporter, findings, show_statistics=True)

    assert "    1  D001  exact-duplicate  warning\n" in output


def test_no_statistics_unless_asked(render, two_files):
    assert "Count" not in render(TextReporter, two_files)


def test_no_escape_codes_without_colour(render, two_files):
    assert "\x1b" not in render(TextReporter, two_files, color=False, show_statistics=True)


def test_colour_marks_severities_when_asked(render, make_finding):
    findings = [make_finding("D001", line=1), make_finding("B002", line=2)]

    output = render(TextReporter, findings, color=True)

    assert "\x1b[1;31mD001\x1b[0m" in output
    assert "\x1b[33m[warning: label-imbalance]\x1b[0m" in output
    assert "\x1b[1;31mFound 2 findings" in output


def test_clean_run_is_green_when_coloured(render):
    assert render(TextReporter, [], color=True).startswith("\x1b[1;32mAll checks passed")


def test_message_line_breaks_stay_on_one_line(render, make_finding):
    output = render(TextReporter, [make_finding(message="one\ntwo")])

    assert r"D001 one\ntwo [error: exact-duplicate]" in output
