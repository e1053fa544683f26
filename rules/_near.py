"""What the near-duplicate rules (D002, L002) share: their options, their
per-file state (a base class keeping it), and stacking their sketches."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ftlint.api import DatasetFile, DatasetRule, FileState, RecordContext, RuleOptions
from ftlint.api.text import (
    Signatures,
    SketchedRecords,
    Stacked,
    band_key,
    band_layout,
    first_occurrences,
    similarity,
)

from ._partition import ROW, paired, placed, runs

#: A band shared by more records than this is template text, not a sign of
#: duplication (see :func:`ftlint.text.minhash.pairs_within`).
MAX_GROUP = 32


class NearOptions(RuleOptions):
    threshold: float = Field(
        default=0.8, ge=0.5, le=1.0, description="The least estimated Jaccard similarity reported."
    )
    shingle_size: int = Field(
        default=5,
        ge=1,
        le=20,
        description="Words per shingle. Texts shorter than that are one shingle.",
    )
    permutations: int = Field(
        default=256,
        ge=16,
        le=2048,
        description=(
            "MinHash values per record; more estimate more precisely and cost a byte a record each."
        ),
    )


class NearRule(DatasetRule[SketchedRecords]):
    """A rule that keeps a MinHash sketch of each record that has text (D002,
    L002): off by default, as it costs about as much again as the default
    rules."""

    Options = NearOptions
    default_enabled = False

    def state_key(self) -> Hashable:
        # D002 and L002 with the same shingles and bins need the same signatures:
        # computed and kept once.
        return (NearRule, self.options.shingle_size, self.options.permutations)

    def start(self) -> SketchedRecords:
        options = self.options
        return SketchedRecords(options.shingle_size, options.permutations, seed=0x5EED)

    def add(self, state: SketchedRecords, record: RecordContext) -> None:
        normalised = record.normalised
        if normalised.length:
            state.append(record, normalised.content_hash, normalised.word_hashes)

    def merge(self, earlier: SketchedRecords, later: SketchedRecords) -> SketchedRecords:
        return earlier.followed_by(later)


@dataclass(slots=True)
class Sketches:
    """Several files' sketches stacked: positions, content hashes, signatures,
    and which rows take part (they have words and are not an exact copy of
    an earlier row, which is an exact duplicate's business)."""

    table: Stacked
    signatures: Signatures
    eligible: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, group: Sequence[FileState[SketchedRecords]]) -> Sketches:
        table = Stacked.of([(f.file, f.state.records) for f in group], 1)
        parts = [f.state.signatures() for f in group]
        if len(parts) == 1:  # one file (the common case): no copy
            signatures, present = parts[0]
        else:
            bins = group[0].state.bins if group else 0
            signatures = (
                np.concatenate([p[0] for p in parts]) if parts else np.empty((0, bins), np.uint8)
            )
            present = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, bool)
        keys = table.hashes[:, 0]
        unique = first_occurrences(keys) == np.arange(len(keys))
        return cls(table, signatures, present & unique)

    def rows(self) -> npt.NDArray[np.int64]:
        return np.flatnonzero(self.eligible).astype(np.int64)


def layout(options: NearOptions) -> tuple[int, int]:
    return band_layout(options.threshold, options.permutations)


# --- Finishing by partitions (see rules/_partition.py): band keys, then verified pairs.

#: One emitted record: a band key, where the record is, and its content hash.
BAND_ROW = [*ROW, ("content", "u8")]
#: Besides where the two records are, a candidate or verified pair has the
#: later one's content hash and the estimated similarity (NaN until verified).
VERDICT = [("content", "u8"), ("similarity", "f8")]
PAIR = [*placed(""), *placed("first_"), *VERDICT]


def band_rows(
    state: SketchedRecords, options: NearOptions, group: int, member: int
) -> npt.NDArray[np.void]:
    """A row per band of every record that has shingles (the others never
    take part), keyed by the band's key: records that share a band share a
    key, and copies of a record (one content hash) share every band."""
    signatures, present = state.signatures()
    bands, rows = layout(options)
    kept = np.flatnonzero(present).astype(np.int64)
    count = len(kept)
    records = state.records
    found = np.empty(count * bands, dtype=BAND_ROW)
    lines = np.frombuffer(records.lines, dtype=np.uint32)
    for band in range(bands):
        part = found[band * count : (band + 1) * count]
        part["key"] = band_key(signatures, band, rows, kept)
        part["group"], part["member"], part["row"] = group, member, kept
        part["line"] = lines[kept]
        columns = records.columns
        part["column"] = np.frombuffer(columns, dtype=np.uint32)[kept] if columns else 1
        part["content"] = records.table()[kept, 0]
    return found


def eligible(rows: npt.NDArray[np.void]) -> npt.NDArray[np.void]:
    """The rows that take part in a (group, key): the first of each content
    hash in it. Copies of a record share all its bands, so the first copy in
    a band's run is its first copy in the group, as the whole-dataset finish
    (:class:`Sketches`) has it."""
    order = np.lexsort((rows["row"], rows["member"], rows["content"], rows["key"], rows["group"]))
    ordered = rows[order]
    repeated = np.ones(max(len(ordered) - 1, 0), dtype=bool)
    for name in ("group", "key", "content"):
        repeated &= ordered[name][1:] == ordered[name][:-1]
    return ordered[np.r_[True, ~repeated]] if len(ordered) else ordered


