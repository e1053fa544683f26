"""JSON Lines: one JSON value a line, read as fast as the disk allows.

The file is read in binary through a large buffer and each line goes to
orjson as bytes: no text decoding, no copy but the line itself. A byte range
of a plain file can be read on its own (:func:`read_range`), so that the
engine can shard a large file across processes; :func:`split_ranges` cuts a
file into such ranges at line boundaries.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ftlint.core.naming import with_compression
from ftlint.core.records import Record
from ftlint.readers.base import Reader
from ftlint.readers.compression import open_binary
from ftlint.readers.decoding import BOM, DecodeError, loads
from ftlint.readers.positions import char_column


class JsonlReader(Reader):
    """Reads JSON Lines (``.jsonl``, ``.ndjson``), plain or compressed
    (``.gz``, ``.zst``).

    Each non-blank line is a record, whatever JSON value it holds (an object,
    or anything else: rules decide). Positions: ``line`` is the 1-based
    physical line (blank lines are not records but are counted), ``column`` is
    1, ``offset`` the byte offset of the line's first byte (after a UTF-8 BOM
    on the first line; in the decompressed data for a compressed file), ``raw``
    the line without its line ending. A line that does not parse is a record
    with ``error`` set and ``error_column`` the character column of the fault.
    """

    name = "jsonl"
    suffixes = with_compression((".jsonl", ".ndjson"))
    raw_is_json_source = True

    def read(self, path: Path, display: str) -> Iterator[Record]:
        with open_binary(path, display) as stream:
            yield from records_from_lines(stream, display)


def read_range(
    path: Path, display: str, start: int, end: int, first_line: int, first_index: int
) -> Iterator[Record]:
    """The records of the lines that start in the byte range ``[start, end)`` of
    a plain (uncompressed) JSON Lines file.

    ``start`` must be the start of a line (see :func:`split_ranges`); a line
    belongs to the range it starts in, so a line that runs past ``end`` is
    read whole. ``first_line`` is the 1-based line number at ``start`` and
    ``first_index`` the index of the range's first record, which only the
    caller can know (they depend on the lines before ``start``).
    """
    with open_binary(path, display) as stream:
        stream.seek(start)
        yield from records_from_lines(
            stream, display, offset=start, end=end, line=first_line, index=first_index
        )


def split_ranges(path: Path, parts: int) -> list[tuple[int, int]]:
    """Cut a plain JSON Lines file into at most ``parts`` byte ranges of about
    equal size, each starting at a line start, together covering the file.

    Always returns at least one range (``[(0, 0)]`` for an empty file). A part
    may be absorbed by its neighbour when a single line spans it. Raises
    OSError when the file cannot be read.
    """
    size = path.stat().st_size
    bounds = [0]
    with open(path, "rb") as stream:
        for part in range(1, max(parts, 1)):
            start = _line_start_at_or_after(stream, size * part // parts)
            if bounds[-1] < start < size:
                bounds.append(start)
    bounds.append(size)
    return list(itertools.pairwise(bounds))


def count_lines(path: Path, start: int, end: int) -> tuple[int, int]:
    """The number of lines, and of records (non-blank lines), that start in the
    byte range ``[start, end)`` of a plain JSON Lines file, counted as
    :func:`records_from_lines` numbers them: what the engine needs to give
    the next range its ``first_line`` and ``first_index``. Raises OSError."""
    lines = records = 0
    with open(path, "rb") as stream:
        stream.seek(start)
        offset = start
        for text in stream:
            if offset >= end:
                break
            if offset == 0 and text.startswith(BOM):
                text = text[len(BOM) :]  # as records_from_lines: a BOM alone is no line
                offset += len(BOM)
                if not text:
                    continue
            offset += len(text)
            lines += 1
            records += not text.isspace()
    return lines, records


def _line_start_at_or_after(stream: BinaryIO, position: int) -> int:
    if position == 0:
        return 0
    stream.seek(position - 1)  # a line starts after the first newline at or after position - 1
    return position - 1 + len(stream.readline())


def records_from_lines(
    lines: Iterable[bytes],
    display: str,
    *,
    offset: int = 0,
    end: int | None = None,
    line: int = 1,
    index: int = 0,
) -> Iterator[Record]:
    """The records of ``lines`` (binary lines with their line endings, as a
    binary file yields them), the first of which starts at byte ``offset``
    and is line number ``line``. Stops before the first line that starts at or
    after ``end``. A UTF-8 BOM is skipped when ``offset`` is 0.
    """
    lines = iter(lines)
    if offset == 0:
        lines, offset = _skip_bom(lines)
    number = line - 1
    for text in lines:
        if end is not None and offset >= end:
            return
        number += 1
        start = offset
        offset += len(text)
        if text.isspace():
            continue
        raw = text.rstrip(b"\r\n")
        try:
            value = loads(raw, start)
        except DecodeError as fault:
            yield _fault_record(display, number, start, index, raw, fault)
        else:
            yield Record(display, number, 1, start, index, raw, value)
        index += 1


def _skip_bom(lines: Iterator[bytes]) -> tuple[Iterator[bytes], int]:
    """``lines`` without a BOM at the start, and the number of bytes skipped."""
    first = next(lines, b"")
    skipped = len(BOM) if first.startswith(BOM) else 0
    first = first[skipped:]
    return (itertools.chain((first,), lines) if first else lines), skipped


def _fault_record(
    display: str, number: int, start: int, index: int, raw: bytes, fault: DecodeError
) -> Record:
    return Record(
        display,
        number,
        1,
        start,
        index,
        raw,
        error=fault.message,
        error_line=number,
        error_column=char_column(raw, 0, fault.byte),
    )
