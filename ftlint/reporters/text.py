"""``--output-format text``: findings for a person at a terminal (the default).

Layout::

    data/train.jsonl:12:1: D001 record repeats record 3 [warning: exact-duplicate]
        data/train.jsonl:3:1: first copy
        help: drop the repeated record (unsafe fix)
    data/train.jsonl: B001 the rarest label is 2% of the split [warning: label-imbalance]

    Found 2 findings (2 warnings) in 4 files, 10,240 records.

Decisions:

* Each finding starts with ``path:line:col: CODE message``, the form
  terminals, editors and problem matchers turn into links; a file-level
  finding has no position (``path: CODE message``).
* The severity and rule name follow in brackets: spelled out as well as
  coloured, so they survive logs, pipes and colour-blind readers. Colour is
  used only when ``context.color`` says so; the CLI decides (``NO_COLOR``, a
  terminal or not), never this module.
* Findings arrive sorted by path; a blank line separates files. The reporter
  streams and never holds more than one finding.
* Related locations and the fix hint sit indented under the message, related
  ones as ``path:line:col: message`` so that they are links too.
* Line breaks inside messages are shown as ``\\n``: one finding, one line.
* The summary echoes the engine's :class:`~ftlint.core.findings.Summary` with
  thousands separators, plus a line for each non-zero count of findings that
  were found but not shown (over the limit, suppressed, in the baseline) and
  for stale baseline entries, so that a quiet run is never mysteriously quiet.
* With ``context.show_statistics``, a table of counts per code (most frequent
  first) comes before the summary, like ``ruff --statistics``.
"""

from __future__ import annotations

from typing import ClassVar, TextIO

from ftlint.core.findings import Finding, Severity, Summary
from ftlint.reporters._common import (
    SEVERITIES_DESCENDING,
    counted,
    findings_text,
    position_text,
    scope_text,
    single_line,
)
from ftlint.reporters.base import ReportContext, Reporter

# ANSI SGR parameters.
_BOLD = "1"
_RED = "31"
_GREEN = "32"
_YELLOW = "33"
_CYAN = "36"

#: The colour of each severity (code, severity word, summary line).
SEVERITY_COLOR: dict[Severity, str] = {
    Severity.ERROR: _RED,
    Severity.WARNING: _YELLOW,
    Severity.INFO: _CYAN,
}

_STATISTICS_HEADER = ("Count", "Code", "Name", "Severity")


class TextReporter(Reporter):
    """One ``path:line:col: CODE message`` line a finding, then a summary line."""

    name: ClassVar[str] = "text"
    description: ClassVar[str] = "path:line:col: CODE message lines, colour, and a summary."

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        super().__init__(stream, context)
        self._current_path: str | None = None
        # code -> (name, severity) as reported, for the statistics table.
        self._reported: dict[str, tuple[str, Severity]] = {}

    def add(self, finding: Finding) -> None:
        write = self.stream.write
        if self._current_path is not None and finding.path != self._current_path:
            write("\n")
        self._current_path = finding.path
        self._reported.setdefault(finding.code, (finding.name, finding.severity))

        location = finding.location
        where = finding.path if location.is_file_level else position_text(location)
        colour = SEVERITY_COLOR[finding.severity]
        tag = f"[{finding.severity.value}: {finding.name}]"
        write(
            f"{self._paint(where, _BOLD)}: {self._paint(finding.code, _BOLD, colour)} "
            f"{single_line(finding.message)} {self._paint(tag, colour)}\n"
        )
        for related in finding.related:
            write(f"    {position_text(related.location)}: {single_line(related.message)}\n")
        if finding.fix is not None:
            unsafe = "" if finding.fix.safe else " (unsafe fix)"
            hint = single_line(finding.fix.description)
            write(f"    {self._paint('help:', _CYAN)} {hint}{unsafe}\n")

    def finish(self, summary: Summary) -> None:
        write = self.stream.write
        if self._current_path is not None:
            write("\n")
        if self.context.show_statistics and summary.by_code:
            self._write_statistics(summary)
            write("\n")
        headline, style = self._headline(summary)
        write(self._paint(headline, *style) + "\n")
        for note in _notes(summary):
            write(note + "\n")

    def _paint(self, text: str, *codes: str) -> str:
        if not self.context.color:
            return text
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"

    def _headline(self, summary: Summary) -> tuple[str, tuple[str, ...]]:
        """The summary line and its style: bold, in the colour of the worst
        severity found, or green when nothing was."""
        where = scope_text(summary)
        if not summary.findings and not summary.truncated:
            if summary.unreadable:
                return f"No findings in what could be read: {where}.", (_BOLD,)
            return f"All checks passed: {where}.", (_BOLD, _GREEN)

        present = [
            severity
            for severity in SEVERITIES_DESCENDING
            if summary.by_severity.get(severity.value, 0)
        ]
        style = (_BOLD, SEVERITY_COLOR[present[0]]) if present else (_BOLD,)
        return f"Found {findings_text(summary)} in {where}.", style

    def _write_statistics(self, summary: Summary) -> None:
        """A table of counts per code, most frequent first (ties by code)."""
        declared = {rule.code: (rule.name, rule.severity) for rule in self.context.rules}
        by_frequency = sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
        table = [
            _STATISTICS_HEADER,
            *(
                (f"{number:,}", code, *_name_and_severity(code, self._reported, declared))
                for code, number in by_frequency
            ),
        ]
        widths = [max(len(row[column]) for row in table) for column in range(4)]
        for number, (count, *rest) in enumerate(table):
            cells = [count.rjust(widths[0])]
            cells += [cell.ljust(width) for cell, width in zip(rest, widths[1:], strict=True)]
            line = "  ".join(cells).rstrip()
            self.stream.write((self._paint(line, _BOLD) if number == 0 else line) + "\n")


def _name_and_severity(
    code: str,
    reported: dict[str, tuple[str, Severity]],
    rules: dict[str, tuple[str, Severity]],
) -> tuple[str, str]:
    """A code's name and severity as reported, else as declared, else blank."""
    known = reported.get(code) or rules.get(code)
    if known is None:
        return "", ""
    name, severity = known
    return name, severity.value


def _notes(summary: Summary) -> list[str]:
    """Lines about findings that exist but are not listed, and stale baseline entries."""
    notes = []
    if summary.unreadable:
        notes.append(f"{counted(summary.unreadable, 'file')} could not be read (errors below).")
    if summary.fixable or summary.unsafe_fixable:
        unsafe = summary.unsafe_fixable
        more = f" ({unsafe:,} more with --unsafe-fixes)" if unsafe else ""
        notes.append(f"{summary.fixable:,} fixable with --fix{more}.")
    if summary.skipped:
        notes.append(
            f"{counted(len(summary.skipped), 'YAML or JSON file')} found but not linted as a "
            "config (--show-files lists them, and why)."
        )
    if summary.truncated:
        notes.append(
            f"{counted(summary.truncated, 'more finding')} over the max-findings limit not shown."
        )
    if summary.suppressed:
        notes.append(
            f"{counted(summary.suppressed, 'finding')} suppressed (per-file-ignores, noqa)."
        )
    if summary.baseline_matched:
        notes.append(f"{counted(summary.baseline_matched, 'finding')} in the baseline not shown.")
    if summary.baseline_stale:
        stale = summary.baseline_stale
        verb = "matches" if stale == 1 else "match"
        notes.append(
            f"{counted(stale, 'baseline entry', 'baseline entries')} no longer {verb} any finding."
        )
    return notes
