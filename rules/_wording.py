"""How findings word things, for every rule family: a turn as a person would
call it (``assistant message 3``, ``'output'``, from the tokens of its JSON
Pointer), a counted noun (``1 record``, ``1,000 records``), and text quoted
from the data (``'\\n\\n### Response:'``, one way for every rule)."""

from __future__ import annotations

from collections.abc import Iterable

from ftlint.api import Role, Turn, pointer_tokens


def turn_label(turn: Turn) -> str:
    """How to name a turn in a message: ``'output'``, ``assistant message 3``,
    ``gpt message 2 of 'chosen'``, ``response of history pair 1``,
    ``Assistant turn 4 of 'chosen'`` (a turn of a transcript string)."""
    tokens = pointer_tokens(turn.pointer)
    if len(tokens) == 1 and turn.part:
        return f"{turn.raw_role or 'unlabelled'} turn {turn.part} of '{tokens[0]}'"
    if len(tokens) == 1:
        return f"'{tokens[0]}'"
    if tokens and tokens[0] == "history" and len(tokens) == 3:
        part = "query" if tokens[2] == "0" else "response"
        return f"{part} of history pair {int(tokens[1]) + 1}"
    who = turn.raw_role or ("" if turn.role is Role.TEXT else turn.role.value)
    speaker = f"{who} message" if who else "message"
    container = tokens[0] if tokens else ""
    index = next((t for t in reversed(tokens) if t.isdigit()), None)
    if index is None:
        return f"'{container}' {speaker}"
    numbered = f"{speaker} {int(index) + 1}"
    if container in ("messages", "conversations"):
        return numbered
    return f"{numbered} of '{container}'"


def quote(text: str, limit: int | None = None) -> str:
    """Text from the data as a message quotes it: as Python writes a string
    (``'...'``, or ``"..."`` when the text has a single quote and no double
    one), so that line breaks, tabs, backslashes and invisible characters
    show as escapes and the message stays on one line. Past ``limit``
    characters the text is cut and ends in ``...``."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return repr(text)


def quote_all(texts: Iterable[str], limit: int = 5) -> str:
    """``'a', 'b', 'c'``, and ``, ... (9 in all)`` past ``limit`` texts."""
    texts = list(texts)
    shown = ", ".join(quote(text) for text in texts[:limit])
    return shown if len(texts) <= limit else f"{shown}, ... ({len(texts)} in all)"


def count(number: int, noun: str) -> str:
    """``1 record``, ``1,000 records``."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"
