"""The github format: one workflow command per finding, escaped the way the
Actions runner unescapes."""

from __future__ import annotations

import pytest

from ftlint.core.findings import Location, RelatedLocation, Severity
from ftlint.reporters.github import GithubReporter, escape_data, escape_property


def test_error_with_a_range_on_one_line(render, make_finding):
    finding = make_finding(location=Location("data/train.jsonl", 12, 3, 12, 40))

    assert render(GithubReporter, [finding]) == (
        "::error file=data/train.jsonl,line=12,endLine=12,col=3,endColumn=40,"
        "title=D001 exact-duplicate::Record 12 repeats record 3 word for word.\n"
    )


@pytest.mark.parametrize(
    ("severity", "command"),
    [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")],
)
def test_severity_picks_the_command(render, make_finding, severity, command):
    output = render(GithubReporter, [make_finding(severity=severity)])

    assert output.startswith(f"::{command} file=")


def test_file_level_finding_has_only_a_file(render, make_finding):
    output = render(GithubReporter, [make_finding("B002", line=0, message="Skewed.")])

    assert output == "::warning file=data/train.jsonl,title=B002 label-imbalance::Skewed.\n"


def test_columns_are_left_out_of_a_multi_line_range(render, make_finding):
    finding = make_finding(location=Location("a.jsonl", 3, 5, 6, 2))

    assert render(GithubReporter, [finding]).startswith(
        "::error file=a.jsonl,line=3,endLine=6,title="
    )


def test_message_and_properties_are_escaped(render, make_finding):
    finding = make_finding(
        path="data/a,b:c%.jsonl",
        line=2,
        column=1,
        message="100% sure:\r\nline two, really",
    )

    assert render(GithubReporter, [finding]) == (
        "::error file=data/a%2Cb%3Ac%25.jsonl,line=2,col=1,title=D001 exact-duplicate"
        "::100%25 sure:%0D%0Aline two, really\n"
    )


def test_related_locations_become_extra_message_lines(render, make_finding):
    finding = make_finding(
        message="Duplicate.",
        related=(
            RelatedLocation(Location("data/train.jsonl", 3, 1), "first copy"),
            RelatedLocation(Location("data/test.jsonl", 0), "test split"),
        ),
    )

    message = render(GithubReporter, [finding]).split("::", 2)[2]

    assert (
        message == "Duplicate.%0Adata/train.jsonl:3:1: first copy%0Adata/test.jsonl: test split\n"
    )


def test_absolute_paths_under_the_root_are_made_relative(render, make_finding, tmp_path):
    finding = make_finding(path=str(tmp_path / "data" / "train.jsonl"))

    output = render(GithubReporter, [finding], root=str(tmp_path))

    assert output.startswith("::error file=data/train.jsonl,line=12,")


def test_clean_run_writes_nothing(render):
    assert render(GithubReporter, []) == ""


def test_escaping_order_does_not_double_escape():
    assert escape_data("%0A\n") == "%250A%0A"
    assert escape_property("%3A:,") == "%253A%3A%2C"
