"""Positions inside a record's source text.

A rule names the part of a record it objects to with a JSON Pointer
(``/messages/2/content``). :func:`locate_pointer` finds where that value
starts in the record's raw JSON, so that a finding on a pretty-printed JSON
array element points at the line of ``"output"`` rather than at the element's
opening brace. It runs only when a finding is made, so it is written for
clarity, with a small hand-written scanner, not for speed.

Columns are counted in characters (Unicode code points), 1-based, like the
columns of every record and finding.
"""

from __future__ import annotations

import json
import re

from ftlint.core.pointers import is_pointer, pointer_tokens

_QUOTE = re.compile(r'\\*"')  # a quote and the backslashes that lead up to it
_SCALAR = re.compile(r"[^\s,\]}]+")
_STRUCTURE = re.compile(r'["\[\]{}]')


def locate_pointer(raw: bytes | str, pointer: str) -> tuple[int, int] | None:
    """Where the value that ``pointer`` names starts inside the JSON text ``raw``.

    Returns ``(line, column)``: the 0-based number of lines from the start of
    ``raw`` to the value, and the 1-based character column of its first
    character on that line. Add the line to the record's line; when it is 0 the
    column is relative to the record's column (``record.column + column - 1``).
    Returns None when the pointer names nothing in ``raw`` or ``raw`` is not
    JSON, so only use it on records of JSON-based readers (JSONL, JSON).

    When an object repeats a key, the last occurrence is the one located: it is
    the value that JSON parsers keep.
    """
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    position = _value_start(text, pointer)
    if position is None:
        return None
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position), position - line_start + 1


def value_span(text: str, pointer: str) -> tuple[int, int] | None:
    """The span ``(start, end)`` of character indices of the JSON source of
    the value ``pointer`` names in the JSON text ``text`` (a string value's
    span includes its quotes), so that a fix can replace that value alone
    and leave every other byte of the record as it was. None when the
    pointer names nothing there."""
    start = _value_start(text, pointer)
    end = None if start is None else _value_end(text, start)
    return None if start is None or end is None else (start, end)


def _value_start(text: str, pointer: str) -> int | None:
    tokens = pointer_tokens(pointer) if is_pointer(pointer) else None
    if tokens is None:
        return None
    position = _skip_whitespace(text, 0)
    for token in tokens:
        child = _child(text, position, token)
        if child is None:
            return None
        position = child
    return position if position < len(text) else None


def _child(text: str, position: int, token: str) -> int | None:
    """Start of the member ``token`` of the container starting at ``position``."""
    if text.startswith("{", position):
        return _member(text, position, token)
    if text.startswith("[", position) and _is_index(token):
        return _item(text, position, int(token))
    return None


def _is_index(token: str) -> bool:
    return token.isdigit() and token.isascii() and (token == "0" or not token.startswith("0"))


def _member(text: str, position: int, key: str) -> int | None:
    """Start of the value of ``key`` in the object starting at ``position``."""
    found = None
    position = _skip_whitespace(text, position + 1)
    while text.startswith('"', position):
        end = _value_end(text, position)
        if end is None:
            return None
        name = _string_value(text[position:end])
        colon = _skip_whitespace(text, end)
        if not text.startswith(":", colon):
            return None
        value = _skip_whitespace(text, colon + 1)
        if name == key:
            found = value
        next_position = _after_value(text, value)
        if next_position is None:
            break
        position = next_position
    return found


def _item(text: str, position: int, wanted: int) -> int | None:
    """Start of item number ``wanted`` of the array starting at ``position``."""
    position = _skip_whitespace(text, position + 1)
    if text.startswith("]", position):
        return None
    for _ in range(wanted):
        next_position = _after_value(text, position)
        if next_position is None:
            return None
        position = next_position
    return position


def _string_value(literal: str) -> str | None:
    try:
        value = json.loads(literal)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _after_value(text: str, position: int) -> int | None:
    """Start of the next member or item after the value at ``position``, or None
    when the container ends there (or the text is malformed)."""
    end = _value_end(text, position)
    if end is None:
        return None
    comma = _skip_whitespace(text, end)
    if not text.startswith(",", comma):
        return None
    return _skip_whitespace(text, comma + 1)


def _value_end(text: str, position: int) -> int | None:
    """End (exclusive) of the JSON value starting at ``position``."""
    if text.startswith('"', position):
        return _string_end(text, position)
    if text.startswith(("{", "["), position):
        return _container_end(text, position)
    scalar = _SCALAR.match(text, position)
    return scalar.end() if scalar else None


def _container_end(text: str, position: int) -> int | None:
    """End (exclusive) of the array or object starting at ``position``. Strings
    are skipped whole, so that brackets inside them do not count."""
    depth = 0
    while (mark := _STRUCTURE.search(text, position)) is not None:
        char = mark.group()
        if char == '"':
            end = _string_end(text, mark.start())
            if end is None:
                return None
            position = end
            continue
        depth += 1 if char in "[{" else -1
        position = mark.end()
        if depth == 0:
            return position
    return None


def _string_end(text: str, position: int) -> int | None:
    """End (exclusive) of the string literal whose opening quote is at
    ``position``: the first quote after it that an even run of backslashes
    (or none) leads up to. Each step is a search for a run of backslashes
    and a quote, in constant memory: a regex matching the whole literal
    took 8 s and 2.5 GB on a 20 MB string (one long line of data)."""
    search = position + 1
    while (quote := _QUOTE.search(text, search)) is not None:
        if (quote.end() - quote.start() - 1) % 2 == 0:
            return quote.end()
        search = quote.end()
    return None


def _skip_whitespace(text: str, position: int) -> int:
    while text.startswith((" ", "\t", "\n", "\r"), position):
        position += 1
    return position


def char_column(data: bytes, line_start: int, byte: int) -> int:
    """1-based character column of ``data[byte]`` on the line starting at
    ``data[line_start]``."""
    return len(data[line_start:byte].decode("utf-8", errors="replace")) + 1
