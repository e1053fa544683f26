"""Applying the record fixes of dataset findings (``--fix``, ``--unsafe-fixes``),
or showing them (``--diff``), and losing nothing.

A dataset finding's :class:`~ftlint.core.findings.Fix` holds
:class:`~ftlint.core.findings.RecordChange` s for the record the finding is
located in: remove it, or replace spans of a string in it. This module
rewrites the files those records are in:

- **Only the records fixed change.** Every other byte of the file stays as
  it was (key order, escaping, the line's trailing whitespace, line endings,
  a BOM). A changed record keeps its own bytes too, but for the string
  literals its fixes change, which are written back with the escaping the
  literal had (``\\u`` escapes if it was ASCII). JSON Lines files (plain,
  ``.gz``, ``.zst``) are streamed line by line in one sequential pass, and
  only the lines fixed are parsed; JSON files (an array, or JSON Lines
  named ``.json``) and CSV/TSV files are rewritten from their records'
  spans, an array keeping the separators between the elements it keeps,
  a changed CSV row written again by the csv module. Parquet files are not
  rewritten: their findings are reported as not fixable in place (a row
  cannot go without re-encoding every row group of a file other tools
  wrote).
- **Nothing is lost.** Every record removed, and the original of every
  record changed, is appended to ``<quarantine-dir>/<dataset path>.jsonl``
  (settings key ``quarantine-dir``, by default ``.ftlint/removed`` under the
  settings root) as one JSON object: ``file``, ``line``, ``action``
  (``removed`` or ``changed``), ``rules`` and ``reasons`` (the codes and
  messages of the findings fixed), ``record`` (the record as read) and, for
  a change, ``fixed`` (the record as written).
- **Atomic.** The new file is written beside the old one and renamed over
  it (:func:`~ftlint.run.fixes.replacing`); the quarantine is appended
  (and synced to disk) before the rename and cut back to its old length if
  the rename fails, so a failure or an interrupt leaves the dataset and its
  quarantine as they were. A crash of the machine between the two leaves
  the original dataset and quarantine entries of a fix that did not happen:
  extra copies, never a record lost.
- **Idempotent.** A fix removes or changes exactly what its finding is
  about, so a second run finds nothing left to fix. When two findings'
  spans overlap in one string, the first is applied and the second waits
  for the next run.

Which fixes apply: safe ones with ``--fix``, unsafe ones too with
``--unsafe-fixes``; only for findings that survived suppression, the
baseline and the cap (the fix step gets the collected findings).
"""

from __future__ import annotations

import bisect
import csv
import difflib
import io
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

from ftlint.core.findings import Finding, RecordChange
from ftlint.core.naming import without_compression
from ftlint.core.pointers import is_pointer, pointer_tokens
from ftlint.core.records import DatasetFile
from ftlint.readers.base import Reader, ReadError
from ftlint.readers.compression import compressing, open_binary
from ftlint.readers.decoding import BOM
from ftlint.readers.positions import value_span
from ftlint.run.fixes import FixOptions, FixOutcome, overlaps, replacing

#: How a format writes changes into a record: its source and value and the
#: changes in, its new source and value out (None: they do not apply).
Editor = Callable[[bytes, Any, list[RecordChange]], tuple[bytes, Any] | None]


@dataclass(frozen=True, slots=True)
class _Source:
    """A record to fix: the line it starts on, its source bytes, its value,
    and the editor of its format."""

    line: int
    raw: bytes
    value: Any
    edit: Editor


@dataclass
class _Fixed:
    """What happens to one record: removed (``after`` None) or changed (to
    ``after``, whose value is ``fixed``), by the fixes of ``findings``."""

    source: _Source
    findings: list[Finding]
    after: bytes | None = None
    fixed: Any = None

    def quarantine_entry(self, display: str) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "file": display,
            "line": self.source.line,
            "action": "removed" if self.after is None else "changed",
            "rules": [f.code for f in self.findings],
            "reasons": [f.message for f in self.findings],
            "record": self.source.value,
        }
        if self.after is not None:
            entry["fixed"] = self.fixed
        return entry


