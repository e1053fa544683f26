"""S009 too-few-records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from ftlint.api import FileState, Finding, Location, RuleOptions, Severity, Split

from .._compare import CountingRule, RecordCount
from .._wording import count


class TooFewRecordsOptions(RuleOptions):
    min_train: int = Field(default=100, ge=0, description="Fewest records for a train split.")
    min_validation: int = Field(
        default=10, ge=0, description="Fewest records for a validation split."
    )
    min_test: int = Field(default=10, ge=0, description="Fewest records for a test split.")


class TooFewRecords(CountingRule):
    """## What it does
    Checks that each split of a dataset has enough records: the train split
    at least `min-train`, validation at least `min-validation`, test at
    least `min-test`. A split made of several files (shards) is counted as
    a whole and reported at its first file. A file whose split is unknown
    counts as a train set of its own. Every record counts, even one that
    does not parse or has no known shape (other rules report those), so a
    broken file is not also called small.

    ## Why is this bad?
    A fine-tune on a few dozen examples mostly memorises them, and an
    evaluation on a handful of records measures noise: one record more or
    less moves the loss more than any change of hyperparameters. Very small
    files are also a sign that the wrong file was named (a sample, a
    demo, a file cut off by an export).

    ## Example
    A `train.jsonl` with 12 records.

    Use instead:
    A `train.jsonl` with at least 100 records, or `min-train` set to what
    the task needs.
    """

    code = "S009"
    name = "too-few-records"
    summary = "A split has fewer records than a fine-tune needs."
    severity = Severity.WARNING
    Options = TooFewRecordsOptions

    def finish(self, files: Sequence[FileState[RecordCount]]) -> Iterator[Finding]:
        splits: dict[Split, list[FileState[RecordCount]]] = {}
        for file_state in files:
            split = file_state.file.split
            if split is None:
                yield from self._check([file_state], "file", Split.TRAIN)
            else:
                splits.setdefault(split, []).append(file_state)
        for split, members in splits.items():
            yield from self._check(members, f"{split} split", split)

    def _minimum(self, split: Split) -> int:
        options = self.options
        minimums = {
            Split.TRAIN: options.min_train,
            Split.VALIDATION: options.min_validation,
            Split.TEST: options.min_test,
        }
        return int(minimums[split])

    def _check(
        self, members: Sequence[FileState[RecordCount]], what: str, split: Split
    ) -> Iterator[Finding]:
        records = sum(member.state.records for member in members)
        minimum = self._minimum(split)
        if records >= minimum:
            return
        spread = f" in {count(len(members), 'file')}" if len(members) > 1 else ""
        yield self.finding(
            f"{what} has {count(records, 'record')}{spread}, under the {minimum:,} "
            f"{'an evaluation' if split.is_eval else 'a fine-tune'} needs",
            Location(members[0].file.display),
        )
