"""Mergeable per-file states made of fixed-size hashes, for dataset rules that
compare records: duplicates, leakage, balance.

A :class:`HashedRecords` keeps, for each record a rule folds in, a few 64-bit
hashes (see :mod:`ftlint.text.normalise`) and where the record starts: 8 bytes a hash
plus 4 for the line (and 4 for the column, only in files where records do
not all start in column 1). A :class:`SketchedRecords` adds a MinHash
signature (see :mod:`ftlint.text.minhash`). Neither ever holds the text.

In ``finish`` a rule stacks the states of several files (the shards of a
split, in path order) into one :class:`Stacked` table and works on numpy
views of it.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ftlint.core.findings import Location
from ftlint.core.records import DatasetFile, FileState, Record
from ftlint.text.minhash import I64, U64, MinHasher, Signatures, offsets_of, shingles


class Placed(Protocol):
    """What a state needs of a record: where it starts. A rule's
    :class:`~ftlint.api.rules.RecordContext` is one (this module sits below the
    rule API, so it names the attribute rather than the class)."""

    @property
    def record(self) -> Record: ...


@dataclass(slots=True)
class HashedRecords:
    """Per file: ``width`` hashes per record, and where each record starts."""

    width: int
    hashes: array[int] = field(default_factory=lambda: array("Q"))
    lines: array[int] = field(default_factory=lambda: array("I"))
    #: None while every record starts in column 1 (JSON Lines), to save 4 bytes a record.
    columns: array[int] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def append(self, record: Placed, *hashes: int) -> None:
        self.hashes.extend(hashes)
        self.lines.append(record.record.line)
        column = record.record.column
        if self.columns is not None:
            self.columns.append(column)
        elif column != 1:
            self.columns = array("I", [1] * (len(self.lines) - 1))
            self.columns.append(column)

    def followed_by(self, later: HashedRecords) -> HashedRecords:
        """``self`` then ``later`` (a later shard of the same file), as a new
        state: neither is changed."""
        columns = None
        if self.columns is not None or later.columns is not None:
            columns = self._columns() + later._columns()
        return HashedRecords(
            self.width, self.hashes + later.hashes, self.lines + later.lines, columns
        )

    def _columns(self) -> array[int]:
        return self.columns if self.columns is not None else array("I", [1] * len(self.lines))

    def table(self) -> npt.NDArray[np.uint64]:
        """The hashes as a ``(records, width)`` numpy array (a view, no copy)."""
        return np.frombuffer(self.hashes, dtype=np.uint64).reshape(-1, self.width)

    def column_at(self, row: int) -> int:
        return 1 if self.columns is None else self.columns[row]


@dataclass(slots=True)
class Stacked:
    """The records of several files, one after the other, as numpy columns."""

    files: list[DatasetFile]
    states: list[HashedRecords]
    hashes: npt.NDArray[np.uint64]
    #: Row -> index into ``files``.
    file_of: npt.NDArray[np.int64]
    #: Row -> its row within its file.
    row_in_file: npt.NDArray[np.int64]

    @classmethod
    def of(cls, members: Sequence[tuple[DatasetFile, HashedRecords]], width: int) -> Stacked:
        tables = [state.table() for _, state in members]
        sizes = [len(state) for _, state in members]
        hashes = np.concatenate(tables) if tables else np.empty((0, width), dtype=np.uint64)
        starts = offsets_of(sizes)
        file_of = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        row_in_file = np.arange(len(file_of), dtype=np.int64) - starts[file_of]
        return cls([f for f, _ in members], [s for _, s in members], hashes, file_of, row_in_file)

    def __len__(self) -> int:
        return len(self.file_of)

    def location(self, row: int) -> Location:
        index = int(self.file_of[row])
        state, within = self.states[index], int(self.row_in_file[row])
        return Location(self.files[index].display, state.lines[within], state.column_at(within))

    def locations(self, rows: npt.NDArray[np.int64]) -> list[Location]:
        """The locations of many rows at once (a rule may report thousands)."""
        files = self.file_of[rows].tolist()
        within = self.row_in_file[rows].tolist()
        return [
            Location(self.files[f].display, self.states[f].lines[w], self.states[f].column_at(w))
            for f, w in zip(files, within, strict=True)
        ]

    def path(self, row: int) -> str:
        return self.files[int(self.file_of[row])].display


def stack(files: Sequence[FileState[HashedRecords]], width: int) -> Stacked:
    """The states of ``files`` stacked in the given order."""
    return Stacked.of([(f.file, f.state) for f in files], width)


def occurrences(keys: U64) -> tuple[I64, I64]:
    """For each row, the row of the first occurrence of its key, and how many
    rows share its key: one stable sort for both (a million keys sort in
    a tenth of a second; ``np.unique`` would sort once for each)."""
    rows = len(keys)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if rows else order
    sizes = np.diff(np.r_[starts, rows])
    group = np.repeat(np.arange(len(starts)), sizes)  # of each sorted position
    first = np.empty(rows, dtype=np.int64)
    first[order] = order[starts][group]  # stable: a group's first row is its smallest
    counts = np.empty(rows, dtype=np.int64)
    counts[order] = sizes[group]
    return first, counts


def first_occurrences(keys: U64) -> I64:
    """For each row, the row of the first occurrence of its key."""
    return occurrences(keys)[0]


def lookup(index_keys: U64, query_keys: U64) -> I64:
    """For each query key, the first row of ``index_keys`` holding it, or -1."""
    if len(index_keys) == 0 or len(query_keys) == 0:
        return np.full(len(query_keys), -1, dtype=np.int64)
    order = np.argsort(index_keys, kind="stable")
    ordered = index_keys[order]
    position = np.minimum(np.searchsorted(ordered, query_keys, side="left"), len(ordered) - 1)
    found = ordered[position] == query_keys
    return np.where(found, order[position], -1).astype(np.int64)


#: Records whose word hashes wait in a state before their signatures are computed in one batch.
BATCH = 2048


@dataclass(slots=True)
class SketchedRecords:
    """Per file: a MinHash signature of each record's word shingles, with its
    content hash and position. Signatures are computed in batches of
    :data:`BATCH` records (numpy is fast on many rows at once, slow on one);
    the words waiting for the next batch are their hashes, never the text."""

    shingle: int
    bins: int
    seed: int
    records: HashedRecords = field(default_factory=lambda: HashedRecords(1))
    chunks: list[Signatures] = field(default_factory=list)
    present: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    pending: list[U64] = field(default_factory=list)

    def append(self, record: Placed, content_hash: int, words: U64) -> None:
        self.records.append(record, content_hash)
        self.pending.append(words)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.chunks, self.present = self._signed()
            self.pending = []

    def _signed(self) -> tuple[list[Signatures], list[npt.NDArray[np.bool_]]]:
        """The chunks with the pending records' signatures after them (this
        state is not changed)."""
        if not self.pending:
            return self.chunks, self.present
        words = np.concatenate(self.pending)
        offsets = offsets_of([len(w) for w in self.pending])
        shingle_hashes, shingle_offsets = shingles(words, offsets, self.shingle)
        signatures, present = MinHasher(self.bins, self.seed).signatures(
            shingle_hashes, shingle_offsets
        )
        return [*self.chunks, signatures], [*self.present, present]

    def followed_by(self, later: SketchedRecords) -> SketchedRecords:
        """``self`` then ``later`` (a later shard of the same file), as a new
        state: neither is changed (signatures are immutable and shared)."""
        chunks, present = self._signed()
        return SketchedRecords(
            self.shingle,
            self.bins,
            self.seed,
            self.records.followed_by(later.records),
            chunks + later.chunks,
            present + later.present,
            list(later.pending),
        )

    def signatures(self) -> tuple[Signatures, npt.NDArray[np.bool_]]:
        """Every record's signature, and whether it has any shingle. The chunks
        are joined once and kept joined, so that the signatures are not held
        twice."""
        self.flush()
        if not self.chunks:
            return np.empty((0, self.bins), dtype=np.uint8), np.empty(0, dtype=bool)
        if len(self.chunks) > 1:
            self.chunks = [np.concatenate(self.chunks)]
            self.present = [np.concatenate(self.present)]
        return self.chunks[0], self.present[0]
