"""The shared text scan (ftlint.text.scan) and the rules' text triggers.

A trigger may match more texts than its rule reports on, never fewer: the
property test below runs each built-in rule that declares one on generated
texts full of what the rules look for, and fails on any finding in a record
none of whose texts its trigger matches.
"""

from __future__ import annotations

import json
import pickle
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftlint import (
    DatasetFile,
    Finding,
    Record,
    RecordContext,
    RecordRule,
    Severity,
    Split,
    hookimpl,
)
from ftlint.api.text import WHITESPACE
from ftlint.run.engine import text_triggers
from ftlint.run.registry import load_plugins
from ftlint.shapes.builtin import recognise
from ftlint.testing import check_files
from ftlint.text.scan import TextScan, uses_re2

BUILTIN = load_plugins().rules
#: The built-in record rules with a trigger, each with default options and
#: with options that change its trigger.
OPTIONS: dict[str, list[dict[str, Any]]] = {
    "N003": [{"max_blank_lines": 5}],
    "N004": [{"extra_phrases": ("Ich bin ein KI-Modell", "İstanbul")}],
    "S006": [{"extra_phrases": ("[fill me in later please]",)}],
}
TRIGGERED = [
    code
    for code, rule in sorted(BUILTIN.items())
    if issubclass(rule, RecordRule) and rule().text_trigger() is not None
]


def test_whitespace_is_every_character_str_isspace_takes() -> None:
    pattern = re.compile(WHITESPACE)
    for point in range(0x110000):
        char = chr(point)
        if 0xD800 <= point < 0xE000:
            continue
        assert bool(pattern.fullmatch(char)) == char.isspace(), hex(point)


def test_the_rules_that_read_texts_declare_triggers() -> None:
    assert set(TRIGGERED) >= {"N001", "N002", "N003", "N004", "P006", "S006"}


@pytest.mark.parametrize("code", TRIGGERED)
def test_builtin_triggers_are_searched_by_re2(code: str) -> None:
    rule_class = BUILTIN[code]
    for options in [{}, *OPTIONS.get(code, [])]:
        trigger = rule_class(rule_class.Options(**options)).text_trigger()
        assert trigger is not None, (code, options)
        assert uses_re2(trigger), (code, options)


def test_scan_says_which_triggers_match_some_text() -> None:
    scan = TextScan([r"<br>", r"\A\s", r"(?i:as an ai)"])
    assert scan.matching(["plain", "ends<br>"]) == {0}
    assert scan.matching([" lead", "AS AN AI language model"]) == {1, 2}
    assert scan.matching(["nothing here", "or here"]) == set()
    assert scan.matching([]) == set()


def test_scan_pickles_as_its_triggers_and_compiles_again() -> None:
    scan = TextScan([r"&amp;", r"\{"])
    assert scan.matching(["a &amp; b"]) == {0}
    copy = pickle.loads(pickle.dumps(scan))
    assert copy.triggers == scan.triggers
    assert copy.matching(["{x}"]) == {1}


def test_text_re2_cannot_take_matches_every_trigger() -> None:
    scan = TextScan([r"x", r"y"])
    assert scan.matching(["lone \ud800 surrogate"]) == {0, 1}


def test_trigger_re2_refuses_is_searched_with_python_re() -> None:
    lookbehind = r"(?<=a)b"
    assert not uses_re2(lookbehind)
    scan = TextScan([r"c", lookbehind])
    assert scan.matching(["ab"]) == {1}
    assert scan.matching(["bb", "cab"]) == {0, 1}


class _Counted(RecordRule):
    """Reports every record it is shown, to see which ones the engine shows it."""

    code = "ZZ001"
    name = "counted"
    summary = "Reports every record it sees."
    severity = Severity.INFO
    trigger: ClassVar[str | None] = r"needle"

    def text_trigger(self) -> str | None:
        return self.trigger

    def check(self, record: RecordContext) -> Iterator[Finding]:
        yield self.finding("seen", record.location())


class _Broken(_Counted):
    code = "ZZ002"
    name = "broken-trigger"
    trigger = r"(unclosed"


