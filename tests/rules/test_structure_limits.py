"""What the YAML cases cannot show: the structure rules' bounds on memory
(record locations kept past a cap, files with data in their keys) and the
helpers that name turns and read JSON Pointers."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from ftlint import DatasetFile, FileState, Record, RecordContext, Role, Split, Turn
from ftlint.shapes.builtin import recognise
from ftlint.testing import check_files
from ftlint_rules._sample import SAMPLE_CAP
from ftlint_rules._wording import turn_label
from ftlint_rules.structure._common import MISSING, handed_over_messages, resolve
from ftlint_rules.structure.s004_unexpected_field import MAX_KEYS, UnexpectedField
from ftlint_rules.structure.s008_wrong_type import WrongType

from ..test_shapes import random_json

CHAT = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
TEXT = {"text": "Hello"}


def test_minority_records_past_the_cap_are_summed_up(tmp_path: Path) -> None:
    strays = SAMPLE_CAP + 5
    records = [CHAT] * (9 * strays) + [TEXT] * strays
    findings = check_files(tmp_path, {"train.jsonl": records}, select=["S003"])
    per_record = [f for f in findings if f.location.line > 0]
    summary = [f for f in findings if f.location.line == 0]
    assert len(per_record) == SAMPLE_CAP
    assert per_record[0].location.line == 9 * strays + 1
    assert len(summary) == 1
    assert "5 more records are text" in summary[0].message


def test_keys_that_hold_data_are_not_strays(tmp_path: Path) -> None:
    records: list[Any] = [{"text": "Hello", f"key{i}": 1} for i in range(MAX_KEYS + 1)]
    findings = check_files(
        tmp_path, {"train.jsonl": records}, select=["S004"], options={"S004": {"min-records": 1}}
    )
    assert findings == []


def test_structure_rules_never_raise_on_arbitrary_json(tmp_path: Path) -> None:
    rng = random.Random(7)
    records = [random_json(rng, depth=rng.randrange(2)) for _ in range(2000)]
    findings = check_files(tmp_path, {"train.jsonl": records}, select=["S"])
    assert {f.code for f in findings} >= {"S002", "S005", "S007", "S008"}


def test_resolve_follows_pointers() -> None:
    value = {"messages": [{"content": "Hi"}], "a/b": {"~": 1}}
    assert resolve(value, "/messages/0/content") == "Hi"
    assert resolve(value, "/a~1b/~0") == 1
    assert resolve(value, "") is value
    assert resolve(value, "/messages/3") is MISSING
    assert resolve(value, "/messages/x/content") is MISSING
    assert resolve({"a": None}, "/a") is None


@pytest.mark.parametrize(
    ("turn", "label"),
    [
        (Turn(Role.ASSISTANT, "", "/output"), "'output'"),
        (
            Turn(Role.ASSISTANT, "", "/messages/2/content", raw_role="assistant"),
            "assistant message 3",
        ),
        (Turn(Role.USER, "", "/conversations/0/value", raw_role="human"), "human message 1"),
        (Turn(Role.ASSISTANT, "", "/chosen/value", raw_role="gpt"), "'chosen' gpt message"),
        (
            Turn(Role.ASSISTANT, "", "/chosen/1/content", raw_role="assistant"),
            "assistant message 2 of 'chosen'",
        ),
        (Turn(Role.USER, "", "/history/1/0"), "query of history pair 2"),
        (Turn(Role.TEXT, "", "/messages/0"), "message 1"),
    ],
)
def test_turn_label(turn: Turn, label: str) -> None:
    assert turn_label(turn) == label


def _without_messages(value: dict[str, Any]) -> RecordContext:
    """A chat record as a plugin's shape may read it: turns that do not carry
    the message objects they come from."""
    view = recognise(value)
    assert view is not None
    bare = replace(view, turns=tuple(replace(t, message=None) for t in view.turns))
    file = DatasetFile(Path("train.jsonl"), "train.jsonl", Split.TRAIN, ".")
    raw = json.dumps(value).encode()
    return RecordContext(file, Record("train.jsonl", 1, 1, 0, 0, raw, value), bare)


def test_messages_a_shape_did_not_hand_over_are_found_by_pointer() -> None:
    value = {
        "messages": [
            {"role": "user", "contnet": "Hi", "content": "Hi"},
            {"role": "assistant", "content": "Hello", "weight": 2},
        ]
    }
    record = _without_messages(value)
    assert record.view is not None
    assert handed_over_messages(record.view.texts()) is None
    assert handed_over_messages(recognise(value).texts()) == value["messages"]  # type: ignore[union-attr]

    s008 = WrongType()
    assert [f.location.pointer for f in s008.check(record)] == ["/messages/1/weight"]
    s004 = UnexpectedField()
    state = s004.start()
    s004.add(state, record)
    found = list(s004.finish([FileState(record.file, state)]))
    assert any("contnet" in f.message for f in found), [f.message for f in found]
