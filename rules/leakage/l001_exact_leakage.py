"""L001 exact-leakage."""

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
from ftlint.api.text import HashedRecords, hash_hex, lookup

from .._compare import HashingRule, remove_from_eval, split_of, train_and_eval_tables
from .._partition import in_order, location, member_of, paired, rows_of, runs, side_members

_REMOVE = remove_from_eval(safe=True)


class ExactLeakage(HashingRule):
    """## What it does
    Checks that no validation or test record also occurs in the train split
    of its dataset (split files of one folder, split folders, a dataset
    card's config, the `splits` setting, or a training config's train and
    eval data: see "Datasets and splits" in the README), comparing records
    as D001 does: by their normalised text, every turn with its role. Each
    leaked record is reported where it is evaluated, with the train record
    as related location.

    ## Why is this bad?
    A model scores well on what it was trained on: every leaked record makes
    the validation loss and the test metrics look better than the model is,
    which hides overfitting and inflates reported results. Leaks come from
    splitting after duplicating, or from splitting each source separately.

    ## Example
    `{"instruction": "Capital of France?", "input": "", "output": "Paris."}` in
    `train.jsonl`, and the same record in `test.jsonl`.

    Use instead:
    Deduplicate before splitting, then split; or drop from `test.jsonl` the
    records that occur in `train.jsonl`.

    ## Fix safety
    `--fix` removes the record from the validation or test split; the
    train split is never shrunk to fix leakage.
    """

    code = "L001"
    name = "exact-leakage"
    summary = "A validation or test record also occurs in train."
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def finish(self, files: Sequence[FileState[HashedRecords]]) -> Iterator[Finding]:
        tables = train_and_eval_tables(files, 1)
        if tables is None:
            return
        seen, tested = tables
        found = lookup(seen.hashes[:, 0], tested.hashes[:, 0])
        for row in np.flatnonzero(found >= 0):
            here, there = tested.location(int(row)), seen.location(int(found[row]))
            split = split_of(tested, int(row))
            yield self._finding(split, here, there, int(tested.hashes[row, 0]))

    finishes_by_partition = True

    def emit(self, files: Sequence[DatasetFile], index: int, state: HashedRecords) -> Keyed:
        sides = side_members(files)
        found = member_of(sides, files[index]) if all(sides) else None
        if found is None:  # neither train nor eval, or no leak possible
            return rows_of(HashedRecords(1), 0, 0, 0)
        return rows_of(state, 0, *found)

    def pairs(self, rows: Keyed) -> Keyed:
        """Each eval record whose key train has, with the first train record."""
        ordered, starts = runs(rows, across_groups=True)
        sizes = np.diff(starts)
        side = ordered["group"]
        # Within a key's run, train (group 0) rows come first: the first is the original.
        train_first = np.repeat(starts[:-1], sizes)
        has_train = np.repeat(side[starts[:-1]] == 0, sizes)
        leaked = np.flatnonzero((side == 1) & has_train)
        found = paired(ordered[leaked], ordered[train_first[leaked]], [("key", "u8")])
        found["key"] = ordered["key"][leaked]
        return found

    def finish_pairs(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> Iterator[Finding]:
        sides = side_members(files)
        for pair in in_order(found, ""):
            here, there = location(sides, pair, ""), location(sides, pair, "first_")
            split = sides[1][int(pair["member"])].split
            yield self._finding(split, here, there, int(pair["key"]))

    def _finding(self, split: Split | None, here: Location, there: Location, key: int) -> Finding:
        return self.finding(
            f"{split} record also occurs in train at {there.path}:{there.line}",
            here,
            related=[RelatedLocation(there, "the same record in train")],
            fix=_REMOVE,
            content_key=hash_hex(key),
        )