def pairs_in_groups(rows: npt.NDArray[np.void]) -> npt.NDArray[np.void]:
    """Candidate pairs (earlier, later) of the eligible rows that share a
    band key in a group, in runs of at most :data:`MAX_GROUP` (see
    :func:`~ftlint.api.text.pairs_within`)."""
    ordered, starts = runs(eligible(rows))
    sizes = np.diff(starts)
    run_of = np.repeat(np.arange(len(sizes)), sizes)
    small = np.repeat(sizes <= MAX_GROUP, sizes)
    found = [np.empty(0, dtype=PAIR)]
    for step in range(1, min(MAX_GROUP, len(ordered))):
        same = np.flatnonzero((run_of[step:] == run_of[:-step]) & small[step:])
        if not len(same):
            break
        found.append(new_pairs(ordered[same], ordered[same + step]))
    return np.concatenate(found)


def pairs_across_sides(rows: npt.NDArray[np.void]) -> npt.NDArray[np.void]:
    """Candidate pairs (train row, eval row) that share a band key, for the
    eligible eval rows no train row copies exactly, in keys held by at most
    :data:`MAX_GROUP` eligible train rows (see :func:`~ftlint.api.text.pairs_between`)."""
    chosen = eligible(rows)
    train, tested = chosen[chosen["group"] == 0], chosen[chosen["group"] == 1]
    copied = np.isin(_key_and_content(tested), _key_and_content(train))
    queries = tested[~copied]
    index = train[np.lexsort((train["row"], train["member"], train["key"]))]
    low = np.searchsorted(index["key"], queries["key"], side="left")
    high = np.searchsorted(index["key"], queries["key"], side="right")
    high = np.where(high - low <= MAX_GROUP, high, low)
    found = [np.empty(0, dtype=PAIR)]
    for step in range(min(MAX_GROUP, len(index))):
        hit = np.flatnonzero(low + step < high)
        if not len(hit):
            break
        found.append(new_pairs(index[low[hit] + step], queries[hit]))
    return np.concatenate(found)


def _key_and_content(rows: npt.NDArray[np.void]) -> npt.NDArray[np.void]:
    """Each row's (band key, content hash) as one comparable 16-byte value."""
    both = np.ascontiguousarray(np.stack([rows["key"], rows["content"]], axis=1))
    return both.view(np.dtype((np.void, 16))).ravel()


def new_pairs(earlier: npt.NDArray[np.void], later: npt.NDArray[np.void]) -> npt.NDArray[np.void]:
    found = paired(later, earlier, VERDICT)
    found["content"] = later["content"]
    found["similarity"] = np.nan
    return found


def batches(
    groups: Sequence[Sequence[DatasetFile]],
    files: Sequence[DatasetFile],
    found: Sequence[npt.NDArray[np.void]],
) -> list[tuple[int, int, npt.NDArray[np.void]]]:
    """The candidate pairs, each once, by the indexes in ``files`` of their
    earlier and later record's files."""
    pairs = np.unique(np.concatenate(found)) if found else np.empty(0, dtype=PAIR)
    index = {file.display: number for number, file in enumerate(files)}

    def file_of(group: int, member: int) -> int:
        return index[groups[group][member].display]

    keys = np.stack(
        [pairs["first_group"], pairs["first_member"], pairs["group"], pairs["member"]], axis=1
    )
    result = []
    for key in np.unique(keys, axis=0).tolist():
        chosen = np.all(keys == key, axis=1)
        result.append((file_of(key[0], key[1]), file_of(key[2], key[3]), pairs[chosen]))
    return result


def verified(
    pairs: npt.NDArray[np.void],
    earlier: SketchedRecords,
    later: SketchedRecords,
    threshold: float,
) -> npt.NDArray[np.void]:
    """The ``pairs`` whose estimated similarity reaches ``threshold``, with it."""
    first, second = earlier.signatures()[0], later.signatures()[0]
    estimated = similarity(first[pairs["first_row"]], second[pairs["row"]])
    kept = pairs[estimated >= threshold - 1e-12].copy()
    kept["similarity"] = estimated[estimated >= threshold - 1e-12]
    return kept


def best_of(found: Sequence[npt.NDArray[np.void]]) -> npt.NDArray[np.void]:
    """The best verified pair of each later record (ties: the earliest
    earlier record), in the order of the later records, as
    :func:`~ftlint.api.text.best_matches` has them."""
    pairs = np.concatenate(found) if found else np.empty(0, dtype=PAIR)
    if not len(pairs):
        return pairs
    order = np.lexsort(
        (
            pairs["first_row"],
            pairs["first_member"],
            pairs["first_group"],
            -pairs["similarity"],
            pairs["row"],
            pairs["member"],
            pairs["group"],
        )
    )
    ordered = pairs[order]
    later = np.stack([ordered["group"], ordered["member"], ordered["row"]], axis=1)
    first = np.r_[True, np.any(later[1:] != later[:-1], axis=1)]
    return ordered[first]
