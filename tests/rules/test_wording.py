"""How findings quote text from the data: one helper for every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftlint.testing import check_files
from ftlint_rules._wording import quote, quote_all


def test_quote_escapes_what_would_break_or_hide_in_a_message() -> None:
    assert quote("\n\n### Response:\n") == r"'\n\n### Response:\n'"
    assert quote("a\tb\\c\r") == r"'a\tb\\c\r'"
    assert quote("zero\u200bwidth\x00") == r"'zero\u200bwidth\x00'"
    assert quote("déjà vu") == "'déjà vu'"  # printable text is left as it is


def test_quote_chooses_the_quotes_as_python_does() -> None:
    assert quote("it's") == '"it\'s"'
    assert quote('it\'s "so"') == "'it\\'s \"so\"'"


def test_quote_cuts_long_text_to_the_limit() -> None:
    assert quote("x" * 40, 40) == "'" + "x" * 40 + "'"
    cut = quote("x" * 41, 40)
    assert cut == "'" + "x" * 37 + "...'"
    assert len(cut) == 40 + 2
    assert quote("one two   three four", 10) == "'one two...'"  # no space before the dots


def test_quote_all_lists_the_first_few() -> None:
    assert quote_all(["input", "it's"]) == "'input', \"it's\""
    assert quote_all(iter("abcdefg")) == "'a', 'b', 'c', 'd', 'e', ... (7 in all)"
    assert quote_all([]) == ""


@pytest.mark.parametrize(
    ("response", "quoted"),
    [
        ("x" * 60, "'" + "x" * 60 + "'"),  # as long as a quote may be: whole
        ("x" * 61, "'" + "x" * 57 + "...'"),  # longer: cut, and the quote says so
    ],
    ids=["at-the-limit", "over-the-limit"],
)
def test_a_response_is_quoted_whole_or_cut_with_dots(
    tmp_path: Path, response: str, quoted: str
) -> None:
    """Rules on response statistics keep a response's start only; they keep
    one character more than they quote, so that the quote knows it goes on."""
    records = [{"prompt": f"Task {n}", "completion": f"Answer {n}."} for n in range(35)]
    records += [{"prompt": f"Task {n}", "completion": response} for n in range(35, 40)]
    findings = check_files(tmp_path, {"train.jsonl": records}, select=["B003"])
    assert len(findings) == 1
    assert f"response {quoted} (first at train.jsonl:36)" in findings[0].message
