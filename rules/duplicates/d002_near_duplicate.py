"""D002 near-duplicate."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ftlint.api import (
    DatasetFile,
    FileState,
    Finding,
    Fix,
    FixSafety,
    Keyed,
    Location,
    RelatedLocation,
    Severity,
)
from ftlint.api.text import SketchedRecords, best_matches, hash_hex, pairs_within

from .. import _near
from .._compare import split_groups, where
from .._partition import location, member_of, split_members

_REMOVE = Fix.remove_record("remove this later near-duplicate", safe=False)


class NearDuplicate(_near.NearRule):
    """## What it does
    Checks that no record of a split is nearly the same as an earlier record
    of the split: the Jaccard similarity of their sets of word 5-grams
    (*shingles* of the normalised text, see D001) is at least `threshold`
    (0.8). Each such record is reported once, with the most similar earlier
    record as related location and the similarity in the message. Exact
    copies are D001's and are not reported again.

    Similarity is estimated, not computed: each record keeps a 256-byte
    MinHash signature (never its text), LSH banding finds the pairs that may
    be similar, and each candidate is verified by its estimated similarity
    (within about 0.025 of the truth at 0.8) before it is reported.

    Records built on one template (a long tool description or instruction
    header followed by a short question) can be 80% the same text without
    being duplicates: what more than 32 records share is taken to be such a
    template and is not enough to make two of them candidates; records that
    are near-duplicates also share the text that sets them apart from the
    rest, and are found by it.

    Not enabled by default: it costs about as much again as the default
    rules. Turn it on with `--extend-select D002`.

    ## Why is this bad?
    Near-duplicates (the same answer with a word changed, a paraphrase
    template filled twice, a scraped page seen in two crawls) weigh like
    exact duplicates in training: the model memorises them, and they make a
    dataset look larger and more varied than it is.

    ## Example
    ```jsonl
    {"text": "so we sat and we ate and we sang a song as the sun set on the old red barn by a bay"}
    {"text": "so we sat and we ate and we sang a song as the sun set on the old red barn by a bay!"}
    ```

    Use instead:
    ```jsonl
    {"text": "so we sat and we ate and we sang a song as the sun set on the old red barn by a bay"}
    {"text": "a slow green turtle crawls under the busy bridge as the children play by the river"}
    ```

    ## Fix safety
    With `--unsafe-fixes`, the later record of each pair is removed
    and the earlier kept. Near is an estimate, and the two may differ in
    what matters (a number in the answer), so look at the diff (`--diff
    --unsafe-fixes`) first.
    """

    code = "D002"
    name = "near-duplicate"
    summary = "A record is nearly the same as an earlier record of its split (MinHash)."
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE

    def finish(self, files: Sequence[FileState[SketchedRecords]]) -> Iterator[Finding]:
        bands, rows = _near.layout(self.options)
        for group in split_groups(files):
            sketches = _near.Sketches.of(group)
            signatures = sketches.signatures
            pairs = pairs_within(signatures, bands, rows, _near.MAX_GROUP, subset=sketches.rows())
            earlier, later, similar = best_matches(
                signatures, signatures, pairs, self.options.threshold
            )
            for first, second, similarity in zip(earlier, later, similar, strict=True):
                yield self._finding(sketches, int(second), int(first), similarity)

    finishes_by_partition = True
    verifies_pairs = True

    def emit(self, files: Sequence[DatasetFile], index: int, state: SketchedRecords) -> Keyed:
        group, member = member_of(split_members(files), files[index]) or (0, 0)
        return _near.band_rows(state, self.options, group, member)

    def pairs(self, rows: Keyed) -> Keyed:
        return _near.pairs_in_groups(rows)

    def batches(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> list[tuple[int, int, Keyed]]:
        return _near.batches(split_members(files), files, found)

    def verify(self, pairs: Keyed, earlier: SketchedRecords, later: SketchedRecords) -> Keyed:
        return _near.verified(pairs, earlier, later, self.options.threshold)

    def finish_pairs(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> Iterator[Finding]:
        groups = split_members(files)
        for pair in _near.best_of(found):
            here, there = location(groups, pair, ""), location(groups, pair, "first_")
            yield self._report(here, there, float(pair["similarity"]), int(pair["content"]))

    def _finding(
        self, sketches: _near.Sketches, row: int, original: int, similarity: float
    ) -> Finding:
        table = sketches.table
        here, there = table.location(row), table.location(original)
        return self._report(here, there, similarity, int(table.hashes[row, 0]))

    def _report(self, here: Location, there: Location, similarity: float, content: int) -> Finding:
        size = self.options.shingle_size
        return self.finding(
            f"record is a near-duplicate of the record at {where(there, here.path)} "
            f"(estimated Jaccard similarity {similarity:.2f} of word {size}-grams)",
            here,
            related=[RelatedLocation(there, f"similar record ({similarity:.2f})")],
            fix=_REMOVE,
            content_key=hash_hex(content),
        )
