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

Each string is normalised as records are (:mod:`ftlint.text`) and kept as
the hashes of its words; n-grams never span two strings. The engine reads
the files once, before linting, and hands the result to every worker
process; each process builds the n-gram index of the size a rule asks for
(:meth:`References.index`) on first use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xxhash

from ftlint.minhash import I64, U64, offsets_of, shingles
from ftlint.readers.base import Reader, ReadError
from ftlint.text import word_hashes

#: An n-gram found in more than this many reference items is template text (an
#: instruction every question repeats), not content, and is not looked for.
MAX_ITEMS_PER_NGRAM = 10

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


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
        hasher.update("\n".join(f"{i.path}:{i.line}" for i in self.items).encode("utf-8"))
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


def load_references(
    paths: Sequence[tuple[Path, str]], reader_for: Callable[[Path], Reader | None]
) -> References:
    """Read reference files, given as (path, display path) pairs.

    ``reader_for`` gives the dataset reader for a path, or None for plain
    text. Raises :class:`ReadError` when a file cannot be read.
    """
    items: list[ReferenceItem] = []
    strings: list[U64] = []
    item_of: list[int] = []
    for path, display in paths:
        if not path.is_file():
            raise ReadError(f"{display}: reference file not found")
        reader = reader_for(path)
        found = _records(reader, path, display) if reader else _paragraphs(path, display)
        for line, texts in found:
            hashed = [h for h in (word_hashes(t) for t in texts) if len(h)]
            if not hashed:
                continue
            strings.extend(hashed)
            item_of.extend([len(items)] * len(hashed))
            items.append(ReferenceItem(display, line))
    words = np.concatenate(strings) if strings else np.empty(0, dtype=np.uint64)
    offsets = offsets_of([len(s) for s in strings])
    return References(items, words, offsets, np.asarray(item_of, dtype=np.int64))


def _records(reader: Reader, path: Path, display: str) -> Iterator[tuple[int, list[str]]]:
    for record in reader.read(path, display):
        if record.ok:
            yield record.line, list(_strings(record.value))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _paragraphs(path: Path, display: str) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ReadError(f"{display}: cannot read reference file: {error.strerror}") from error
    line = 1
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        if block.strip():
            leading = len(block) - len(block.lstrip("\n"))
            yield line + block.count("\n", 0, leading), [block]
        if match:
            line += text.count("\n", position, match.end())
            position = match.end()
