"""What every built-in format promises: a unique name, a description, output
only to its stream, and sensible handling of any finding."""

from __future__ import annotations

import pytest

from ftlint.reporters import BUILTIN_REPORTERS
from ftlint.reporters.base import Reporter


def test_builtin_formats_are_the_documented_ones_in_order():
    assert [reporter.name for reporter in BUILTIN_REPORTERS] == [
        "text",
        "concise",
        "json",
        "jsonl",
        "sarif",
        "github",
        "html",
        "markdown",
    ]


@pytest.mark.parametrize("reporter", BUILTIN_REPORTERS, ids=lambda r: r.name)
def test_reporter_is_described(reporter):
    assert issubclass(reporter, Reporter)
    assert reporter.description.strip()


@pytest.mark.parametrize("reporter", BUILTIN_REPORTERS, ids=lambda r: r.name)
def test_writes_only_to_its_stream(render, make_finding, capsys, reporter):
    findings = [make_finding("B002", line=0), make_finding("D001"), make_finding("X001")]

    output = render(reporter, findings, show_statistics=True)

    assert output
    assert capsys.readouterr() == ("", "")
