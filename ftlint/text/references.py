"""Reference texts: files the user names (``--reference``, ``references`` in
settings), such as a benchmark's test set, that training data must not
contain (rule L004).

A reference file is read as *items*, each with the line it starts on:

- a dataset file any reader accepts (JSON Lines, a JSON array, CSV,
  Parquet): one item per record, made of every string in it, whatever its
  shape (benchmarks have ``question``/``choices``/``answer`` fields, not
  conversations);
- any other file: plain text (UTF-8), one item per paragraph (lines
  separated by a blank line).

Each string is normalised as records are (:mod:`ftlint.text.normalise`) and kept as
the hashes of its words; n-grams never span two strings. The engine reads
the files once, before linting, and hands the result to every worker
process; each process builds the n-gram index of the size a rule asks for
(:meth:`References.index`) on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import xxhash

from ftlint.text.minhash import I64, U64, offsets_of, shingles

#: An n-gram found in more than this many reference items is template text (an
#: instruction every question repeats), not content, and is not looked for.
MAX_ITEMS_PER_NGRAM = 10


@dataclass(frozen=True, slots=True)
class ReferenceItem:
    """Where a reference item starts."""

    path: str
    line: int


@dataclass(slots=True)
class NgramIndex:
    """The n-grams of every reference item, for membership tests.

    ``hashes`` is sorted and unique; ``items[i]`` is the first item that
    contains ``hashes[i]``.
    """

    size: int
    hashes: U64
    items: I64

    def best_items(self, shingle_hashes: U64, offsets: I64) -> tuple[I64, I64]:
        """For each row, the reference item sharing the most n-grams with it
        (-1 for none; ties: the earliest item) and how many it shares."""
        rows = len(offsets) - 1
        best, shared = np.full(rows, -1, dtype=np.int64), np.zeros(rows, dtype=np.int64)
        if len(self.hashes) == 0 or len(shingle_hashes) == 0:
            return best, shared
        position = np.searchsorted(self.hashes, shingle_hashes)
        position = np.minimum(position, len(self.hashes) - 1)
        hit = self.hashes[position] == shingle_hashes
        if not hit.any():
            return best, shared
        row_of = np.repeat(np.arange(rows, dtype=np.int64), np.diff(offsets))[hit]
        item_of = self.items[position[hit]]
        pairs, counts = np.unique(np.stack([row_of, item_of], axis=1), axis=0, return_counts=True)
        order = np.lexsort((pairs[:, 1], -counts, pairs[:, 0]))
        pairs, counts = pairs[order], counts[order]
        first = np.ones(len(pairs), dtype=bool)
        first[1:] = pairs[1:, 0] != pairs[:-1, 0]
        best[pairs[first, 0]] = pairs[first, 1]
        shared[pairs[first, 0]] = counts[first]
        return best, shared


@dataclass
class References:
    """The words of every reference item, as hashes. Picklable; the n-gram
    indexes built from it are not pickled but rebuilt where needed."""

    items: list[ReferenceItem]
    #: Word hashes of every string, one after the other.
    words: U64
    #: Offsets of each string in ``words``.
    offsets: I64
    #: String -> index into ``items``.
    item_of: I64
    _indexes: dict[int, NgramIndex] = field(default_factory=dict, repr=False)

    @property
    def digest(self) -> str:
        """Changes when any reference text or location changes (for the cache key)."""
        hasher = xxhash.xxh3_128()
        for array_ in (self.words, self.offsets, self.item_of):
            hasher.update(np.ascontiguousarray(array_).tobytes())
        hasher.update(
            "\n".join(f"{i.path}:{i.line}" for i in self.items).encode("utf-8", "surrogatepass")
        )
        return hasher.hexdigest()

    def index(self, size: int) -> NgramIndex:
        """The index of the ``size``-word n-grams, built once per process."""
        if size not in self._indexes:
            self._indexes[size] = self._build(size)
        return self._indexes[size]

    def _build(self, size: int) -> NgramIndex:
        lengths = np.diff(self.offsets)
        long_enough = lengths >= size
        # A string shorter than the n-gram has no n-gram: drop it rather than
        # let `shingles` make one shingle of it.
        keep_words = np.repeat(long_enough, lengths)
        offsets = offsets_of(lengths[long_enough])
        grams, gram_offsets = shingles(self.words[keep_words], offsets, size)
        items = np.repeat(self.item_of[long_enough], np.diff(gram_offsets))
        if len(grams) == 0:
            return NgramIndex(size, np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64))
        pairs = np.unique(np.stack([grams, items.astype(np.uint64)], axis=1), axis=0)
        hashes, first, spread = np.unique(pairs[:, 0], return_index=True, return_counts=True)
        common = spread > MAX_ITEMS_PER_NGRAM
        return NgramIndex(size, hashes[~common], pairs[first[~common], 1].astype(np.int64))

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_indexes"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, _indexes={})
