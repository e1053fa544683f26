"""Applying the safe fixes of findings to config files (``--fix``), or
showing them as a unified diff (``--diff``); and what every fixer shares:
the options of the fix step (:class:`FixOptions`), what a fixer did
(:class:`FixOutcome`) and the atomic replacement of a file (:func:`replacing`).

Only config files are touched, and only by the fixes of findings that
survived selection, suppression and the baseline: the edits of each file are
applied bottom-up (so earlier positions stay valid), edits that overlap one
already taken are dropped, and the result must still parse as YAML/JSON
with ruamel's round-trip loader before it is written. A fix whose edits lie
inside another's (K004's ``yes`` inside the line K002 rewrites) is done by
it: its finding counts as fixed, so one pass fixes both. Line endings are
kept (``\r\n``, a lone ``\r``), and lines are counted as the YAML parser
counts them. Dataset files are fixed by :mod:`ftlint.run.dataset_fixes`,
which shares :func:`replacing` and :func:`overlaps`.

Writing goes through :func:`replacing`: a temporary file in the same folder,
renamed over the file (atomic), with the file's mode; through a symlink, to
its target. A file with other hard links is rewritten in place from that
temporary copy instead, so that every link sees the fix. A read-only file,
and a file that changed on disk since it was read, are left alone.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ftlint.configs.document import ConfigDocument
from ftlint.core.findings import Edit, Finding


@dataclass(frozen=True, slots=True)
class FixOptions:
    """What the fix step asks of every fixer. ``write``: rewrite the files
    (``--fix``) rather than only diff them (``--diff``); ``unsafe``: apply
    unsafe fixes too (``--unsafe-fixes``), not only safe ones. An option a
    later kind of fix needs belongs here, so that adding one changes neither
    the step nor the fixers' signature."""

    write: bool
    unsafe: bool = False


@dataclass
class FixOutcome:
    """What fixing did: the findings whose fixes were applied (or would be,
    with ``--diff``), the unified diff of every changed file, and the files
    that could not be fixed, with why."""

    fixed: list[Finding] = field(default_factory=list)
    diff: str = ""
    files: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.files)

    def extend(self, other: FixOutcome) -> None:
        """Add what another fixer did (of other files) to this outcome."""
        self.fixed += other.fixed
        self.diff += other.diff
        self.files += other.files
        self.errors += other.errors


def fixable(findings: Iterable[Finding], documents: Mapping[str, ConfigDocument]) -> list[Finding]:
    """Findings with a safe fix in a config file of this run."""
    return [
        f
        for f in findings
        if f.fix is not None and f.fix.safe and f.fix.edits and f.location.path in documents
    ]


def apply_fixes(
    findings: Sequence[Finding], documents: Mapping[str, ConfigDocument], *, write: bool
) -> FixOutcome:
    """Apply (``write=True``) or only diff the safe fixes of ``findings``."""
    outcome = FixOutcome()
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in fixable(findings, documents):
        by_path[finding.location.path].append(finding)
    diffs = []
    for path in sorted(by_path):
        document = documents[path]
        applied, text = _apply(document.text, by_path[path])
        if not applied or text == document.text:
            continue
        problem = _check(text)
        if problem is None and write:
            problem = _write(document, text)
        if problem is not None:
            outcome.errors.append(f"{path}: not fixed: {problem}")
            continue
        outcome.fixed += applied
        outcome.files.append(path)
        diffs.append(_diff(path, document.text, text))
    outcome.diff = "".join(diffs)
    return outcome


def _apply(text: str, findings: list[Finding]) -> tuple[list[Finding], str]:
    """``text`` with the findings' edits applied bottom-up; a finding whose
    edits overlap edits already taken is skipped whole."""
    starts = _line_starts(text)

    def edits_of(finding: Finding) -> list[tuple[int, int, str]]:
        assert finding.fix is not None
        return [(_offset(starts, e), _end_offset(starts, e), e.content) for e in finding.fix.edits]

    # The widest fixes first, so that a fix inside another is seen to be (see
    # the module's documentation); then bottom-up.
    ordered = sorted(findings, key=lambda f: [(s - e, -s) for s, e, _ in edits_of(f)][:1])
    taken: list[tuple[int, int]] = []
    applied: list[Finding] = []
    spans: list[tuple[int, int, str]] = []
    for finding in ordered:
        edits = edits_of(finding)
        if all(_inside(start, end, taken) for start, end, _ in edits):
            applied.append(finding)  # rewritten by a wider fix already taken
            continue
        if any(overlaps(start, end, taken) for start, end, _ in edits):
            continue
        taken += [(start, end) for start, end, _ in edits]
        spans += edits
        applied.append(finding)
    for start, end, content in sorted(spans, key=lambda s: s[0], reverse=True):
        text = text[:start] + content + text[end:]
    return applied, text


#: Line breaks as ruamel.yaml counts them, and so as findings' lines count.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _LINE_BREAK.finditer(text))]


def _offset(starts: list[int], edit: Edit) -> int:
    return _position(starts, edit.line, edit.column)


def _end_offset(starts: list[int], edit: Edit) -> int:
    return _position(starts, edit.end_line, edit.end_column)


def _position(starts: list[int], line: int, column: int) -> int:
    line = min(max(line, 1), len(starts))
    return starts[line - 1] + max(column, 1) - 1


def _inside(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` lies strictly within a span already taken: not
    the same span (two rewrites of one text conflict), not an insertion."""
    return start < end and any(
        other_start <= start and end <= other_end and (start, end) != (other_start, other_end)
        for other_start, other_end in taken
    )


def overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` overlaps a span already taken (two inserts at
    one point overlap too)."""
    return any(
        (start < other_end and other_start < end) or start == other_start
        for other_start, other_end in taken
    )


def _check(text: str) -> str | None:
    """Why the fixed text must not be written, if it must not: it has to
    parse as the original did."""
    try:
        YAML(typ="rt").load(text)
    except YAMLError as error:
        return f"the fixed file would not parse ({type(error).__name__})"
    return None


def _write(document: ConfigDocument, text: str) -> str | None:
    """Write ``text`` over the document's file (see the module's
    documentation for how); why not, if not."""
    path = Path(document.path).resolve()  # through a symlink: its target
    try:
        # Bytes, not read_text: universal newlines would turn \r\n into \n.
        current = path.read_bytes().decode("utf-8", errors="replace")
        if current.lstrip("\ufeff") != document.text.lstrip("\ufeff"):
            return "the file changed since it was read"
        with replacing(path) as stream:
            stream.write(text.encode("utf-8"))
    except OSError as error:
        return error.strerror or str(error)
    return None


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary stream to a temporary file beside ``path`` that replaces
    ``path``, with its mode, when the block ends without an error (written
    to disk, then renamed: a crash leaves the old file or the new one, never
    half of it). On an error, or an interrupt, the temporary file goes and
    ``path`` stays as it was.

    A file with other hard links is instead rewritten in place from the
    temporary copy once that is complete, so that every name sees the new
    text. A read-only file raises :class:`PermissionError` before anything
    is written: renaming over it would succeed, and replace what its owner
    protected."""
    status = path.stat()
    if not status.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if status.st_nlink > 1:
            shutil.copyfile(temporary, path)
            os.unlink(temporary)
        else:
            os.chmod(temporary, status.st_mode & 0o7777)
            os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
