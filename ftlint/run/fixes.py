"""Applying the safe fixes of findings to config files (``--fix``), or
showing them as a unified diff (``--diff``); and what every fixer shares:
the options of the fix step (:class:`FixOptions`), what a fixer did
(:class:`FixOutcome`) and the atomic replacement of a file (:func:`replacing`).

Only config files are touched, and only by the fixes of findings that
survived selection, suppression and the baseline: the edits of each file are
applied bottom-up (so earlier positions stay valid), edits that overlap one
already taken are dropped, and the result must still parse as YAML/JSON
with ruamel's round-trip loader before it is written. Writing is atomic (a
temporary file in the same folder, then a rename), and a file that changed
on disk since it was read is left alone. Dataset files are fixed by
:mod:`ftlint.run.dataset_fixes`, which shares :func:`replacing`.
"""

from __future__ import annotations

import difflib
import os
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
    ordered = sorted(findings, key=lambda f: _offset(starts, f.fix.edits[0]) if f.fix else 0)
    taken: list[tuple[int, int]] = []
    applied: list[Finding] = []
    spans: list[tuple[int, int, str]] = []
    for finding in reversed(ordered):
        assert finding.fix is not None
        edits = [(_offset(starts, e), _end_offset(starts, e), e.content) for e in finding.fix.edits]
        if any(overlaps(start, end, taken) for start, end, _ in edits):
            continue
        taken += [(start, end) for start, end, _ in edits]
        spans += edits
        applied.append(finding)
    for start, end, content in sorted(spans, key=lambda s: s[0], reverse=True):
        text = text[:start] + content + text[end:]
    return applied, text


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _offset(starts: list[int], edit: Edit) -> int:
    return _position(starts, edit.line, edit.column)


def _end_offset(starts: list[int], edit: Edit) -> int:
    return _position(starts, edit.end_line, edit.end_column)


def _position(starts: list[int], line: int, column: int) -> int:
    line = min(max(line, 1), len(starts))
    return starts[line - 1] + max(column, 1) - 1


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
    """Write ``text`` over the document's file atomically; why not, if not."""
    path = Path(document.path)
    try:
        if path.read_text(encoding="utf-8").lstrip("\ufeff") != document.text.lstrip("\ufeff"):
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
    ``path`` stays as it was."""
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode & 0o7777)
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
