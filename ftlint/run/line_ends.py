"""Ends for findings that have only a start.

Rules locate a finding where it starts (a record, a config key). Code
scanning wants a region with an end: SARIF's ``endLine``/``endColumn``, the
``endColumn`` of a GitHub annotation. A finding (or related location) without
an end is given the end of its start line, which is the whole record of a
JSON Lines file and a config key with its value.

Each file is read once, up to the last line asked for, from its unsaved
content when it has some (stdin). Only text formats are read: a Parquet row
has no line to end, and a file that cannot be read keeps its open ends.
A file-level location (line 0) has no line to end either and stays as it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ftlint.core.findings import Finding, Location
from ftlint.core.naming import without_compression
from ftlint.readers.base import ReadError
from ftlint.readers.compression import open_binary
from ftlint.readers.decoding import BOM

#: Formats whose lines are the lines positions count.
TEXT_SUFFIXES = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".yaml", ".yml")


def with_line_ends(
    findings: Sequence[Finding], buffers: Mapping[Path, bytes] | None = None
) -> list[Finding]:
    """``findings`` with every open-ended location ending where its line ends.
    ``buffers`` maps resolved paths to unsaved content read in place of the file."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for finding in findings:
        for location in _locations(finding):
            if _open_ended(location):
                wanted[location.path].add(location.line)
    buffers = buffers or {}
    ends = {
        path: _line_ends(path, lines, buffers.get(Path(path).resolve()))
        for path, lines in wanted.items()
    }
    return [_ended(finding, ends) for finding in findings]


def _locations(finding: Finding) -> list[Location]:
    return [finding.location, *(related.location for related in finding.related)]


def _open_ended(location: Location) -> bool:
    return (
        location.line > 0
        and location.end_line is None
        and without_compression(location.path).lower().endswith(TEXT_SUFFIXES)
    )


def _line_ends(path: str, lines: set[int], content: bytes | None) -> dict[int, int]:
    """The column just after the last character of each of ``lines`` of ``path``."""
    ends: dict[int, int] = {}
    last = max(lines)
    try:
        with open_binary(Path(path), path, content) as stream:
            for number, text in enumerate(stream, start=1):
                if number in lines:
                    body = text.rstrip(b"\r\n")
                    body = body.removeprefix(BOM) if number == 1 else body
                    ends[number] = len(body.decode("utf-8", errors="replace")) + 1
                if number >= last:
                    break
    except (OSError, ReadError):
        pass  # unreadable now: its findings keep their open ends
    return ends


def _ended(finding: Finding, ends: Mapping[str, Mapping[int, int]]) -> Finding:
    def end(location: Location) -> Location:
        column = ends.get(location.path, {}).get(location.line)
        if not _open_ended(location) or column is None:
            return location
        return replace(location, end_line=location.line, end_column=max(column, location.column))

    related = tuple(replace(r, location=end(r.location)) for r in finding.related)
    return replace(finding, location=end(finding.location), related=related)
