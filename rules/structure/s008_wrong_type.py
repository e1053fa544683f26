"""S008 wrong-type."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from ftlint.api import (
    Finding,
    RecordContext,
    RecordRule,
    RecordView,
    Severity,
    Turn,
    pointer_tokens,
)

from .._wording import turn_label
from ._common import (
    Problem,
    handed_over_messages,
    is_element,
    json_type,
    message_objects,
    report,
    resolve,
)

#: Keys holding a KTO record's label, as the KTO shape reads them.
LABEL_KEYS = ("kto_tag", "label")


class WrongType(RecordRule):
    """## What it does
    Checks the JSON types of what trainers read: every text must be a string
    (a chat `content` may also be a list of content parts such as
    `[{"type": "text", "text": "..."}]`), every message an object, a KTO
    `label` (or `kto_tag`) a boolean, and an OpenAI message `weight` 0 or 1.

    ## Why is this bad?
    A number where a string belongs (`"output": 42`) crashes tokenisation or
    is silently turned into `"42"` by one loader and `None` by another. A
    label `"false"` is a non-empty string, so a loader that tests its truth
    reads it as *desirable*. OpenAI rejects a file with a `weight` other
    than 0 or 1.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": 4}]}
    ```

    Use instead:
    ```jsonl
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}
    ```
    """

    code = "S008"
    name = "wrong-type"
    summary = "A text that is not a string, a KTO label that is not boolean, a weight not 0 or 1."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterable[Finding]:
        view, value = record.view, record.record.value
        assert view is not None  # only shaped records come here
        if _well_typed(view):
            return ()
        problems = chain(_texts(view, value), _weights(view, value), _label(view, value))
        return report(self, record, problems)


def _well_typed(view: RecordView) -> bool:
    """A quick pass that clears most records: string texts, the messages the
    shape read with no weight or a good one, and no KTO label to check.
    Anything else goes through the checks below, which say what is wrong."""
    turns = view.texts()
    if view.shape == "kto" or any(t.present and not t.is_string for t in turns):
        return False
    messages = handed_over_messages(turns)
    return messages is not None and all(_good_weight(m.get("weight", 0)) for m in messages)


def _good_weight(weight: Any) -> bool:
    return not isinstance(weight, bool) and weight in (0, 1)


def _texts(view: RecordView, value: Any) -> Iterator[Problem]:
    for turn in view.texts():
        if turn.present and not turn.is_string:
            found = json_type(resolve(value, turn.pointer))
            yield turn.pointer, f"{turn_label(turn)} is {found}, expected {_expected(turn)}"


def _expected(turn: Turn) -> str:
    tokens = pointer_tokens(turn.pointer)
    if is_element(turn):
        return "a [query, response] pair" if tokens[0] == "history" else "a message object"
    if tokens and tokens[-1] == "content":
        return "a string or a list of text parts"
    return "a string"


def _weights(view: RecordView, value: Any) -> Iterator[Problem]:
    for turn, at, message in message_objects(view, value):
        weight = message.get("weight", 0)
        if not _good_weight(weight):
            yield f"{at}/weight", f"'weight' of {turn_label(turn)} is {weight!r}, expected 0 or 1"


def _label(view: RecordView, value: Any) -> Iterator[Problem]:
    if view.shape != "kto" or not isinstance(value, dict):
        return
    key = next((k for k in LABEL_KEYS if k in value), None)
    if key is not None and not isinstance(value[key], bool):
        found = value[key]
        yield f"/{key}", f"'{key}' is {json_type(found)} ({found!r}), expected true or false"
