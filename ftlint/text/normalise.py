"""Text normalisation and the per-record hashes that duplicate, leakage and
balance rules compare.

Two records are *the same* for ftlint when their texts are equal after
:func:`normalise`: Unicode NFC, every run of whitespace (any Unicode
whitespace, newlines included) collapsed to one space, leading and trailing
whitespace dropped, and case folded (``str.casefold``, so ``Straße`` equals
``STRASSE``). Punctuation, digits and markup are kept: ``4`` and ``four`` are
different answers.

A record is compared through its :class:`~ftlint.core.records.RecordView`, not its
raw JSON, so the same conversation stored as chat ``messages`` or as ShareGPT
``conversations``, with other metadata fields (``id``, ``source``), is the
same record. Each turn counts with its role. Turns that carry tool calls
instead of text count with the canonical JSON of their message object, so
two different calls are different records.

The hashes are 64-bit xxh3 values: stable across processes and runs (unlike
Python's ``hash``), so they can be merged across worker processes and kept
in the cache; ``0`` stands for "no such text" (an empty prompt). With a
million records the chance that two different texts share a hash is about
3 in 100 million.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson
import xxhash

from ftlint.core.pointers import pointer_tokens
from ftlint.core.records import RecordView, Role, Turn

#: Marks the absence of a text (no prompt, no response) in hash columns.
NO_TEXT = 0


def normalise(text: str) -> str:
    """``text`` in NFC, case-folded, with whitespace runs collapsed to one space."""
    return normalise_utf8(text).decode("utf-8")


def normalise_utf8(text: str) -> bytes:
    """:func:`normalise` as UTF-8 bytes, which is how it is computed: one
    ``translate`` of the bytes lowers ASCII letters and turns every ASCII
    whitespace character into a space, then one regex pass turns each run of
    spaces into one. That is twice as fast as splitting the text into words
    (it runs for every turn). Bytes under 128 are always whole characters in
    UTF-8, so other text gets the same treatment once NFC and case folding
    are done, unless it holds whitespace beyond ASCII's (rare), which only
    ``str.split`` knows."""
    if text.isascii():
        return _collapse(text.encode("ascii").translate(_ASCII_FOLD))
    folded = unicodedata.normalize("NFC", text).casefold()
    if _WIDE_SPACE.search(folded) is not None:
        return _utf8(" ".join(folded.split()))
    return _collapse(_utf8(folded).translate(_ASCII_FOLD))


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return replace_lone_surrogates(text).encode("utf-8")


def replace_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (``"\\ud800"``, valid JSON that N002
    reports) replaced by U+FFFD: the text as a UTF-8 encoder would keep it,
    so that records can be normalised, hashed and compared."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _collapse(spaced: bytes) -> bytes:
    # One regex pass: a third faster than halving runs with replace() until
    # none is left, on text where most paragraphs end in a blank line.
    return _SPACE_RUNS.sub(b" ", spaced).strip(b" ")


def _ascii_fold_table() -> bytes:
    table = bytearray(range(256))
    for code in range(128):
        char = chr(code)
        # Exactly what casefold() and split() do to ASCII: A-Z lowered; space,
        # \t\n\v\f\r and the separators \x1c-\x1f are whitespace.
        table[code] = 32 if char.isspace() else ord(char.casefold())
    return bytes(table)


_ASCII_FOLD = _ascii_fold_table()
#: The characters beyond ASCII that ``str.isspace`` and ``str.split`` take for
#: whitespace (a test checks the list against every code point).
WIDE_WHITESPACE = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WIDE_SPACE = re.compile(f"[{WIDE_WHITESPACE}]")
_SPACE_RUNS = re.compile(b"  +")


def hash_hex(value: int) -> str:
    """A hash as the 16 hex digits used in findings' content keys."""
    return f"{value:016x}"


