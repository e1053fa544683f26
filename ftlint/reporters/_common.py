"""Small helpers more than one output format needs.

Kept private to the package: a third-party reporter should depend on
:mod:`ftlint.core.findings` and :mod:`ftlint.reporters.base`, whose shapes are promised,
not on these.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import PurePath
from typing import Any

from ftlint.core.findings import Location, RecordChange, Severity, Summary

#: The type of a JSON object as the JSON-based reporters build it.
JSONObject = dict[str, Any]

#: Severities from the most to the least severe, the order summaries list them in.
SEVERITIES_DESCENDING: tuple[Severity, ...] = tuple(
    sorted(Severity, key=lambda severity: severity.rank, reverse=True)
)


def line_and_column(location: Location) -> tuple[int, int]:
    """The 1-based position to show for ``location``.

    A file-level finding (``line == 0``) is shown at ``1:1``: tools that parse
    ``path:line:col`` (problem matchers, editors) expect a real position, and
    the start of the file is where such a finding applies. The JSON formats
    keep the ``0`` so that a program can still tell the two apart.
    """
    if location.is_file_level:
        return 1, 1
    return location.line, location.column


def position_text(location: Location, path: str | None = None) -> str:
    """``path:line:col``, or just the path for a file-level location; ``path``
    replaces ``location.path`` when a format normalises paths."""
    shown = location.path if path is None else path
    if location.is_file_level:
        return shown
    return f"{shown}:{location.line}:{location.column}"


def single_line(text: str) -> str:
    """``text`` with line breaks written as ``\\n`` / ``\\r``.

    The line-oriented formats promise one finding a line; a message that quotes
    a record value must not break that promise.
    """
    return text.replace("\r", "\\r").replace("\n", "\\n")


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """``"1 file"``, ``"10,240 records"``: a count with a thousands separator and
    a noun that agrees with it."""
    word = noun if number == 1 else (plural if plural is not None else f"{noun}s")
    return f"{number:,} {word}"


#: How a count of findings of each severity is spelled: "1 error", "2 info".
SEVERITY_NOUNS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("error", "errors"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.INFO: ("info", "info"),
}


def scope_text(summary: Summary) -> str:
    """What a run looked at: ``"3 files, 10,240 records, 1 config"`` (records
    left out of a run of configs alone)."""
    scope = [counted(summary.files, "file")]
    if summary.records or not summary.configs:
        scope.append(counted(summary.records, "record"))
    if summary.configs:
        scope.append(counted(summary.configs, "config"))
    return ", ".join(scope)


def findings_text(summary: Summary) -> str:
    """``"3 findings (1 error, 2 warnings)"``: the count and, when there are
    any, the count of each severity found, most severe first."""
    found = counted(summary.findings, "finding")
    present = [
        counted(number, *SEVERITY_NOUNS[severity])
        for severity in SEVERITIES_DESCENDING
        if (number := summary.by_severity.get(severity.value, 0))
    ]
    return f"{found} ({', '.join(present)})" if present else found


def relative_posix_path(path: str, root: str) -> str:
    """``path`` relative to ``root`` with forward slashes, when it can be.

    Finding paths are relative to ``root`` already (see
    :class:`~ftlint.reporters.base.ReportContext`); an absolute path inside
    ``root`` is made relative too, and one outside it is returned absolute (in
    POSIX form). Consumers that resolve against a repository checkout (GitHub
    annotations, SARIF ``%SRCROOT%``) need exactly this.
    """
    pure = PurePath(path)
    if pure.is_absolute():
        with contextlib.suppress(ValueError):  # outside the root: stays absolute
            pure = pure.relative_to(os.path.abspath(root))
    return pure.as_posix()


def change_to_dict(change: RecordChange) -> JSONObject:
    """A record change: ``{"remove": true}``, text appended to a string, or a
    span of a string replaced."""
    if change.remove:
        return {"remove": True}
    if change.append:
        return {"remove": False, "pointer": change.pointer, "append": change.content}
    return {
        "remove": False,
        "pointer": change.pointer,
        "start": change.start,
        "end": change.end,
        "content": change.content,
    }