@dataclass
class _FileFix:
    """The fixes of one file, as its rewrite makes them."""

    file: DatasetFile
    records: list[_Fixed] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for record in self.records for f in record.findings]

    def diff(self) -> str:
        """Records removed (line and rules), records changed (a unified diff
        of each), and the counts."""
        display = self.file.display
        removed = [r for r in self.records if r.after is None]
        changed = [r for r in self.records if r.after is not None]
        lines = [f"{display}: {len(removed)} record(s) removed, {len(changed)} changed\n"]
        for record in removed:
            first, *others = record.findings  # the removing finding comes first
            also = f"; also resolves {', '.join(f.code for f in others)}" if others else ""
            why = f"{first.code} ({first.message}{also})"
            lines.append(f"  line {record.source.line}: removed by {why}\n")
        for record in changed:
            assert record.after is not None
            lines += difflib.unified_diff(
                _text(record.source.raw).splitlines(keepends=True),
                _text(record.after).splitlines(keepends=True),
                fromfile=f"a/{display}:{record.source.line}",
                tofile=f"b/{display}:{record.source.line}",
                lineterm="\n",
            )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


class DatasetFixer:
    """The fixer of the check's dataset files (a
    :class:`~ftlint.run.pipeline.Fixer`): ``files`` by display path,
    ``reader_for`` the reader of a path, ``quarantine`` the quarantine
    folder."""

    def __init__(
        self,
        files: Mapping[str, DatasetFile],
        reader_for: Callable[[Path], Reader],
        quarantine: Path,
        root: Path,
    ) -> None:
        self.files = files
        self.reader_for = reader_for
        self.quarantine = quarantine
        self.root = root

    def __call__(self, findings: Sequence[Finding], options: FixOptions) -> FixOutcome:
        """Fix (``options.write``) or diff the record fixes of ``findings``:
        the safe ones, and the unsafe ones too when ``options.unsafe``."""
        by_path: dict[str, list[Finding]] = defaultdict(list)
        for finding in findings:
            fix = finding.fix
            if fix is None or not fix.changes or finding.path not in self.files:
                continue
            if fix.safe or options.unsafe:
                by_path[finding.path].append(finding)
        outcome = FixOutcome()
        for path in sorted(by_path):
            outcome.extend(self._fix_file(self.files[path], by_path[path], write=options.write))
        return outcome

    def quarantine_file(self, file: DatasetFile) -> Path:
        """Where the records fixed in ``file`` are kept: its path under the
        settings root (or its absolute path) under the quarantine folder."""
        resolved = file.path.resolve()
        try:
            relative = resolved.relative_to(self.root.resolve())
        except ValueError:
            relative = resolved.relative_to(resolved.anchor)
        return self.quarantine / f"{relative.as_posix()}.jsonl"

    def _fix_file(self, file: DatasetFile, findings: list[Finding], *, write: bool) -> FixOutcome:
        reader = self.reader_for(file.path)
        display = file.display
        if reader.name not in ("jsonl", "json", "csv"):
            return FixOutcome(
                errors=[
                    f"{display}: not fixed: {reader.name} files are not rewritten in place "
                    f"({len(findings)} fixable finding(s) left; fix them in the source data)"
                ]
            )
        rewrite = _rewrite_lines if reader.name == "jsonl" else partial(_rewrite_records, reader)
        fixing = _FileFix(file)
        try:
            if file.path.stat().st_size != file.size:
                raise _NotFixableError("the file changed since it was read")
            if write:
                self._write(file, fixing, lambda out: rewrite(file, findings, fixing, out))
            else:
                rewrite(file, findings, fixing, None)
        except (OSError, ReadError, _NotFixableError) as error:
            problem = error.strerror if isinstance(error, OSError) else str(error)
            return FixOutcome(errors=[f"{display}: not fixed: {problem or error}"])
        if not fixing.records:
            return FixOutcome()
        return FixOutcome(fixed=fixing.findings, diff=fixing.diff(), files=[display])

    def _write(
        self, file: DatasetFile, fixing: _FileFix, rewrite: Callable[[BinaryIO], None]
    ) -> None:
        """Rewrite ``file`` through ``rewrite`` and quarantine what it fixed,
        all or nothing (see the module's docstring)."""
        quarantine = self.quarantine_file(file)
        quarantine.parent.mkdir(parents=True, exist_ok=True)
        with open(quarantine, "ab") as kept:
            length = kept.seek(0, os.SEEK_END)
            try:
                with replacing(file.path) as target, compressing(target, file.path) as out:
                    rewrite(out)
                    if not fixing.records:
                        raise _Unchanged
                    for record in fixing.records:
                        entry = record.quarantine_entry(file.display)
                        kept.write(json.dumps(entry, ensure_ascii=False).encode() + b"\n")
                    kept.flush()
                    os.fsync(kept.fileno())
            except _Unchanged:
                pass
            except BaseException:
                kept.truncate(length)
                raise
        if quarantine.stat().st_size == 0:
            quarantine.unlink()