class NormalisedRecord:
    """The normalised texts of one record and the hashes derived from them.

    Built once per record and shared by every rule that compares records, so
    its texts and hashes are computed eagerly (every such rule needs them);
    only the word hashes, which near-duplicate and contamination rules alone
    need, wait for their first use. ``value`` is the record's parsed JSON,
    read only for turns that carry tool calls instead of text.

    Each turn's text is hashed once; a side's hash (prompt, response) is the
    hash of its turns' roles and text hashes, so no text is copied twice.
    This runs for every record of every run: it is written for speed.
    """

    __slots__ = (
        "_words",
        "content_hash",
        "length",
        "prompt_hash",
        "rejected_texts",
        "response_hash",
        "response_length",
        "split",
        "texts",
        "view",
    )

    def __init__(self, view: RecordView, value: Any = None) -> None:
        self.view = view
        turns = view.turns
        #: Each turn's normalised text, in order; ``texts[:split]`` is the prompt side.
        texts, pairs = _texts_and_hashes(turns, view.has_tools, value)
        self.texts = texts
        split = len(turns) - 1
        while split >= 0 and turns[split].role is not Role.ASSISTANT:
            split -= 1
        self.split = split = split if split >= 0 else len(turns)
        packed = array("Q", pairs)
        # Each side's hash is that of its part of the packed pairs, read in
        # place (16 bytes a turn) rather than copied out.
        data = memoryview(packed).cast("B")
        #: Hash of the prompt side (every turn before the response, with its
        #: role); :data:`NO_TEXT` when it has no text.
        self.prompt_hash = (
            _hash(data[: 16 * split]) or 1 if any(pairs[1 : 2 * split : 2]) else NO_TEXT
        )
        #: Hash of the response side; :data:`NO_TEXT` when it has no text.
        self.response_hash = (
            _hash(data[16 * split :]) or 1 if any(pairs[2 * split + 1 :: 2]) else NO_TEXT
        )
        data.release()  # so that the rejected side can be appended
        self.rejected_texts: list[str] = []
        length = sum(map(len, texts))
        if view.rejected:
            self.rejected_texts, rejected = _texts_and_hashes(view.rejected, view.has_tools, value)
            packed.append(_REJECTED_MARK)
            packed.extend(rejected)
            length += sum(map(len, self.rejected_texts))
        #: Hash of the whole record: every turn with its role, rejected responses included.
        self.content_hash = _hash(packed) or 1
        #: Characters of the normalised response (its turns joined by a space).
        self.response_length = sum(map(len, texts[split:])) + max(len(turns) - split - 1, 0)
        #: Characters of normalised text, every turn included.
        self.length = length
        self._words: np.ndarray | None = None

    @property
    def response_texts(self) -> list[str]:
        return self.texts[self.split :]

    @property
    def word_hashes(self) -> np.ndarray:
        """The 64-bit hash of each word (whitespace-separated token) of the
        normalised text of every turn, in order: what shingles are made of."""
        if self._words is None:
            self._words = _hash_words(" ".join(t for t in self.texts if t))
        return self._words


_ROLES = {role: index + 1 for index, role in enumerate(Role)}
_REJECTED_MARK = 0x52454A45
_hash = xxhash.xxh3_64_intdigest


def _texts_and_hashes(
    turns: Sequence[Turn], tools: bool, value: Any
) -> tuple[list[str], list[int]]:
    """The normalised text of each turn, and each turn's role code followed
    by its text's hash (:data:`NO_TEXT` for none), turn after turn."""
    texts: list[str] = []
    pairs: list[int] = []
    roles = _ROLES
    for turn in turns:
        text = turn.text
        if not text:
            normal = _message_json(value, turn.pointer) if tools else ""
            encoded = normal.encode("utf-8")
        else:
            encoded = normalise_utf8(text)
            normal = encoded.decode("utf-8")
        texts.append(normal)
        pairs.append(roles.get(turn.role, 0))
        pairs.append(_hash(encoded) if normal else NO_TEXT)
    return texts, pairs


def _hash_words(normal: str) -> np.ndarray:
    if not normal:
        return np.empty(0, dtype=np.uint64)
    words = normal.encode("utf-8").split(b" ")
    return np.fromiter(map(xxhash.xxh3_64_intdigest, words), np.uint64, len(words))


def word_hashes(text: str) -> np.ndarray:
    """The word hashes of a text, normalised here, as :attr:`NormalisedRecord.word_hashes`."""
    return _hash_words(normalise(text))


def _message_json(value: Any, pointer: str) -> str:
    """The canonical JSON of the message object holding the turn at ``pointer``
    (``/messages/1`` for ``/messages/1/content``): what a tool-call turn with
    no text is compared by."""
    tokens = pointer_tokens(pointer)[:-1]
    for token in tokens:
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return ""
    if not isinstance(value, dict):
        return ""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:
        # What orjson refuses and JSON allows (lone surrogates, integers beyond
        # 64 bits): the standard library writes it, escaped to ASCII.
        try:
            return json.dumps(value, sort_keys=True, separators=(",", ":"))
        except (RecursionError, ValueError):
            return ""  # nesting deeper than Python recurses: compared by position only
