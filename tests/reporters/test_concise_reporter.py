"""The concise format: exactly one ``path:line:col: CODE message`` line per
finding, then one summary line."""

from __future__ import annotations

import re

from ftlint.reporters.concise import ConciseReporter

PROBLEM_MATCHER = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>\S+) (?P<msg>.*)$"
)


def test_one_line_per_finding_then_found_line(render, make_finding):
    findings = [
        make_finding("D001", path="data/train.jsonl", line=12, column=3),
        make_finding("K001", path="configs/sft.yaml", line=4, column=7, message="Quote 'no'."),
    ]

    assert render(ConciseReporter, findings) == (
        "configs/sft.yaml:4:7: K001 Quote 'no'.\n"
        "data/train.jsonl:12:3: D001 Record 12 repeats record 3 word for word.\n"
        "Found 2 findings.\n"
    )


def test_file_level_finding_is_printed_at_1_1(render, make_finding):
    finding = make_finding("B002", line=0, message="98% of labels are 'positive'.")

    first = render(ConciseReporter, [finding]).splitlines()[0]

    assert first == "data/train.jsonl:1:1: B002 98% of labels are 'positive'."


def test_every_finding_line_matches_a_problem_matcher_and_the_summary_does_not(
    render, make_finding
):
    findings = [
        make_finding("B002", line=0),
        make_finding("D001", line=7, message="Two\nlines\r\nhere."),
    ]

    *finding_lines, summary_line = render(ConciseReporter, findings).splitlines()

    assert len(finding_lines) == 2
    assert all(PROBLEM_MATCHER.match(line) for line in finding_lines)
    assert finding_lines[1].endswith(r"D001 Two\nlines\r\nhere.")
    assert not PROBLEM_MATCHER.match(summary_line)


def test_clean_run_prints_only_all_checks_passed(render):
    assert render(ConciseReporter, []) == "All checks passed.\n"


def test_summary_mentions_findings_cut_by_the_limit(render, make_finding, make_summary):
    findings = [make_finding(line=line) for line in range(1, 1_002)]

    output = render(ConciseReporter, findings, make_summary(findings, truncated=2_500))

    assert output.endswith("Found 1,001 findings (2,500 more over the max-findings limit).\n")
