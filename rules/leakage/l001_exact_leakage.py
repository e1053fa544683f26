"""L001 exact-leakage."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ftlint.api import FileState, Finding, FixSafety, RelatedLocation, Severity
from ftlint.api.text import HashedRecords, hash_hex, lookup

from .._compare import HashingRule, remove_from_eval, split_of, train_and_eval_tables

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
            yield self.finding(
                f"{split} record also occurs in train at {there.path}:{there.line}",
                here,
                related=[RelatedLocation(there, "the same record in train")],
                fix=_REMOVE,
                content_key=hash_hex(int(tested.hashes[row, 0])),
            )
