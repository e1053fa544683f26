"""Helpers shared by the rules that compare records: duplicates (D), leakage
(L) and balance (B), and S009. They group a dataset's files by split,
describe where another record is, count each file's records, and keep
bounded per-file statistics of responses."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

import numpy as np
import numpy.typing as npt
import xxhash

from ftlint.api import DatasetRule, FileState, Fix, Location, RecordContext, Split
from ftlint.api.text import HashedRecords, Stacked, stack

from ._wording import quote

T = TypeVar("T")

#: Characters of a response quoted in a message.
EXCERPT = 60
#: Characters of a response kept: one more than a message quotes, so that the
#: quote of a response that goes on ends in ``...``.
_KEPT = EXCERPT + 1


def percent(share: float) -> str:
    """``5%``, ``0.4%``, ``0.01%``: two significant digits under 10%."""
    if share >= 0.1 or share == 0:
        return f"{share:.0%}"
    digits = max(0, 1 - math.floor(math.log10(share * 100)))
    return f"{share * 100:.{digits}f}%"


def split_groups(files: Sequence[FileState[T]]) -> list[list[FileState[T]]]:
    """The files of a dataset grouped by split (in path order within a split);
    a file with no split is a group of its own."""
    groups: dict[Split | None, list[FileState[T]]] = {}
    alone: list[list[FileState[T]]] = []
    for file_state in files:
        if file_state.file.split is None:
            alone.append([file_state])
        else:
            groups.setdefault(file_state.file.split, []).append(file_state)
    return [*groups.values(), *alone]


def split_name(group: Sequence[FileState[Any]]) -> str:
    split = group[0].file.split
    return f"{split} split" if split is not None else "file"


def train_and_eval(
    files: Sequence[FileState[T]],
) -> tuple[list[FileState[T]], list[FileState[T]]]:
    """The train files and the validation/test files of a dataset."""
    train = [f for f in files if f.file.split is Split.TRAIN]
    evaluation = [f for f in files if f.file.split is not None and f.file.split.is_eval]
    return train, evaluation


def train_and_eval_tables(
    files: Sequence[FileState[HashedRecords]], width: int
) -> tuple[Stacked, Stacked] | None:
    """The records of a dataset's train files and of its validation/test files,
    stacked; None unless it has both."""
    train, evaluation = train_and_eval(files)
    if not train or not evaluation:
        return None
    return stack(train, width), stack(evaluation, width)


def split_of(table: Stacked, row: int) -> Split | None:
    """The split of the file that holds ``row`` of ``table``."""
    return table.files[int(table.file_of[row])].split


def remove_from_eval(*, safe: bool) -> Fix:
    """The fix of a leak: remove the validation or test record; train is
    never shrunk to fix leakage."""
    return Fix.remove_record("remove this record from its evaluation split", safe=safe)


def where(location: Location, relative_to: str) -> str:
    """``line 12`` in the same file, else ``train.jsonl:12``."""
    if location.path == relative_to:
        return f"line {location.line}"
    return f"{location.path}:{location.line}"


@dataclass(slots=True)
class RecordCount:
    """Per file: how many records it has."""

    records: int = 0


class CountingRule(DatasetRule[RecordCount]):
    """A rule that counts each file's records, even those that do not parse or
    have no known shape (other rules report those): B004, S009."""

    accepts_unparsed = True
    accepts_unshaped = True

    def start(self) -> RecordCount:
        return RecordCount()

    def add(self, state: RecordCount, record: RecordContext) -> None:
        state.records += 1

    def merge(self, earlier: RecordCount, later: RecordCount) -> RecordCount:
        return RecordCount(earlier.records + later.records)


class HashingRule(DatasetRule[HashedRecords]):
    """A rule that keeps :attr:`width` hashes of each record: by default the
    hash of its normalised text, for the records that have text (D001, L001;
    D003 and L003 override :meth:`add`)."""

    #: Hashes kept per record.
    width: ClassVar[int] = 1

    def state_key(self) -> Hashable | None:
        # D001 and L001 keep the same content hashes: one state serves both.
        # A rule that overrides add() keeps hashes of its own.
        return (HashingRule, self.width) if type(self).add is HashingRule.add else None

    def start(self) -> HashedRecords:
        return HashedRecords(self.width)

    def add(self, state: HashedRecords, record: RecordContext) -> None:
        normalised = record.normalised
        if normalised.length:
            state.append(record, normalised.content_hash)

    def merge(self, earlier: HashedRecords, later: HashedRecords) -> HashedRecords:
        return earlier.followed_by(later)


@dataclass(slots=True)
class HeavyHitters:
    """The most frequent keys of a stream, with an excerpt of each: a
    Misra-Gries summary (mergeable, Agarwal et al. 2012). Any key holding
    more than ``1 / (capacity + 1)`` of the stream is guaranteed to be kept,
    however the stream was split and merged; counts are not kept exactly
    (exact counts come from the per-record hashes)."""

    capacity: int = 64
    counts: dict[int, int] = field(default_factory=dict)
    excerpts: dict[int, str] = field(default_factory=dict)

    def add(self, key: int, text: str) -> None:
        if key in self.counts:
            self.counts[key] += 1
            return
        self.counts[key] = 1
        self.excerpts[key] = text[:_KEPT]
        if len(self.counts) > 2 * self.capacity:
            self._prune()

    def merge(self, later: HeavyHitters) -> HeavyHitters:
        """This summary and ``later``'s, as a new one (neither is changed)."""
        merged = HeavyHitters(self.capacity, dict(self.counts), dict(self.excerpts))
        for key, number in later.counts.items():
            merged.counts[key] = merged.counts.get(key, 0) + number
            merged.excerpts.setdefault(key, later.excerpts[key])
        if len(merged.counts) > 2 * merged.capacity:
            merged._prune()
        return merged

    def _prune(self) -> None:
        cut = heapq.nlargest(self.capacity + 1, self.counts.values())[-1]
        self.counts = {k: n - cut for k, n in self.counts.items() if n > cut}
        self.excerpts = {k: self.excerpts[k] for k in self.counts}


