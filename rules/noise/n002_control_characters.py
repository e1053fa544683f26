"""N002 control-characters."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ftlint.api import Finding, Fix, FixSafety, RecordContext, RecordRule, Severity, Turn

from .._wording import turn_label
from ._common import text_turns

#: C0 controls but tab, line feed and carriage return; DEL and C1 controls;
#: byte order marks; the replacement character; lone surrogates; and a
#: carriage return that does not start a CRLF line break.
_CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffd"
CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}\ud800-\udfff]|\r(?!\n)")
#: :data:`CONTROL` as RE2 searches it (see ``ControlCharacters.text_trigger``):
#: no lookahead, so every carriage return; no surrogates, which UTF-8 cannot
#: hold and which trigger every rule anyway.
TRIGGER = f"[{_CONTROL_CHARACTERS}]|\r"
_NAMES = {
    "\x00": "NUL",
    "\x07": "BEL",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1b": "ESC",
    "\x7f": "DEL",
    "\r": "lone carriage return",
    "\ufeff": "byte order mark",
    "\ufffd": "replacement character",
}


def describe(char: str) -> str:
    """``U+FFFD replacement character``, ``U+0093 C1 control``."""
    point = ord(char)
    if char in _NAMES:
        name = _NAMES[char]
    elif 0xD800 <= point <= 0xDFFF:
        name = "lone surrogate"
    elif 0x80 <= point <= 0x9F:
        name = "C1 control"
    else:
        name = "control character"
    return f"U+{point:04X} {name}"


class ControlCharacters(RecordRule):
    """## What it does
    Checks texts for characters that are not text: C0 control characters
    other than tab and line breaks (`\\u0000`, `\\u001b`), DEL and C1
    controls (`\\u0093`, usually Windows-1252 text decoded as Latin-1), a
    carriage return that is not part of a CRLF line break, byte order marks
    (`\\ufeff`) inside text, the replacement character `\\ufffd` (text that
    was decoded wrongly and lost), and lone surrogates.

    ## Why is this bad?
    They are invisible in most viewers but not to the tokenizer: each
    becomes a rare byte token the model learns to emit, a BOM in the middle
    of a text changes how the following word is tokenised, and `\\ufffd` marks
    characters that are gone for good. They come from copying out of
    terminals, PDFs and Word documents and from decoding with the wrong
    codec.

    ## Example
    ```jsonl
    {"instruction": "Quote the motto.", "input": "", "output": "\\u0093Per aspera ad astra\\u0094"}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Quote the motto.", "input": "", "output": "\\u201cPer aspera ad astra\\u201d"}
    ```

    ## Fix safety
    `--fix` removes byte order marks and control characters that are
    not whitespace, when they are all a text has. A text with a
    replacement character, a lone surrogate or a whitespace control (a
    vertical tab, a lone carriage return) is left for a person: what stood
    there is not known.
    """

    code = "N002"
    name = "control-characters"
    summary = "Control characters, stray BOMs, replacement characters or lone surrogates in text."
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE

    def text_trigger(self) -> str:
        return TRIGGER

    def check(self, record: RecordContext) -> Iterator[Finding]:
        assert record.view is not None  # only shaped records come here
        for turn in text_turns(record.view):
            found = Counter(m.group() for m in CONTROL.finditer(turn.text))
            if not found:
                continue
            total = sum(found.values())
            kinds = ", ".join(
                f"{describe(char)}" + (f" \u00d7{number:,}" if number > 1 else "")
                for char, number in found.most_common(3)
            )
            more = f" and {len(found) - 3} more kinds" if len(found) > 3 else ""
            noun = "character" if total == 1 else "characters"
            yield self.finding(
                f"{turn_label(turn)} has {total:,} control {noun}: {kinds}{more}",
                record.location(turn.pointer),
                fix=_removal(turn) if all(map(_removable, found)) else None,
                content_key=record.raw_hash,
            )


def _removable(char: str) -> bool:
    """Whether removing ``char`` (one that :data:`CONTROL` matches) loses
    nothing: a BOM, or a control that is not whitespace. Whitespace
    controls (a vertical tab, a lone carriage return) may be line breaks,
    and a replacement character or a lone surrogate stands for text that
    is gone: those are for a person."""
    return char == "\ufeff" or (char <= "\x9f" and not char.isspace())  # C0, DEL, C1


def _removal(turn: Turn) -> Fix:
    spans = [(m.start(), m.end(), "") for m in CONTROL.finditer(turn.text)]
    return Fix.replace_in_string("remove the control characters", turn.pointer, spans, safe=True)
