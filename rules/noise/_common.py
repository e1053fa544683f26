"""Helpers shared by the noise rules: prose without its code, and the turns
with text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ftlint.api import RecordView, Turn

_FENCED_CODE = re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")


def prose(text: str) -> str:
    """``text`` with fenced and inline code, where markup, entities and blank
    lines are syntax rather than noise, replaced by a word (so that the blank
    lines around a code block do not run together)."""
    if "`" not in text and "~~~" not in text:
        return text
    return _INLINE_CODE.sub("code", _FENCED_CODE.sub("code", text))


def outside_code(text: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The ``spans`` of ``text`` that lie outside fenced and inline code (the
    code :func:`prose` leaves out), so that a fix never edits code."""
    code = [m.span() for m in _FENCED_CODE.finditer(text)] if "`" in text or "~~~" in text else []
    code += [m.span() for m in _INLINE_CODE.finditer(text)] if "`" in text else []
    for start, end in spans:
        if not any(start < code_end and code_start < end for code_start, code_end in code):
            yield start, end


def text_turns(view: RecordView) -> list[Turn]:
    """Every turn with text, rejected responses included."""
    return [turn for turn in view.texts() if turn.text and turn.is_string]
