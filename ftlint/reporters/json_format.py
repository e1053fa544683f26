"""``--output-format json``: one JSON document for editors and scripts.

The document is a versioned envelope::

    {"version": 1, "tool": {...}, "findings": [...], "summary": {...},
     "statistics": {...}}

``docs/output-formats.md`` describes every field; that page and
:func:`finding_to_dict` are the contract. ``version`` changes only when a
field is removed, renamed or changes meaning; new fields may appear under
version 1, so consumers must ignore keys they do not know.

The findings are written as they arrive rather than collected first, so memory
stays flat however many findings a run has; the text is nevertheless exactly
what ``json.dumps(document, indent=2)`` would give. Output is ASCII (non-ASCII
characters are ``\\u`` escapes), so it survives any stream encoding.

The module is not called ``json`` so that it never shadows the standard
library for a script run from this directory.
"""

from __future__ import annotations

import json
from typing import ClassVar, TextIO

from ftlint.core.findings import Edit, Finding, Fix, Location, RelatedLocation, Summary
from ftlint.reporters._common import SEVERITIES_DESCENDING, JSONObject, change_to_dict
from ftlint.reporters.base import ReportContext, Reporter

#: The envelope's ``version``. Additive changes keep it; see the module docstring.
FORMAT_VERSION = 1

TOOL_NAME = "ftlint"

_INDENT = 2
_PAD = " " * _INDENT


def location_to_dict(location: Location) -> JSONObject:
    """A location as the JSON formats write it; ``line`` 0 means the whole file."""
    return {
        "path": location.path,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
        "pointer": location.pointer,
    }


def related_to_dict(related: RelatedLocation) -> JSONObject:
    return {"location": location_to_dict(related.location), "message": related.message}


def edit_to_dict(edit: Edit) -> JSONObject:
    return {
        "line": edit.line,
        "column": edit.column,
        "end_line": edit.end_line,
        "end_column": edit.end_column,
        "content": edit.content,
    }


def fix_to_dict(fix: Fix) -> JSONObject:
    return {
        "description": fix.description,
        "safe": fix.safe,
        "edits": [edit_to_dict(edit) for edit in fix.edits],
        "changes": [change_to_dict(change) for change in fix.changes],
    }


def finding_to_dict(finding: Finding) -> JSONObject:
    """A finding as both ``json`` and ``jsonl`` write it.

    Every key is always present (``null`` when there is nothing to say), so a
    consumer never has to guess between "absent" and "empty". ``content_key`` is
    left out: it is the engine's input to ``fingerprint``, not something a
    consumer should match on.
    """
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": location_to_dict(finding.location),
        "related": [related_to_dict(related) for related in finding.related],
        "fix": fix_to_dict(finding.fix) if finding.fix is not None else None,
        "fingerprint": finding.fingerprint,
    }


def summary_to_dict(summary: Summary) -> JSONObject:
    """The run's summary. ``by_severity`` always has all three severities, so a
    consumer can read ``summary["by_severity"]["error"]`` without a default."""
    return {
        "files": summary.files,
        "records": summary.records,
        "configs": summary.configs,
        "findings": summary.findings,
        "by_severity": {
            severity.value: summary.by_severity.get(severity.value, 0)
            for severity in SEVERITIES_DESCENDING
        },
        "by_code": dict(sorted(summary.by_code.items())),
        "fixable": summary.fixable,
        "unsafe_fixable": summary.unsafe_fixable,
        "suppressed": summary.suppressed,
        "baseline_matched": summary.baseline_matched,
        "baseline_stale": summary.baseline_stale,
        "truncated": summary.truncated,
        "unreadable": summary.unreadable,
        "skipped": [{"path": path, "reason": why} for path, why in summary.skipped],
        "seconds": summary.seconds,
    }


def _dumps(value: object, depth: int) -> str:
    """``value`` pretty-printed as it would appear ``depth`` levels deep in the
    document (every line after the first indented to match)."""
    text = json.dumps(value, indent=_INDENT)
    return text.replace("\n", "\n" + _PAD * depth)


class JsonReporter(Reporter):
    """One JSON document: the versioned envelope around all findings."""

    name: ClassVar[str] = "json"
    description: ClassVar[str] = "One JSON document: tool, findings and summary (for editors)."

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        super().__init__(stream, context)
        self._any_finding = False

    def start(self) -> None:
        tool = {"name": TOOL_NAME, "version": self.context.tool_version}
        self.stream.write(
            f'{{\n{_PAD}"version": {FORMAT_VERSION},\n'
            f'{_PAD}"tool": {_dumps(tool, 1)},\n'
            f'{_PAD}"findings": ['
        )

    def add(self, finding: Finding) -> None:
        separator = ",\n" if self._any_finding else "\n"
        self._any_finding = True
        self.stream.write(f"{separator}{_PAD * 2}{_dumps(finding_to_dict(finding), 2)}")

    def finish(self, summary: Summary) -> None:
        closing = f"\n{_PAD}]" if self._any_finding else "]"
        summary_text = _dumps(summary_to_dict(summary), 1)
        statistics = self.context.statistics
        statistics_text = _dumps(statistics.to_dict() if statistics is not None else None, 1)
        self.stream.write(
            f'{closing},\n{_PAD}"summary": {summary_text},\n'
            f'{_PAD}"statistics": {statistics_text}\n}}\n'
        )
