"""``--output-format github``: GitHub Actions workflow commands.

Each finding becomes one annotation command, which the Actions runner turns
into an annotation on the pull request's diff::

    ::error file=data/train.jsonl,line=12,col=1,title=D001 exact-duplicate::Record 12 ...

Decisions:

* Severity picks the command: ``error``, ``warning``, and ``notice`` for
  ``info`` (Actions has no ``info`` annotation).
* Paths are made relative to the run's root with forward slashes, because
  the runner resolves them against the repository checkout; run ftlint from
  the repository root (the usual case) for them to land on the right file.
* A file-level finding (``line == 0``) carries only ``file=``, which makes a
  file annotation rather than pretending to point at line 1.
* ``col`` and ``endColumn`` are sent only for a single-line range: GitHub
  accepts columns only when start and end are on the same line.
* Related locations are appended to the message as extra lines (an
  annotation has one position, but shows a multi-line message).
* No summary line: the job's exit status and the annotations say it all, and
  plain lines would only clutter the log between commands.

Escaping follows the runner (``actions/toolkit``'s ``escapeData`` and
``escapeProperty``): ``%``, CR and LF in the message; additionally ``:`` and
``,`` in property values, which would otherwise end the value.
"""

from __future__ import annotations

from typing import ClassVar

from ftlint.core.findings import Finding, Location, Severity
from ftlint.reporters._common import position_text, relative_posix_path
from ftlint.reporters.base import Reporter

#: The workflow command for each severity.
GITHUB_COMMAND: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message (what follows the second ``::``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=...``, ``title=...``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions ``::error``/``::warning``/``::notice`` annotations."""

    name: ClassVar[str] = "github"
    description: ClassVar[str] = "GitHub Actions workflow commands (annotations on the diff)."
    wants_ends: ClassVar[bool] = True

    def add(self, finding: Finding) -> None:
        properties = ",".join(
            f"{key}={escape_property(value)}"
            for key, value in (
                *self._position(finding.location),
                ("title", f"{finding.code} {finding.name}"),
            )
        )
        lines = [finding.message]
        lines += [f"{self._where(r.location)}: {r.message}" for r in finding.related]
        message = escape_data("\n".join(lines))
        self.stream.write(f"::{GITHUB_COMMAND[finding.severity]} {properties}::{message}\n")

    def _path(self, location: Location) -> str:
        return relative_posix_path(location.path, self.context.root)

    def _where(self, location: Location) -> str:
        return position_text(location, self._path(location))

    def _position(self, location: Location) -> list[tuple[str, str]]:
        """The ``file``/``line``/``col``/``endLine``/``endColumn`` properties."""
        position = [("file", self._path(location))]
        if location.is_file_level:
            return position
        position.append(("line", str(location.line)))
        if location.end_line is not None:
            position.append(("endLine", str(location.end_line)))
        if location.end_line in (None, location.line):
            position.append(("col", str(location.column)))
            if location.end_column is not None:
                position.append(("endColumn", str(location.end_column)))
        return position