@dataclass(slots=True)
class SmallestKeys:
    """Excerpts of the ``capacity`` distinct keys with the smallest values: a
    bounded sample that is the same however the stream was split."""

    capacity: int = 256
    excerpts: dict[int, str] = field(default_factory=dict)

    def add(self, key: int, text: str) -> None:
        if key in self.excerpts:
            return
        self.excerpts[key] = text[:_KEPT]
        if len(self.excerpts) > 2 * self.capacity:
            self._trim()

    def merge(self, later: SmallestKeys) -> SmallestKeys:
        """This sample and ``later``'s, as a new one (neither is changed)."""
        merged = SmallestKeys(self.capacity, dict(self.excerpts))
        for key, text in later.excerpts.items():
            merged.excerpts.setdefault(key, text)
        merged._trim()
        return merged

    def _trim(self) -> None:
        if len(self.excerpts) > self.capacity:
            keep = heapq.nsmallest(self.capacity, self.excerpts)
            self.excerpts = {k: self.excerpts[k] for k in keep}


#: Classification-like data as B001 defines it with its default options: at
#: most this many labels, and at most this share of records whose response
#: is seen only once (B002, B003 and B005 use the same definition).
MAX_LABELS, LABEL_NOISE = 20, 0.1
#: A response of at most this many characters may be a class label.
LABEL_LENGTH = 40
#: The top bit of a response key says whether the response is that short.
_SHORT = 1 << 63


@dataclass(slots=True)
class ResponseStats:
    """Per file: the hash of each record's normalised response, with its
    position, and excerpts of the frequent and of short responses, to quote
    them in messages; and how the records are distributed, by shape and by
    length (in octaves of normalised characters). Every balance rule reads
    them (B001, B002, B003, B005), so one state serves all four."""

    records: HashedRecords = field(default_factory=lambda: HashedRecords(1))
    frequent: HeavyHitters = field(default_factory=HeavyHitters)
    short: SmallestKeys = field(default_factory=SmallestKeys)
    shapes: Counter[str] = field(default_factory=Counter)
    lengths: Counter[int] = field(default_factory=Counter)
    characters: int = 0

    def add(self, record: RecordContext) -> None:
        normalised = record.normalised
        length = normalised.length
        self.shapes[normalised.view.shape] += 1
        self.lengths[(length + 1).bit_length()] += 1
        self.characters += length
        digest = normalised.response_hash
        if digest == 0 or normalised.view.label is not None:
            return  # no response; or KTO, whose responses are judged, not labels
        short = normalised.response_length <= LABEL_LENGTH
        key = (digest & (_SHORT - 1)) | (_SHORT if short else 0)
        self.records.append(record, key)
        counts = self.frequent.counts
        if key in counts:  # a frequent response: no excerpt to build
            counts[key] += 1
            return
        text = _start_of_response(normalised.response_texts)
        self.frequent.add(key, text)
        if short:
            self.short.add(key, text)

    def merge(self, later: ResponseStats) -> ResponseStats:
        """These statistics then ``later``'s, as new ones (neither is changed)."""
        return ResponseStats(
            self.records.followed_by(later.records),
            self.frequent.merge(later.frequent),
            self.short.merge(later.short),
            self.shapes + later.shapes,
            self.lengths + later.lengths,
            self.characters + later.characters,
        )

    def excerpt(self, key: int) -> str | None:
        return self.short.excerpts.get(key) or self.frequent.excerpts.get(key)