def test_engine_shows_a_triggered_rule_only_the_records_its_trigger_matches(
    tmp_path: Path,
) -> None:
    records = [
        {"messages": [{"role": "user", "content": "hay"}, {"role": "assistant", "content": "a"}]},
        {
            "messages": [
                {"role": "user", "content": "needle"},
                {"role": "assistant", "content": "b"},
            ]
        },
        {"text": "a needle in text"},
        {"text": "only hay"},
    ]
    lines = "".join(json.dumps(r) + "\n" for r in records)
    findings = check_files(
        tmp_path,
        {"train.jsonl": lines},
        select=["ZZ001", "ZZ002"],
        extra_plugins=[_TriggeredRules],
    )
    assert [f.location.line for f in findings if f.code == "ZZ001"] == [2, 3]
    # A trigger that does not compile is ignored: the rule sees every record.
    assert [f.location.line for f in findings if f.code == "ZZ002"] == [1, 2, 3, 4]


def test_a_trigger_that_raises_is_ignored() -> None:
    class Raising(_Counted):
        def text_trigger(self) -> str | None:
            raise RuntimeError("plugin bug")

    assert text_triggers([Raising(), _Counted()]) == {"ZZ001": "needle"}


class _TriggeredRules:
    @staticmethod
    @hookimpl
    def ftlint_rules() -> list[type[RecordRule]]:
        return [_Counted, _Broken]


# --- Soundness: no finding without a trigger match ------------------------------------

#: Pieces of what the triggered rules look for, near misses included, in
#: several cases and apostrophes, for the generated texts to be made of.
PIECES = [
    "<br>", "<p>", "</p>", "<div class=\"markdown prose\">", "&amp;", "&#39;", "amp;", "quot;",
    "#39;", "#\u0663\u0669;", "\\n\\n", "\\\"", "Copy code", "pythonCopy code", "1 / 1", " / ",
    "\x00", "\x1b", "\x93", "\r", "\r\n", "\ufeff", "\ufffd", "\x0b", " ", "\t", "\n", "\n\n\n\n",
    "\xa0", "\u3000", "\x1c", "As an AI language model", "AS AN AI LANGUAGE MODEL",
    "as an a\u0131 language model", "I\u2019m sorry, but I can\u2019t", "I'm ChatGPT",
    "my knowledge cutoff", "Who are you?", "<|im_start|>", "[INST]", "<s>", "</s>", "<<SYS>>",
    "{name}", "{{ slot }}", "${x}", "N/A", "<noinput>", "TODO", "none", "-", "lorem ipsum",
    "Lorem ipsum dolor sit amet", "sdfg", "asdasd", "```", "`code`", "html", "python", "word",
    "Hello there.", "x",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


def _records(system: str, user: str, answer: str, rejected: str) -> list[Any]:
    return [
        {
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": user},
                {"role": "assistant", "content": answer},
            ]
        },
        {"instruction": user, "input": system, "output": answer},
        {"prompt": user, "completion": answer},
        {"text": answer},
        {"prompt": user, "chosen": answer, "rejected": rejected},
    ]


def _rules() -> list[RecordRule]:
    rules: list[RecordRule] = []
    for code in TRIGGERED:
        rule_class = BUILTIN[code]
        for options in [{}, *OPTIONS.get(code, [])]:
            rule = rule_class(rule_class.Options(**options))
            assert isinstance(rule, RecordRule)
            rules.append(rule)
    return rules


RULES = _rules()
SCAN = TextScan([rule.text_trigger() or "" for rule in RULES])


@given(system=texts, user=texts, answer=texts, rejected=texts)
def test_no_rule_reports_on_a_record_its_trigger_does_not_match(
    system: str, user: str, answer: str, rejected: str
) -> None:
    file = DatasetFile(Path("train.jsonl"), "train.jsonl", Split.TRAIN, ".")
    for index, value in enumerate(_records(system, user, answer, rejected)):
        view = recognise(value)
        if view is None:
            continue
        raw = json.dumps(value).encode()
        context = RecordContext(file, Record("train.jsonl", 1, 1, 0, index, raw, value), view)
        matching = SCAN.matching([t.text for t in view.texts() if t.text])
        for number, rule in enumerate(RULES):
            if number in matching:
                continue
            found = list(rule.check(context))
            assert not found, (rule.code, rule.options, value, found)
