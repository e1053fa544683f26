"""How findings quote text from the data: one helper for every rule."""

from __future__ import annotations

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