class _NotFixableError(Exception):
    """The file cannot be fixed in place; the message says why."""


class _Unchanged(Exception):  # noqa: N818 - a signal, not an error
    """Nothing to write: leave the file as it was (the temporary file goes)."""


def _rewrite_lines(
    file: DatasetFile, findings: list[Finding], fixing: _FileFix, out: BinaryIO | None
) -> None:
    """Stream the JSON Lines ``file`` to ``out`` (None: only work out the
    fixes), fixing the lines ``findings`` are on; other lines are copied as
    they are, unparsed."""
    by_line: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_line[finding.location.line].append(finding)
    with open_binary(file.path, file.display) as stream:
        for number, line in enumerate(stream, start=1):
            prefix = BOM if number == 1 and line.startswith(BOM) else b""
            found = by_line.get(number)
            if found is None:
                if out is not None:
                    out.write(line)
                continue
            raw = line[len(prefix) :].rstrip(b"\r\n")
            ending = line[len(prefix) + len(raw) :]
            fixed = _fix_record(_Source(number, raw, json.loads(raw), _json_edited), found)
            fixing.records += [fixed] if fixed is not None else []
            if out is None:
                continue
            if fixed is None:
                out.write(line)
            elif fixed.after is not None:
                out.write(prefix + fixed.after + ending)
            elif prefix:
                out.write(prefix)  # the file's BOM stays with the file


def _rewrite_records(
    reader: Reader,
    file: DatasetFile,
    findings: list[Finding],
    fixing: _FileFix,
    out: BinaryIO | None,
) -> None:
    """Rewrite the JSON file ``file`` (an array, one value, or JSON Lines
    named ``.json``) or CSV file from the spans of the records ``reader``
    reads."""
    if reader.name == "csv":
        tsv = without_compression(file.path.name.lower()).endswith(".tsv")
        edit: Editor = partial(_csv_edited, "\t" if tsv else ",")
    else:
        edit = _json_edited
    records = list(reader.read(file.path, file.display))
    if any(not record.ok for record in records):
        raise _NotFixableError("the file does not parse as a whole")
    # A finding on a pretty-printed element is at the line of the value it
    # names: it belongs to the last record that starts at or before it.
    starts = [(record.line, record.column) for record in records]
    by_record: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        here = bisect.bisect_right(starts, (finding.location.line, finding.location.column)) - 1
        if here >= 0:
            by_record[here].append(finding)
    outcomes: dict[int, _Fixed] = {}
    for index, found in sorted(by_record.items()):
        record = records[index]
        fixed = _fix_record(_Source(record.line, record.raw, record.value, edit), found)
        if fixed is not None:
            outcomes[index] = fixed
            fixing.records.append(fixed)
    if not outcomes or out is None:
        return
    with open_binary(file.path, file.display) as stream:
        data = stream.read()
    spans = [(record.offset, record.offset + len(record.raw)) for record in records]
    if reader.name == "json" and data[: spans[0][0]].rstrip().endswith(b"["):
        out.write(b"".join(_spliced_array(data, spans, outcomes)))
    elif len(records) == 1 and outcomes[0].after is None:
        raise _NotFixableError("its only record would be removed; remove the file instead")
    else:
        out.write(b"".join(_spliced_lines(data, spans, outcomes)))


def _spliced_array(
    data: bytes, spans: list[tuple[int, int]], outcomes: Mapping[int, _Fixed]
) -> Iterator[bytes]:
    """The JSON array ``data`` with the elements at ``spans`` changed or
    removed as ``outcomes`` say: every element kept is preceded by the
    separator that preceded it (none for the first kept one)."""
    yield data[: spans[0][0]]
    first = True
    for index, (start, end) in enumerate(spans):
        fixed = outcomes.get(index)
        if fixed is not None and fixed.after is None:
            continue
        if not first:
            yield data[spans[index - 1][1] : start]
        first = False
        yield data[start:end] if fixed is None or fixed.after is None else fixed.after
    yield data[spans[-1][1] :]


def _spliced_lines(
    data: bytes, spans: list[tuple[int, int]], outcomes: Mapping[int, _Fixed]
) -> Iterator[bytes]:
    """``data`` with the records at ``spans`` (lines, or one value) changed
    or removed as ``outcomes`` say; a line removed takes its line ending."""
    position = 0
    for index, (start, end) in enumerate(spans):
        fixed = outcomes.get(index)
        if fixed is None:
            continue
        yield data[position:start]
        if fixed.after is None:
            newline = data.find(b"\n", end)
            position = len(data) if newline < 0 else newline + 1
        else:
            yield fixed.after
            position = end
    yield data[position:]


