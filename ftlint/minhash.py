"""Word shingles, MinHash signatures and LSH banding, vectorised with numpy.

Near-duplicate rules compare records by the Jaccard similarity of their sets
of word *shingles* (n-grams of consecutive words of the normalised text, see
:mod:`ftlint.text`). Comparing every pair is quadratic, so each record gets a
small fixed-size MinHash *signature* whose agreement with another record's
estimates their Jaccard similarity, and LSH banding finds the pairs worth
estimating.

Why this implementation (measured on this project's 2-core machine, records
of ~470 bytes; see ``benchmarks/README.md``): classic MinHash with k
permutations costs k hash evaluations per shingle, 63 µs a record in numpy;
datasketch is slower still. rensa computes a batch of 128-permutation
signatures in 1.8 µs a record, but handing them to numpy costs another
9 µs. *One-permutation hashing* (Li, Owen & Zhang, 2012) hashes each shingle
once and keeps the minimum per bin: 2.7 µs a record, no compiled dependency.
Bins left empty by short texts are filled by *densification* (Shrivastava &
Li, 2014): an empty bin borrows the value of the nearest non-empty bin in a
fixed pseudo-random direction, mixed with the distance, which keeps the
fraction of agreeing bins an unbiased estimate of the Jaccard similarity.

Only the low 16 bits of each bin's minimum are kept (*b-bit* MinHash, Li &
König, 2010): two unrelated values agree by chance with probability 2^-16,
which :func:`similarity` corrects for. A signature of 128 bins is 256 bytes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
Signatures = npt.NDArray[np.uint16]

_EMPTY = np.uint32(0xFFFFFFFF)
_CHANCE = 2.0**-16
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix64(values: U64) -> U64:
    """The splitmix64 finaliser: spreads every input bit over every output bit."""
    with np.errstate(over="ignore"):
        z = values ^ (values >> np.uint64(30))
        z = z * np.uint64(0xBF58476D1CE4E5B9)
        z = z ^ (z >> np.uint64(27))
        z = z * np.uint64(0x94D049BB133111EB)
        result: U64 = z ^ (z >> np.uint64(31))
    return result


def offsets_of(lengths: Sequence[int] | npt.NDArray[np.int64]) -> I64:
    """Row offsets (``n + 1`` values, starting at 0) of rows of these lengths."""
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.asarray(lengths, dtype=np.int64), out=offsets[1:])
    return offsets


def shingles(words: U64, offsets: I64, size: int) -> tuple[U64, I64]:
    """The hashes of the ``size``-word shingles of each row of ``words`` (row
    ``i`` is ``words[offsets[i]:offsets[i + 1]]``), and their row offsets.

    A row with fewer words than ``size`` (but at least one) has one shingle:
    all its words. An empty row has none.
    """
    count = len(words)
    lengths = np.diff(offsets)
    ends = np.repeat(offsets[1:], lengths)
    positions = np.arange(count, dtype=np.int64)
    accumulated = words.copy()
    with np.errstate(over="ignore"):
        for step in range(1, size):
            inside = positions[: count - step] + step < ends[: count - step]
            extended = accumulated[: count - step] * _GOLDEN + words[step:]
            accumulated[: count - step] = np.where(inside, extended, accumulated[: count - step])
    keep = positions + size <= ends
    starts = offsets[:-1][(lengths > 0) & (lengths < size)]
    keep[starts] = True
    row_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    per_row = np.bincount(row_of[keep], minlength=len(lengths))
    return mix64(accumulated[keep]), offsets_of(per_row)


@dataclass(frozen=True, slots=True)
class MinHasher:
    """Computes ``bins``-value one-permutation MinHash signatures of shingle sets."""

    bins: int = 128
    seed: int = 0x5EED

    def signatures(self, shingle_hashes: U64, offsets: I64) -> tuple[Signatures, npt.NDArray[np.bool_]]:
        """One signature per row (``uint16[rows, bins]``) and whether each row
        has any shingle (an empty row's signature is meaningless)."""
        rows = len(offsets) - 1
        lengths = np.diff(offsets)
        hashed = mix64(shingle_hashes ^ np.uint64(self.seed))
        bins = (hashed % np.uint64(self.bins)).astype(np.int64)
        values = (hashed >> np.uint64(32)).astype(np.uint32)
        row_of = np.repeat(np.arange(rows, dtype=np.int64), lengths)
        minima = np.full(rows * self.bins, _EMPTY, dtype=np.uint32)
        np.minimum.at(minima, row_of * self.bins + bins, values)
        table = minima.reshape(rows, self.bins)
        present = lengths > 0
        return self._densify(table, present), present

    def _densify(self, table: npt.NDArray[np.uint32], present: npt.NDArray[np.bool_]) -> Signatures:
        rows, width = table.shape
        filled = table != _EMPTY
        if filled[present].all():
            return (table & np.uint32(0xFFFF)).astype(np.uint16)
        positions = np.arange(2 * width, dtype=np.int64)
        doubled = np.concatenate([filled, filled], axis=1)
        after = np.where(doubled, positions, 4 * width)
        nearest_right = np.minimum.accumulate(after[:, ::-1], axis=1)[:, ::-1][:, :width]
        before = np.where(doubled, positions, -1)
        nearest_left = np.maximum.accumulate(before, axis=1)[:, width:]
        bins = positions[:width]
        rightward = self._directions(width)
        donor = np.where(rightward, nearest_right, nearest_left) % width
        distance = np.where(rightward, nearest_right - bins, bins + width - nearest_left)
        donor = np.where(present[:, None], donor, 0)
        borrowed = np.take_along_axis(table, donor, axis=1).astype(np.uint64)
        with np.errstate(over="ignore"):
            moved = mix64(borrowed * np.uint64(2 * width + 1) + distance.astype(np.uint64))
        densified = np.where(filled, table, (moved >> np.uint64(32)).astype(np.uint32))
        return (densified & np.uint32(0xFFFF)).astype(np.uint16)

    def _directions(self, width: int) -> npt.NDArray[np.bool_]:
        """A fixed pseudo-random direction per bin: True borrows from the right."""
        salt = mix64(np.arange(width, dtype=np.uint64) ^ np.uint64(self.seed * 31 + 7))
        return (salt & np.uint64(1)).astype(bool)


def similarity(first: Signatures, second: Signatures) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of each pair of rows of ``first`` and
    ``second`` (same shape), corrected for chance agreement of 16-bit values."""
    agreeing = (first == second).mean(axis=-1)
    estimate: npt.NDArray[np.float64] = np.clip((agreeing - _CHANCE) / (1.0 - _CHANCE), 0.0, 1.0)
    return estimate


def candidate_probability(similarity_: float, bands: int, rows: int) -> float:
    """Probability that two records of this similarity share a band."""
    return 1.0 - (1.0 - similarity_**rows) ** bands


def band_layout(threshold: float, bins: int, recall: float = 0.98) -> tuple[int, int]:
    """``(bands, rows)`` for LSH: the most rows per band (the fewest spurious
    candidates) such that a pair right at ``threshold`` still becomes a
    candidate with probability ``recall``. Candidates are verified, so extra
    ones cost time, never precision."""
    for rows in range(bins, 0, -1):
        bands = bins // rows
        if candidate_probability(threshold, bands, rows) >= recall:
            return bands, rows
    return bins, 1


def band_keys(signatures: Signatures, bands: int, rows: int) -> Iterator[U64]:
    """For each band, one 64-bit key per signature: equal keys, equal band."""
    wide = signatures.astype(np.uint64)
    for band in range(bands):
        key = np.full(len(signatures), np.uint64(band + 1), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for column in range(band * rows, (band + 1) * rows):
                key = key * np.uint64(0x100000001B3) + wide[:, column]
        yield mix64(key)


def pairs_within(signatures: Signatures, bands: int, rows: int, window: int) -> I64:
    """Candidate pairs ``(earlier, later)`` among the rows of ``signatures``,
    shape ``(n, 2)``, unique and sorted: rows that share a band, each row paired
    with at most ``window`` earlier rows per band (in row order), which bounds
    the work for large groups of similar records."""
    found = []
    for keys in band_keys(signatures, bands, rows):
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        for step in range(1, min(window, len(order) - 1) + 1):
            same = ordered[step:] == ordered[:-step]
            if not same.any():
                break
            found.append(np.stack([order[:-step][same], order[step:][same]], axis=1))
    return _unique_pairs(found)


def pairs_between(index: Signatures, queries: Signatures, bands: int, rows: int, window: int) -> I64:
    """Candidate pairs ``(index row, query row)`` that share a band, each query
    row paired with at most ``window`` index rows per band (the earliest)."""
    found = []
    for index_keys, query_keys in zip(
        band_keys(index, bands, rows), band_keys(queries, bands, rows), strict=True
    ):
        order = np.argsort(index_keys, kind="stable")
        ordered = index_keys[order]
        low = np.searchsorted(ordered, query_keys, side="left")
        high = np.searchsorted(ordered, query_keys, side="right")
        query_rows = np.arange(len(queries), dtype=np.int64)
        for step in range(min(window, len(order))):
            hit = low + step < high
            if not hit.any():
                break
            found.append(np.stack([order[(low + step)[hit]], query_rows[hit]], axis=1))
    return _unique_pairs(found)


def _unique_pairs(found: list[I64]) -> I64:
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    return np.unique(pairs, axis=0)


def best_matches(
    left: Signatures, right: Signatures, pairs: I64, threshold: float, chunk: int = 1 << 16
) -> tuple[I64, I64, npt.NDArray[np.float64]]:
    """Among candidate ``pairs`` (rows of ``left``, rows of ``right``), those whose
    estimated similarity is at least ``threshold``, reduced to the best match
    of each right row (ties: the earliest left row). Returns the left rows,
    right rows (ascending) and similarities."""
    kept_left, kept_right, kept_similarity = [], [], []
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        estimated = similarity(left[part[:, 0]], right[part[:, 1]])
        good = estimated >= threshold - 1e-12
        kept_left.append(part[good, 0])
        kept_right.append(part[good, 1])
        kept_similarity.append(estimated[good])
    if not kept_left:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=np.float64)
    lefts, rights = np.concatenate(kept_left), np.concatenate(kept_right)
    similarities = np.concatenate(kept_similarity)
    order = np.lexsort((lefts, -similarities, rights))
    lefts, rights, similarities = lefts[order], rights[order], similarities[order]
    first = np.ones(len(rights), dtype=bool)
    first[1:] = rights[1:] != rights[:-1]
    return lefts[first], rights[first], similarities[first]