class ResponseRule(DatasetRule[ResponseStats]):
    """A rule that keeps the :class:`ResponseStats` of each file (the balance rules)."""

    def state_key(self) -> Hashable:
        return ResponseRule  # the balance rules read the same statistics

    def start(self) -> ResponseStats:
        return ResponseStats()

    def add(self, state: ResponseStats, record: RecordContext) -> None:
        state.add(record)

    def merge(self, earlier: ResponseStats, later: ResponseStats) -> ResponseStats:
        return earlier.merge(later)


def _start_of_response(texts: Sequence[str]) -> str:
    """The first :data:`_KEPT` characters of a response's turns joined by a
    space, without joining long texts whole."""
    start = ""
    for text in texts:
        if text:
            start = f"{start} {text[:_KEPT]}" if start else text[:_KEPT]
        if len(start) >= _KEPT:
            break
    return start[:_KEPT]


@dataclass(slots=True)
class Responses:
    """The responses of a split (several files' :class:`ResponseStats`) counted."""

    table: Stacked
    stats: list[ResponseStats]
    #: Distinct response hashes, most frequent first (ties: first seen first).
    keys: npt.NDArray[np.uint64]
    counts: npt.NDArray[np.int64]
    #: Row of the first record with each response.
    first_rows: npt.NDArray[np.int64]

    @classmethod
    def of(cls, group: Sequence[FileState[ResponseStats]]) -> Responses:
        """The responses of ``group`` counted. B001, B002 and B003 each fold the
        same responses into a state of their own: the counting, a sort of every
        record's hash, is done once and shared (keyed by the hashes themselves)."""
        hasher = xxhash.xxh3_128()
        for member in group:
            hasher.update(member.file.display.encode("utf-8", "surrogatepass") + b"\0")
            hasher.update(memoryview(member.state.records.hashes))
        key = hasher.hexdigest()
        if key not in _COUNTED:
            if len(_COUNTED) >= 4:
                _COUNTED.pop(next(iter(_COUNTED)))
            _COUNTED[key] = cls._count(group)
        return _COUNTED[key]

    @classmethod
    def _count(cls, group: Sequence[FileState[ResponseStats]]) -> Responses:
        table = stack([FileState(f.file, f.state.records) for f in group], 1)
        hashes = table.hashes[:, 0]
        keys, first, counts = np.unique(hashes, return_index=True, return_counts=True)
        order = np.lexsort((first, -counts))
        return cls(
            table,
            [f.state for f in group],
            keys[order],
            counts[order].astype(np.int64),
            first[order].astype(np.int64),
        )

    @property
    def total(self) -> int:
        return len(self.table)

    def excerpt(self, key: int) -> str | None:
        for stats in self.stats:
            text = stats.excerpt(key)
            if text is not None:
                return text
        return None

    @staticmethod
    def is_short(key: int) -> bool:
        """Whether the response of ``key`` is short enough to be a label."""
        return bool(key & _SHORT)

    def labels(
        self, max_labels: int, noise: float
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]] | None:
        """The class labels when the split looks like classification data: at
        most ``max_labels`` (at least 2) short responses (labels, not
        sentences) seen more than once, with the responses seen only once
        making at most ``noise`` of the records. None otherwise."""
        if self.total == 0:
            return None
        repeated = self.counts >= 2
        singles = int(self.counts[~repeated].sum())
        labels = int(repeated.sum())
        if not 2 <= labels <= max_labels or singles > noise * self.total:
            return None
        if not all(map(self.is_short, self.keys[repeated].tolist())):
            return None
        return self.keys[repeated], self.counts[repeated]


#: Recently counted splits (see :meth:`Responses.of`).
_COUNTED: dict[str, Responses] = {}


def describe_response(responses: Responses, key: int, row: int) -> Iterator[str]:
    """Words that name a response in a message: its excerpt when known, and
    where it first occurs."""
    text = responses.excerpt(key)
    if text is not None:
        yield quote(text, EXCERPT)
    location = responses.table.location(row)
    yield f"(first at {location.path}:{location.line})"
