"""JSON files: an array of records (Alpaca style), one value, or JSON Lines.

An array is streamed element by element with the standard library's
``raw_decode``, which reports where each element ends; a cursor that only
moves forward turns element starts into line, column and byte offset in time
linear in the file. Elements are parsed one at a time, so only one record's
Python objects exist at once (the file's text is held whole).

Many ``.json`` datasets are really JSON Lines. A file whose first non-blank
line is a complete JSON object on its own is read as JSON Lines, streamed and
line by line; a file that is one object spread over several lines is not.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ftlint.core.naming import with_compression
from ftlint.core.records import Record
from ftlint.readers.base import Reader
from ftlint.readers.compression import open_binary
from ftlint.readers.decoding import BOM, STRICT_DECODER, DecodeError, decode_utf8, loads
from ftlint.readers.jsonl import records_from_lines
from ftlint.readers.positions import char_column

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_WHITESPACE_BYTES = re.compile(rb"[ \t\n\r]*")


class JsonReader(Reader):
    """Reads ``.json`` files (plain or compressed with ``.gz``, ``.zst``).

    - An array: each element is a record. ``line`` and ``column`` are where the
      element's first character is (1-based, the column counted in
      characters), ``offset`` its byte offset, ``raw`` its text. Elements
      before a syntax error are records; the error is one more record, and
      reading stops there, because a JSON document has no place to resume.
    - Any other single value (typically one object): one record, index 0, at
      the value's first character. Whether a lone object is a config is for
      the engine to decide.
    - JSON Lines (the first non-blank line is a complete object on its own):
      read exactly as :class:`~ftlint.readers.jsonl.JsonlReader` reads it.

    An error record stands for the physical line that holds the fault:
    ``line`` is that line, ``column`` 1, ``offset`` the line's start, ``raw``
    the line; ``error_line``/``error_column`` point at the fault itself.
    A UTF-8 BOM at the start is skipped; offsets still count its three bytes.
    """

    name = "json"
    suffixes = with_compression((".json",))
    raw_is_json_source = True

    def read(self, path: Path, display: str) -> Iterator[Record]:
        with open_binary(path, display) as stream:
            head = _read_head(stream)
            if _is_json_line(head.content):
                lines = itertools.chain(head.lines, stream)
                yield from records_from_lines(lines, display, offset=head.base)
            else:
                data = b"".join(head.lines) + stream.read()
                yield from _document_records(data, display, head.base)


def holds_one_object(path: Path) -> bool:
    """Whether the JSON file ``path`` is a single object (not an array, not
    JSON Lines). Reads only the first lines of the file; False if it cannot
    be read."""
    try:
        with open(path, "rb") as stream:
            head = _read_head(stream)
            if not head.content.lstrip().startswith(b"{"):
                return False
            return not _is_json_line(head.content) or not _read_head(stream).content
    except OSError:
        return False


class _Head(NamedTuple):
    """The first lines of a file, through the first one that is not blank."""

    lines: list[bytes]
    content: bytes  # the first non-blank line, or b"" when there is none
    base: int  # bytes skipped before lines[0]: the length of a BOM, or 0


def _read_head(stream: BinaryIO) -> _Head:
    lines: list[bytes] = []
    base = 0
    for line in stream:
        if not lines and line.startswith(BOM):
            line, base = line[len(BOM) :], len(BOM)
        lines.append(line)
        if line and not line.isspace():
            return _Head(lines, line, base)
    return _Head(lines, b"", base)


def _is_json_line(line: bytes) -> bool:
    content = line.strip()
    if not content.startswith(b"{"):
        return False
    try:
        loads(content)
    except DecodeError:
        return False
    return True


def _document_records(data: bytes, display: str, base: int = 0) -> Iterator[Record]:
    """The records of the JSON document ``data``, which starts at file offset
    ``base`` (after a BOM, if there was one)."""
    start = _skip_whitespace_bytes(data, 0)
    if start == len(data):
        return
    if data.startswith(b"[", start):
        yield from _array_records(data, display, base, start)
    else:
        yield _value_record(data, display, base, start)


def _value_record(data: bytes, display: str, base: int, start: int) -> Record:
    try:
        value = loads(data, base)
    except DecodeError as error:
        return _error_record(data, display, base, error.byte, error.message, 0)
    line = data.count(b"\n", 0, start) + 1
    column = start - (data.rfind(b"\n", 0, start) + 1) + 1
    raw = data[start:].rstrip(b" \t\r\n")
    return Record(display, line, column, base + start, 0, raw, value)


def _array_records(data: bytes, display: str, base: int, start: int) -> Iterator[Record]:
    try:
        text = decode_utf8(data, base)
    except DecodeError as error:
        yield _error_record(data, display, base, error.byte, error.message, 0)
        return
    cursor = _Cursor(text, base)
    resume = resume_byte = start + 1  # where a re-read to explain an error starts
    index = 0
    position = _skip_whitespace(text, start + 1)
    closed = text.startswith("]", position)
    while not closed:
        try:
            value, end = STRICT_DECODER.raw_decode(text, position)
        except (ValueError, RecursionError):
            break
        line, column, offset = cursor.move_to(position)
        yield Record(display, line, column, offset, index, text[position:end].encode(), value)
        index += 1
        resume, resume_byte = position, offset - base
        position = _skip_whitespace(text, end)
        if not text.startswith(",", position):
            closed = text.startswith("]", position)
            break
        position = _skip_whitespace(text, position + 1)
    if closed and _skip_whitespace(text, position + 1) == len(text):
        return
    message, byte = _explain_array_error(text, resume, resume_byte)
    yield _error_record(data, display, base, byte, message, index)


def _explain_array_error(text: str, resume: int, resume_byte: int) -> tuple[str, int]:
    """Why the array could not be read on from ``text[resume]`` (the last
    element read, or the first one; ``resume_byte`` is the same place as an
    index in ``data``), and the index in ``data`` of the fault.

    orjson re-reads the rest of the array from there, so that errors in an
    array read the same as errors in JSON Lines.
    """
    try:
        loads(b"[" + text[resume:].encode())
    except DecodeError as error:
        return error.message, resume_byte + error.byte - 1  # 1: the "[" added
    # Only Python's recursion limit refuses what orjson accepts.
    return "JSON is nested too deeply", resume_byte


def _error_record(
    data: bytes, display: str, base: int, byte: int, message: str, index: int
) -> Record:
    """An error record for the fault at ``data[byte]``: it stands for the line
    that holds the fault."""
    line_start = data.rfind(b"\n", 0, byte) + 1
    line_end = data.find(b"\n", byte)
    raw = data[line_start : len(data) if line_end < 0 else line_end].rstrip(b"\r")
    line = data.count(b"\n", 0, byte) + 1
    column = char_column(data, line_start, byte)
    return Record(display, line, 1, base + line_start, index, raw, None, message, line, column)


class _Cursor:
    """Line, column and byte offset of positions in ``text`` visited left to
    right, in time linear in the text however many positions are visited."""

    def __init__(self, text: str, base: int) -> None:
        self._text = text
        self._ascii = text.isascii()
        self._position = 0
        self._line = 1
        self._line_start = 0
        self._byte = base

    def move_to(self, position: int) -> tuple[int, int, int]:
        """1-based line and column of ``text[position]``, and its file offset."""
        text, previous = self._text, self._position
        newlines = text.count("\n", previous, position)
        if newlines:
            self._line += newlines
            self._line_start = text.rfind("\n", previous, position) + 1
        if self._ascii:
            self._byte += position - previous
        else:
            self._byte += len(text[previous:position].encode())
        self._position = position
        return self._line, position - self._line_start + 1, self._byte


def _skip_whitespace(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _skip_whitespace_bytes(data: bytes, position: int) -> int:
    match = _WHITESPACE_BYTES.match(data, position)
    return match.end() if match else position
