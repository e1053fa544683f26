"""A small, mergeable record of *where* records with some property are, for
dataset rules of every family: counts plus the first few locations, never the
text, and the findings made from it."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import xxhash

from ftlint.api import Finding, Fix, Location, RecordContext, Rule


def raw_hash_int(record: RecordContext) -> int:
    """:attr:`RecordContext.raw_hash` as a number, without the hex round trip."""
    return xxhash.xxh3_64_intdigest(record.record.raw)


#: How many record locations a :class:`Sample` keeps; findings past it are summed up.
SAMPLE_CAP = 1000


@dataclass(slots=True)
class Sample:
    """How many records have some property, and where the first
    :data:`SAMPLE_CAP` of them are: line, column, raw hash and a pointer into
    each. Fixed-size numbers in arrays, so that a state stays small and
    pickles fast; merging two samples in file order keeps the first ones, as
    one pass over the file would."""

    count: int = 0
    lines: array[int] = field(default_factory=lambda: array("q"))
    columns: array[int] = field(default_factory=lambda: array("q"))
    hashes: array[int] = field(default_factory=lambda: array("Q"))
    pointers: list[str] = field(default_factory=list)

    def add(self, record: RecordContext, pointer: str = "") -> None:
        self.count += 1
        if len(self.lines) < SAMPLE_CAP:
            self.lines.append(record.record.line)
            self.columns.append(record.record.column)
            self.hashes.append(raw_hash_int(record))
            self.pointers.append(pointer)

    def merge(self, later: Sample) -> Sample:
        """This sample followed by ``later``, as a new sample (neither is changed)."""
        room = max(0, SAMPLE_CAP - len(self.lines))
        return Sample(
            self.count + later.count,
            self.lines + later.lines[:room],
            self.columns + later.columns[:room],
            self.hashes + later.hashes[:room],
            self.pointers + later.pointers[:room],
        )

    @property
    def unlisted(self) -> int:
        """Records counted but not located (past the cap)."""
        return self.count - len(self.lines)

    def locations(self, path: str) -> Iterator[tuple[Location, str]]:
        """Each kept record's location and content key (its raw hash)."""
        for line, column, digest, at in zip(
            self.lines, self.columns, self.hashes, self.pointers, strict=True
        ):
            yield Location(path, line, column, pointer=at), f"{digest:016x}"


def sample_in(table: dict[Any, Sample], key: Any) -> Sample:
    """``table[key]``, added on first use (``setdefault`` would build a Sample
    for every record)."""
    sample = table.get(key)
    if sample is None:
        sample = table[key] = Sample()
    return sample


def merge_samples(earlier: dict[Any, Sample], later: dict[Any, Sample]) -> dict[Any, Sample]:
    """Two keyed sample tables merged in file order, as a new table (neither is
    changed; samples only one of them has are shared, not copied)."""
    merged = dict(earlier)
    for key, sample in later.items():
        kept = merged.get(key)
        merged[key] = sample if kept is None else kept.merge(sample)
    return merged


def located(
    rule: Rule,
    samples: Iterable[Sample],
    path: str,
    message: str,
    more: str,
    fix: Callable[[str], Fix] | None = None,
) -> Iterator[Finding]:
    """A finding with ``message`` at each record the samples located, and one
    file-level finding for those past the sample cap: ``more`` is its message
    with ``{count}`` for their number (``"{count} more prompts lack it"``).
    ``fix`` gives the fix of a located record from the pointer sampled (the
    records past the cap are not located, so they are fixed by a later run)."""
    unlisted = 0
    for sample in samples:
        unlisted += sample.unlisted
        for location, key in sample.locations(path):
            fixed = fix(location.pointer) if fix is not None else None
            yield rule.finding(message, location, fix=fixed, content_key=key)
    if unlisted:
        yield rule.finding(more.format(count=f"{unlisted:,}"), Location(path))
