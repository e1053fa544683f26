"""D001 exact-duplicate."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

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
from ftlint.api.text import HashedRecords, hash_hex, occurrences, stack

from .._compare import HashingRule, split_groups, where
from .._partition import (
    COUNTED,
    in_order,
    location,
    member_of,
    paired,
    rows_of,
    runs,
    split_members,
)

_REMOVE = Fix.remove_record("remove this later copy (the first is kept)", safe=True)


class ExactDuplicate(HashingRule):
    """## What it does
    Checks that no record of a split repeats an earlier record of the same
    split. Records are compared by their text after normalisation: Unicode
    NFC, runs of whitespace collapsed, case folded, so `Hello  World` and
    `hello world` are the same record. Every turn counts, with its role;
    metadata fields (`id`, `source`) and the record's format (chat or
    ShareGPT) do not. Each later copy is reported, with the first copy as
    related location. The files of one split (the shards of `train`) are
    compared together; each file without a split on its own.

    Only a 64-bit hash of each record is kept, never its text, so memory
    stays small on large datasets. Near-duplicates are rule D002's, one
    prompt with different answers rule D003's.

    ## Why is this bad?
    A duplicated example is trained on twice as often as the others: the
    model memorises it and over-weights whatever it says, and a dataset with
    many copies trains for fewer effective examples than its size suggests.
    Duplicates usually come from concatenating overlapping sources or from
    re-running an export.

    ## Example
    ```jsonl
    {"instruction": "What is 2 + 2?", "input": "", "output": "4"}
    {"instruction": "what is 2 +  2?", "input": "", "output": "4", "id": 7}
    ```

    Use instead:
    ```jsonl
    {"instruction": "What is 2 + 2?", "input": "", "output": "4"}
    {"instruction": "What is 3 + 5?", "input": "", "output": "8"}
    ```

    ## Fix safety
    `--fix` removes each later copy and keeps the first (removed
    records are kept in the quarantine file, see the README).
    """

    code = "D001"
    name = "exact-duplicate"
    summary = "A record repeats an earlier record of its split (after normalisation)."
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE

    def finish(self, files: Sequence[FileState[HashedRecords]]) -> Iterator[Finding]:
        for group in split_groups(files):
            table = stack(group, 1)
            keys = table.hashes[:, 0]
            first, counts = occurrences(keys)
            rows = np.flatnonzero(first != np.arange(len(table)))
            copies = counts[rows].tolist()
            originals = table.locations(first[rows])
            for here, original, number, key in zip(
                table.locations(rows), originals, copies, keys[rows].tolist(), strict=True
            ):
                yield self._finding(here, original, number, key)

    finishes_by_partition = True

    def emit(self, files: Sequence[DatasetFile], index: int, state: HashedRecords) -> Keyed:
        group, member = member_of(split_members(files), files[index]) or (0, 0)
        return rows_of(state, 0, group, member)

    def pairs(self, rows: Keyed) -> Keyed:
        """Each record but the first of its key in its split, with the first."""
        ordered, starts = runs(rows)
        sizes = np.diff(starts)
        first = np.repeat(starts[:-1], sizes)
        later = np.flatnonzero(np.arange(len(ordered)) != first)
        found = paired(ordered[later], ordered[first[later]], COUNTED)
        found["copies"] = np.repeat(sizes, sizes)[later]
        found["key"] = ordered["key"][later]
        return found

    def finish_pairs(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> Iterator[Finding]:
        groups = split_members(files)
        for pair in in_order(found, ""):
            here, original = location(groups, pair, ""), location(groups, pair, "first_")
            yield self._finding(here, original, int(pair["copies"]), int(pair["key"]))

    def _finding(self, here: Location, original: Location, copies: int, key: int) -> Finding:
        return self.finding(
            f"record duplicates the record at {where(original, here.path)} "
            f"(same text after normalising case and whitespace; {copies:,} copies in all)",
            here,
            related=[RelatedLocation(original, "first copy")],
            fix=_REMOVE,
            content_key=hash_hex(key),
        )