def _fix_record(source: _Source, findings: list[Finding]) -> _Fixed | None:
    """What the fixes of ``findings`` do to the record: remove it if one of
    them removes it (every finding on it is then resolved), else the record
    with the spans of the findings whose spans do not overlap one taken
    already. None when nothing applies."""
    removing = [f for f in findings if any(c.remove for c in _changes(f))]
    if removing:
        others = [f for f in findings if f not in removing]
        return _Fixed(source, removing + others)
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
    applied: list[Finding] = []
    for finding in findings:
        spans = [(c.pointer, *_span(c)) for c in _changes(finding)]
        if any(overlaps(start, end, taken[pointer]) for pointer, start, end in spans):
            continue
        for pointer, start, end in spans:
            taken[pointer].append((start, end))
        applied.append(finding)
    edited = source.edit(source.raw, source.value, [c for f in applied for c in _changes(f)])
    if edited is None or edited[0] == source.raw:
        return None
    return _Fixed(source, applied, *edited)


def _span(change: RecordChange) -> tuple[int, int]:
    """The span a change takes in its string: an append takes the end, which
    only the record knows, so it is the largest position there is (two
    appends to one string then overlap, and the second waits)."""
    return (sys.maxsize, sys.maxsize) if change.append else (change.start, change.end)


def _changes(finding: Finding) -> tuple[RecordChange, ...]:
    assert finding.fix is not None
    return finding.fix.changes


def _json_edited(raw: bytes, value: Any, changes: list[RecordChange]) -> tuple[bytes, Any] | None:
    """The JSON record ``raw`` with the string spans of ``changes`` replaced,
    each string's literal rewritten in place and every other byte kept;
    None when a change names no string or a span outside it (the record is
    not what the finding saw)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    literals = []
    for pointer, edits in _by_pointer(changes).items():
        span = value_span(text, pointer)
        literal = None if span is None else _string_literal(text[span[0] : span[1]], edits)
        if span is None or literal is None:
            return None
        literals.append((span, literal))
    for (start, end), literal in sorted(literals, reverse=True):
        text = text[:start] + literal + text[end:]
    try:
        return text.encode("utf-8"), json.loads(text)
    except UnicodeEncodeError:  # a lone surrogate cannot be written unescaped
        return None


def _csv_edited(
    delimiter: str, raw: bytes, value: Any, changes: list[RecordChange]
) -> tuple[bytes, Any] | None:
    """The CSV row ``raw`` (``value``: its fields by column) with the string
    spans of ``changes`` replaced, written again as one row (quoted where
    the csv module must); None when a change names no column."""
    row = dict(value)
    for pointer, edits in _by_pointer(changes).items():
        tokens = pointer_tokens(pointer) if is_pointer(pointer) else ()
        column = tokens[0] if len(tokens) == 1 else None
        text = _replaced(row[column], edits) if column in row else None
        if column is None or text is None:
            return None
        row[column] = text
    buffer = io.StringIO()
    # With "\r\n" as its line end, the writer quotes fields holding either;
    # the row's own line ending is the file's, kept by the splice.
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerow(row.values())
    return buffer.getvalue().removesuffix("\r\n").encode("utf-8"), row


def _string_literal(literal: str, edits: list[RecordChange]) -> str | None:
    """The JSON string ``literal`` with ``edits`` applied, written with the
    escaping it had: ``\\u`` escapes when it was all ASCII."""
    try:
        value = json.loads(literal)
    except ValueError:
        return None
    text = _replaced(value, edits)
    return None if text is None else json.dumps(text, ensure_ascii=literal.isascii())


def _by_pointer(changes: Iterable[RecordChange]) -> dict[str, list[RecordChange]]:
    by_pointer: dict[str, list[RecordChange]] = defaultdict(list)
    for change in changes:
        by_pointer[change.pointer].append(change)
    return by_pointer


def _replaced(value: Any, edits: list[RecordChange]) -> str | None:
    """The string ``value`` with the spans of ``edits`` replaced (appends at
    its end); None when it is no string or a span falls outside it."""
    if not isinstance(value, str):
        return None
    text, end = value, len(value)
    spans = [(end, end, e.content) if e.append else (e.start, e.end, e.content) for e in edits]
    if any(not 0 <= start <= stop <= end for start, stop, _ in spans):
        return None
    for start, stop, content in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + content + text[stop:]
    return text


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace") + "\n"
