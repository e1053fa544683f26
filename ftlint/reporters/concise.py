"""``--output-format concise``: ``path:line:col: CODE message``, one finding a line.

For problem matchers, editors' compile buffers and ``grep``. Decisions:

* **File-level findings** (``line == 0``) are printed at ``1:1``, so every
  finding line matches ``^(.+):(\\d+):(\\d+): (\\S+) (.*)$``; the ``json``
  formats keep the ``0`` for programs that need the distinction.
* **Line breaks** inside a message are written as ``\\n`` so that one finding
  is always exactly one line.
* **A final summary line**, as ``ruff --output-format concise`` prints one:
  ``Found 12 findings.`` (with ``N more over the max-findings limit`` in
  parentheses when findings were cut), or ``All checks passed.`` when there are
  none. It never matches the pattern above, so problem matchers skip it; to
  count findings, use ``jsonl``.
* Nothing else: no colour, no grouping, no related locations or fix hints
  (``text`` and ``json`` carry those).
"""

from __future__ import annotations

from typing import ClassVar

from ftlint.core.findings import Finding, Summary
from ftlint.reporters._common import counted, line_and_column, single_line
from ftlint.reporters.base import Reporter


class ConciseReporter(Reporter):
    """``path:line:col: CODE message`` lines and one summary line."""

    name: ClassVar[str] = "concise"
    description: ClassVar[str] = "One 'path:line:col: CODE message' line per finding."

    def add(self, finding: Finding) -> None:
        line, column = line_and_column(finding.location)
        self.stream.write(
            f"{finding.path}:{line}:{column}: {finding.code} {single_line(finding.message)}\n"
        )

    def finish(self, summary: Summary) -> None:
        if summary.findings == 0 and summary.truncated == 0:
            self.stream.write("All checks passed.\n")
            return
        cut = (
            f" ({summary.truncated:,} more over the max-findings limit)"
            if summary.truncated
            else ""
        )
        self.stream.write(f"Found {counted(summary.findings, 'finding')}{cut}.\n")
