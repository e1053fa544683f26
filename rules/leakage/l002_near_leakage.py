"""L002 near-leakage."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ftlint.api import (
    DatasetFile,
    FileState,
    Finding,
    FixSafety,
    Keyed,
    Location,
    RelatedLocation,
    Severity,
    Split,
)
from ftlint.api.text import SketchedRecords, best_matches, hash_hex, lookup, pairs_between

from .. import _near
from .._compare import remove_from_eval, split_of, train_and_eval
from .._partition import location, member_of, side_members

_REMOVE = remove_from_eval(safe=False)


class NearLeakage(_near.NearRule):
    """## What it does
    Checks that no validation or test record is nearly the same as a train
    record of its dataset: the Jaccard similarity of their word 5-gram sets
    is at least `threshold` (0.8), estimated with MinHash and LSH as in
    D002. Each such record is reported where it is evaluated, with the most
    similar train record as related location and the similarity in the
    message. Exact leaks are L001's and are not reported again. Text that
    more than 32 train records share (a template) does not by itself make a
    record a candidate, as in D002.

    Not enabled by default (it costs about as much again as the default
    rules): turn it on with `--extend-select L002`.

    ## Why is this bad?
    A test record that differs from a train record by a word or two tests
    memory, not generalisation, as an exact leak does; it survives exact
    deduplication, so it is the leak that is usually missed.

    ## Example
    `{"text": "so we sat and we ate and we sang a song as the sun set on the old red barn"}`
    in `train.jsonl`, and the same text ending with `!` instead of nothing in
    `test.jsonl`.

    Use instead:
    Remove near-duplicates across the whole dataset before splitting it.

    ## Fix safety
    With `--unsafe-fixes`, the record is removed from the
    validation or test split (train is never shrunk). The match is an
    estimate: check the diff first.
    """

    code = "L002"
    name = "near-leakage"
    summary = "A validation or test record nearly repeats a train record (MinHash)."
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE

    def finish(self, files: Sequence[FileState[SketchedRecords]]) -> Iterator[Finding]:
        train, evaluation = train_and_eval(files)
        if not train or not evaluation:
            return
        seen, tested = _near.Sketches.of(train), _near.Sketches.of(evaluation)
        exact = lookup(seen.table.hashes[:, 0], tested.table.hashes[:, 0]) >= 0
        queries = np.flatnonzero(tested.eligible & ~exact).astype(np.int64)
        bands, rows = _near.layout(self.options)
        pairs = pairs_between(
            seen.signatures,
            tested.signatures,
            bands,
            rows,
            _near.MAX_GROUP,
            index_subset=seen.rows(),
            query_subset=queries,
        )
        matched, asked, similar = best_matches(
            seen.signatures, tested.signatures, pairs, self.options.threshold
        )
        for source, query, similarity in zip(matched, asked, similar, strict=True):
            yield self._finding(tested, int(query), seen, int(source), similarity)

    finishes_by_partition = True
    verifies_pairs = True

    def emit(self, files: Sequence[DatasetFile], index: int, state: SketchedRecords) -> Keyed:
        sides = side_members(files)
        found = member_of(sides, files[index]) if all(sides) else None
        if found is None:  # neither train nor eval, or no leak possible
            return np.empty(0, dtype=_near.BAND_ROW)
        return _near.band_rows(state, self.options, *found)

    def pairs(self, rows: Keyed) -> Keyed:
        return _near.pairs_across_sides(rows)

    def batches(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> list[tuple[int, int, Keyed]]:
        return _near.batches(side_members(files), files, found)

    def verify(self, pairs: Keyed, earlier: SketchedRecords, later: SketchedRecords) -> Keyed:
        return _near.verified(pairs, earlier, later, self.options.threshold)

    def finish_pairs(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> Iterator[Finding]:
        sides = side_members(files)
        for pair in _near.best_of(found):
            here, there = location(sides, pair, ""), location(sides, pair, "first_")
            split = sides[1][int(pair["member"])].split
            yield self._report(split, here, there, float(pair["similarity"]), int(pair["content"]))

    def _finding(
        self,
        tested: _near.Sketches,
        row: int,
        seen: _near.Sketches,
        source: int,
        similarity: float,
    ) -> Finding:
        here, there = tested.table.location(row), seen.table.location(source)
        content = int(tested.table.hashes[row, 0])
        return self._report(split_of(tested.table, row), here, there, similarity, content)

    def _report(
        self, split: Split | None, here: Location, there: Location, similarity: float, content: int
    ) -> Finding:
        size = self.options.shingle_size
        return self.finding(
            f"{split} record is a near-duplicate of the train record at {there.path}:{there.line} "
            f"(estimated Jaccard similarity {similarity:.2f} of word {size}-grams)",
            here,
            related=[RelatedLocation(there, f"similar train record ({similarity:.2f})")],
            fix=_REMOVE,
            content_key=hash_hex(content),
        )
