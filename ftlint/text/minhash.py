"""Word shingles, MinHash signatures and LSH banding, vectorised with numpy.

Near-duplicate rules compare records by the Jaccard similarity of their sets
of word *shingles* (n-grams of consecutive words of the normalised text, see
:mod:`ftlint.text.normalise`). Comparing every pair is quadratic, so each record gets a
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
Bins left empty (there are more bins than shingles in most records) are
filled by *optimal densification* (Shrivastava, 2017): an empty bin takes
the value of the first non-empty bin of a pseudo-random sequence that is the
same for every record, which keeps the fraction of agreeing bins an
unbiased estimate of the Jaccard similarity with a variance close to that of
classic MinHash (measured: a standard deviation of 0.024-0.03 at a
similarity of 0.83, for 10 to 400 shingles, with 256 bins).

Only the low 8 bits of each bin's minimum are kept (*b-bit* MinHash, Li &
König, 2010): two unrelated values agree by chance with probability 2^-8,
which :func:`similarity` corrects for. 256 bins of 8 bits estimate as well
as 256 of 32 bits would to within 1%, and as much better than 128 bins of
16 bits as 256 samples are than 128, for the same 256 bytes a record.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ftlint.core.machine import available_cores

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]
Signatures = npt.NDArray[np.uint8]

_EMPTY = np.uint32(0xFFFFFFFF)
_CHANCE = 2.0**-8
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
        for step in range(1, min(size, count)):
            inside = positions[: count - step] + step < ends[: count - step]
            extended = accumulated[: count - step] * _GOLDEN + words[step:]
            accumulated[: count - step] = np.where(inside, extended, accumulated[: count - step])
    keep = positions + size <= ends
    starts = offsets[:-1][(lengths > 0) & (lengths < size)]
    keep[starts] = True
    row_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    per_row = np.bincount(row_of[keep], minlength=len(lengths))
    return mix64(accumulated[keep]), offsets_of(per_row)


#: Densification tries this many random donor bins before it falls back to the
#: nearest non-empty bin (only rows with very few shingles get that far).
_ATTEMPTS = 64
#: How many of those attempts :meth:`MinHasher._densify` makes on whole tables.
_AT_ONCE = 6


@dataclass(frozen=True, slots=True)
class MinHasher:
    """Computes ``bins``-value one-permutation MinHash signatures of shingle sets."""

    bins: int = 256
    seed: int = 0x5EED

    def signatures(
        self, shingle_hashes: U64, offsets: I64
    ) -> tuple[Signatures, npt.NDArray[np.bool_]]:
        """One signature per row (``uint8[rows, bins]``) and whether each row
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
        """Fill each empty bin with the value of a donor bin: the first
        non-empty bin of a pseudo-random sequence that depends on the bin
        only, the same for every record (*optimal densification*,
        Shrivastava 2017), so that two records agree on a filled bin with
        probability equal to their Jaccard similarity. Returns the 8-bit
        signatures (the low byte of each bin's value)."""
        filled = table != _EMPTY
        low = (table & np.uint32(0xFF)).astype(np.uint8)
        out = low.copy()
        need = ~filled & present[:, None]
        donor_table = self._donor_table()
        # The first attempts on whole tables, a column gather each: about half
        # the bins of a record are empty and half the donors too, so after
        # them a fraction of a percent is left, which goes on bin by bin.
        for attempt in range(_AT_ONCE):
            # np.take, not table[:, columns]: indexing the second axis gives a
            # Fortran-ordered array, on which every operation below is slow.
            columns = donor_table[attempt]
            donated = np.take(filled, columns, axis=1)
            # out = where(take, donor, out) as bit operations: 0xFF where the
            # donor is taken (np.where branches on every element of a random
            # mask, and is many times slower).
            take = np.negative((need & donated).view(np.uint8))
            out ^= (out ^ np.take(low, columns, axis=1)) & take
            need &= ~donated
        rows, cells = np.nonzero(need)
        flat_filled, flat_low, flat_out = filled.ravel(), low.ravel(), out.ravel()
        starts = rows * self.bins
        for attempt in range(_AT_ONCE, _ATTEMPTS):
            if not len(starts):
                return out
            donors = starts + donor_table[attempt][cells]
            found = flat_filled[donors]
            flat_out[starts[found] + cells[found]] = flat_low[donors[found]]
            starts, cells = starts[~found], cells[~found]
        if len(starts):
            self._nearest(table, filled, out, starts // self.bins, cells)
        return out

    def _donor_table(self) -> I64:
        """``[attempt, bin]`` -> the donor bin that attempt tries for that bin:
        the pseudo-random sequences of :meth:`_densify`, worked out once."""
        return _donor_table(self.bins, self.seed)

    def _nearest(
        self,
        table: npt.NDArray[np.uint32],
        filled: npt.NDArray[np.bool_],
        out: Signatures,
        rows: I64,
        cells: I64,
    ) -> None:
        """Fill what densification left: from the nearest non-empty bin to the
        right, its value mixed with the distance."""
        width = self.bins
        positions = np.arange(2 * width, dtype=np.int64)
        doubled = np.concatenate([filled[rows], filled[rows]], axis=1)
        after = np.where(doubled, positions, 4 * width)
        nearest = np.minimum.accumulate(after[:, ::-1], axis=1)[:, ::-1]
        donor = nearest[np.arange(len(rows)), cells]
        values = table[rows, donor % width].astype(np.uint64)
        with np.errstate(over="ignore"):
            moved = mix64(values * np.uint64(2 * width + 1) + (donor - cells).astype(np.uint64))
        out[rows, cells] = ((moved >> np.uint64(32)) & np.uint64(0xFF)).astype(np.uint8)


@functools.cache
def _donor_table(bins: int, seed: int) -> I64:
    attempts = np.arange(1, _ATTEMPTS + 1, dtype=np.uint64)[:, None]
    salts = (np.uint64(seed * 0x9E37) + attempts) & np.uint64(0xFFFFFFFF)
    cells = np.arange(bins, dtype=np.uint64)[None, :]
    donors: I64 = (mix64((cells << np.uint64(32)) | salts) % np.uint64(bins)).astype(np.int64)
    donors.flags.writeable = False
    return donors


def similarity(first: Signatures, second: Signatures) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of each pair of rows of ``first`` and
    ``second`` (same shape), corrected for chance agreement of 8-bit values."""
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


def band_key(signatures: Signatures, band: int, rows: int, subset: I64 | None = None) -> U64:
    """One band's key of each signature (of each row of ``subset``): its
    ``rows`` bytes read eight at a time, as one little-endian 64-bit word
    straight from the signature table (no copy of the band's columns), and
    hashed together. Memory stays at a few words a signature."""
    table = np.ascontiguousarray(signatures)
    count = len(table) if subset is None else len(subset)
    key = np.full(count, np.uint64(band + 1), dtype=np.uint64)
    start, end = band * rows, (band + 1) * rows
    with np.errstate(over="ignore"):
        for offset in range(start, end, 8):
            if offset + 8 <= min(end, table.shape[1]):
                words = _word_column(table, offset)
            else:  # a band's last few bytes: one byte column at a time
                words = np.zeros(len(table), dtype=np.uint64)
                for column in range(offset, min(offset + 8, end)):
                    words = (words << np.uint64(8)) | table[:, column].astype(np.uint64)
            key = key * np.uint64(0x100000001B3) + (words if subset is None else words[subset])
    return mix64(key)


def _word_column(table: Signatures, offset: int) -> U64:
    """The bytes ``offset`` to ``offset + 8`` of every row, as a 64-bit word (a
    strided view of the table)."""
    if len(table) == 0:
        return np.empty(0, dtype=np.uint64)
    view: U64 = np.ndarray(
        (len(table),), dtype="<u8", buffer=table, offset=offset, strides=(table.strides[0],)
    )
    return view.astype(np.uint64)


def pairs_within(
    signatures: Signatures, bands: int, rows: int, max_group: int, subset: I64 | None = None
) -> I64:
    """Candidate pairs ``(earlier, later)`` among the rows of ``signatures`` (or
    those of ``subset``, ascending), shape ``(n, 2)``, unique and sorted: rows
    that share a band.

    A band shared by more than ``max_group`` rows is ignored: what so many
    records have in common is a template (a tool description, an instruction
    header, a form), not a sign that any two of them are duplicates; rows
    that are near-duplicates also share bands made of the text that
    distinguishes them from the rest. This also bounds the work."""
    chosen = np.arange(len(signatures), dtype=np.int64) if subset is None else subset

    def band_pairs(band: int) -> list[I64]:
        keys = band_key(signatures, band, rows, subset)
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        small = _group_sizes(ordered) <= max_group
        found = []
        for step in range(1, min(max_group, len(order))):
            same = (ordered[step:] == ordered[:-step]) & small[step:]
            if not same.any():
                break
            found.append(np.stack([order[:-step][same], order[step:][same]], axis=1))
        return found

    pairs = _unique_pairs(_each_band(band_pairs, bands))
    return chosen[pairs] if len(pairs) else pairs


def pairs_between(
    index: Signatures,
    queries: Signatures,
    bands: int,
    rows: int,
    max_group: int,
    index_subset: I64 | None = None,
    query_subset: I64 | None = None,
) -> I64:
    """Candidate pairs ``(index row, query row)`` that share a band, ignoring
    bands shared by more than ``max_group`` index rows (see :func:`pairs_within`).
    With subsets, only their rows take part (rows are still numbered in the
    whole arrays)."""
    index_rows = np.arange(len(index), dtype=np.int64) if index_subset is None else index_subset
    query_rows = np.arange(len(queries), dtype=np.int64) if query_subset is None else query_subset

    def band_pairs(band: int) -> list[I64]:
        index_keys = band_key(index, band, rows, index_subset)
        query_keys = band_key(queries, band, rows, query_subset)
        order = np.argsort(index_keys, kind="stable")
        ordered = index_keys[order]
        low = np.searchsorted(ordered, query_keys, side="left")
        high = np.searchsorted(ordered, query_keys, side="right")
        high = np.where(high - low <= max_group, high, low)
        found = []
        for step in range(min(max_group, len(order))):
            hit = low + step < high
            if not hit.any():
                break
            found.append(np.stack([index_rows[order[(low + step)[hit]]], query_rows[hit]], axis=1))
        return found

    return _unique_pairs(_each_band(band_pairs, bands))


def _each_band(band_pairs: Callable[[int], list[I64]], bands: int) -> list[I64]:
    """The candidate pairs of every band, the bands in threads: the work is
    numpy's sorting and searching, which runs without the GIL, so a
    gigabyte's banding takes half the time on two cores. The pairs are made
    unique and sorted afterwards, so the threads' timing changes nothing."""
    threads = min(bands, available_cores())
    if threads <= 1:
        return [pairs for band in range(bands) for pairs in band_pairs(band)]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return [pairs for found in pool.map(band_pairs, range(bands)) for pairs in found]


def _group_sizes(ordered: U64) -> I64:
    """For each position of a sorted array, how many positions hold its value."""
    if len(ordered) == 0:
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(ordered)])
    result: I64 = np.repeat(sizes, sizes).astype(np.int64)
    return result


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
