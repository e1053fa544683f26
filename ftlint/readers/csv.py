"""CSV and TSV: the first row names the columns, each later row is a record.

The ``csv`` module parses; this module feeds it one physical line at a time
and watches which lines each row consumes, so that a row whose quoted field
spans lines still knows the line and byte offset where it starts, and its
exact source bytes. Lines are decoded one by one, so an invalid UTF-8 byte
spoils only its own row.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ftlint.core.naming import with_compression, without_compression
from ftlint.core.records import Record
from ftlint.readers.base import Reader
from ftlint.readers.compression import open_binary
from ftlint.readers.decoding import BOM, utf8_error
from ftlint.readers.positions import char_column

#: Long texts are normal in fine-tuning data; the csv module's default limit
#: on a field (128 KiB) is not.
_FIELD_SIZE_LIMIT = 2**31 - 1

#: Clearer words for the csv module's messages, where it needs them.
_CSV_MESSAGES = {
    "unexpected end of data": "a quoted field is still open at the end of the file",
}


class CsvReader(Reader):
    """Reads ``.csv`` (comma-separated) and ``.tsv`` (tab-separated) files,
    plain or compressed with ``.gz`` or ``.zst``.

    Each row after the header is a record whose value maps each column name to
    the field's text. Positions: ``line`` is the 1-based physical line where
    the row starts (a quoted field may continue on later lines), ``column`` 1,
    ``offset`` the byte offset of that line, ``raw`` the row's source bytes
    without the final line ending. Blank lines are skipped but counted.

    A row is an error record when it breaks the quoting rules, is not UTF-8,
    or has another number of fields than the header. A header that names a
    column twice is an error record too (rows would silently lose a column).
    """

    name = "csv"
    suffixes = with_compression((".csv", ".tsv"))

    def read(self, path: Path, display: str) -> Iterator[Record]:
        delimiter = "\t" if without_compression(path.name.lower()).endswith(".tsv") else ","
        csv.field_size_limit(_FIELD_SIZE_LIMIT)  # process-wide, but it only lifts a limit
        with open_binary(path, display) as stream:
            rows = _rows(stream, delimiter)
            header = next(rows, None)
            if header is None:
                return
            index = 0
            fault = header.fault or _duplicate_column(header)
            if fault is not None:
                yield header.error_record(display, index, fault)
                if not header.fields:  # the csv module could not split it: no column is known
                    return
                index += 1
            for row in rows:
                yield row.record(display, index, header.fields)
                index += 1


class _Fault(NamedTuple):
    message: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class _Row:
    """A parsed row and the source it came from."""

    fields: list[str]
    line: int
    offset: int
    raw: bytes
    fault: _Fault | None

    def record(self, display: str, index: int, header: list[str]) -> Record:
        fault = self.fault or self._width_fault(header)
        if fault is not None:
            return self.error_record(display, index, fault)
        value = dict(zip(header, self.fields, strict=True))
        return Record(display, self.line, 1, self.offset, index, self.raw, value)

    def error_record(self, display: str, index: int, fault: _Fault) -> Record:
        return Record(display, self.line, 1, self.offset, index, self.raw, None, *fault)

    def _width_fault(self, header: list[str]) -> _Fault | None:
        if len(self.fields) == len(header):
            return None
        message = f"the row has {len(self.fields)} fields, the header {len(header)}"
        return _Fault(message, self.line, 1)


def _duplicate_column(header: _Row) -> _Fault | None:
    seen: set[str] = set()
    for name in header.fields:
        if name in seen:
            return _Fault(f"the header names column {name!r} twice", header.line, 1)
        seen.add(name)
    return None


def _rows(stream: BinaryIO, delimiter: str) -> Iterator[_Row]:
    """The rows of the file that are not blank, header included."""
    lines = _Lines(stream)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        fault = None
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            fields = []
            fault = _Fault(_CSV_MESSAGES.get(str(error), str(error)), lines.number, 1)
        row = lines.take_row(fields, fault)
        if row.raw and not row.raw.isspace():
            yield row


class _Lines:
    """The decoded lines of a binary stream, for ``csv.reader``, remembering
    which lines the row being parsed has consumed."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.number = 0  # of the last line read
        self._offset = 0  # of the next line
        self._row_line = 1
        self._row_offset = 0
        self._consumed: list[bytes] = []
        self._utf8_fault: _Fault | None = None

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._stream.readline()
        if not line:
            raise StopIteration
        if self._offset == 0 and line.startswith(BOM):
            line = line[len(BOM) :]
            self._offset = len(BOM)
        self.number += 1
        if not self._consumed:
            self._row_line, self._row_offset = self.number, self._offset
        self._consumed.append(line)
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as error:
            self._note_utf8_error(line, error.start)
            text = line.decode("utf-8", errors="replace")
        self._offset += len(line)
        return text

    def _note_utf8_error(self, line: bytes, byte: int) -> None:
        if self._utf8_fault is None:
            message = utf8_error(line, byte, self._offset).message
            self._utf8_fault = _Fault(message, self.number, char_column(line, 0, byte))

    def take_row(self, fields: list[str], fault: _Fault | None) -> _Row:
        """The row made of the lines consumed since the last call."""
        raw = b"".join(self._consumed).rstrip(b"\r\n")
        row = _Row(fields, self._row_line, self._row_offset, raw, self._utf8_fault or fault)
        self._consumed = []
        self._utf8_fault = None
        return row
