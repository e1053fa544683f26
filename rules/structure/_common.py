"""Helpers shared by the structure rules: naming shapes and values in
messages, and reading the raw record behind a JSON Pointer. (What other
families share too lives in ``rules/_sample.py`` and ``rules/_turns.py``.)"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ftlint.api import (
    Finding,
    Fix,
    RecordContext,
    RecordView,
    Rule,
    Turn,
    join_tokens,
    pointer_tokens,
)

#: Shapes whose turns are a conversation with speakers; the role rules apply to them.
CONVERSATIONAL_SHAPES = frozenset({"chat", "sharegpt", "kto", "preference", "openai-preference"})

#: How the built-in shapes are called in messages; other shapes by their name.
SHAPE_TITLES = {
    "chat": "chat",
    "sharegpt": "ShareGPT",
    "alpaca": "Alpaca",
    "prompt-completion": "prompt/completion",
    "text": "text",
    "preference": "preference",
    "openai-preference": "OpenAI preference",
    "kto": "KTO",
}

#: Keys of the objects inside message lists that the chat formats define:
#: OpenAI (``weight``, ``refusal``, ``audio``), tool calling, reasoning traces
#: (vLLM and DeepSeek ``reasoning_content``), Mistral's ``prefix``,
#: LLaMA-Factory v1's ``loss_weight``, and ShareGPT's ``from``/``value``. The
#: shapes read either spelling of role and text, so both are known everywhere.
MESSAGE_KEYS = frozenset(
    {
        "role",
        "content",
        "from",
        "value",
        "name",
        "tool_calls",
        "tool_call_id",
        "function_call",
        "weight",
        "loss_weight",
        "refusal",
        "audio",
        "annotations",
        "reasoning",
        "reasoning_content",
        "thinking",
        "prefix",
    }
)
#: The keys that hold a message's text, one for each message style.
CONTENT_KEYS = frozenset({"content", "value"})

MISSING: Any = object()


def shape_title(name: str) -> str:
    return SHAPE_TITLES.get(name, name)


def resolve(value: Any, pointer: str) -> Any:
    """The value a pointer designates in ``value``, or :data:`MISSING`."""
    for token in pointer_tokens(pointer):
        if isinstance(value, dict):
            value = value.get(token, MISSING)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


def json_type(value: Any) -> str:
    """The JSON name of a value's type, with an article: ``a number``."""
    if value is None or value is MISSING:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


@functools.lru_cache(maxsize=4096)
def message_pointer(text_pointer: str) -> str | None:
    """The pointer to the message object holding a text (``/messages/2`` for
    ``/messages/2/content``), or None when the text is not in one."""
    tokens = pointer_tokens(text_pointer)
    if len(tokens) >= 2 and tokens[-1] in CONTENT_KEYS:
        return join_tokens(tokens[:-1])
    return None


def message_objects(view: RecordView, value: Any) -> Iterator[tuple[Turn, str, dict[str, Any]]]:
    """Each turn that is the text of a message object, with the object's
    pointer and the object itself (as the shape read it, else found by
    following the pointer: a plugin's shape may not say)."""
    for turn in view.texts():
        at = message_pointer(turn.pointer)
        if at is None:
            continue
        message = turn.message if turn.message is not None else resolve(value, at)
        if isinstance(message, dict):
            yield turn, at, message


def handed_over_messages(turns: Iterable[Turn]) -> list[dict[str, Any]] | None:
    """The message objects of ``turns`` as the shape handed them over, for a
    quick look at every message; None when a turn sits in a message object the
    shape did not hand over (a plugin's shape may not), which only
    :func:`message_objects` finds, by following the pointer."""
    messages = []
    for turn in turns:
        if turn.message is not None:
            messages.append(turn.message)
        elif message_pointer(turn.pointer) is not None:
            return None
    return messages


def is_element(turn: Turn) -> bool:
    """Whether a turn is a list element itself (a message that is not an
    object, a malformed history pair) rather than a text inside one."""
    tokens = pointer_tokens(turn.pointer)
    return bool(tokens) and tokens[-1].isdigit()


#: Where a problem is in a record (a JSON Pointer), and what it is.
Problem = tuple[str, str]


def report(
    rule: Rule,
    record: RecordContext,
    problems: Iterable[Problem],
    fixes: Mapping[str, Fix] | None = None,
) -> Iterator[Finding]:
    """A finding of ``rule`` for each problem of one record, with the fix
    ``fixes`` holds for its pointer, if any."""
    fixes = fixes or {}
    for at, message in problems:
        location = record.location(at)
        yield rule.finding(message, location, fix=fixes.get(at), content_key=record.raw_hash)
