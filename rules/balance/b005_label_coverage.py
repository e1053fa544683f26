"""B005 label-coverage."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ftlint.api import FileState, Finding, Location, RelatedLocation, RuleOptions, Severity
from ftlint.api.text import hash_hex

from .._compare import (
    LABEL_NOISE,
    MAX_LABELS,
    ResponseRule,
    Responses,
    ResponseStats,
    describe_response,
    percent,
    split_groups,
    split_name,
    train_and_eval,
)


class LabelCoverageOptions(RuleOptions):
    min_expected: float = Field(
        default=5.0,
        gt=0,
        description=(
            "A train label missing from every evaluation split is reported when the "
            "evaluation splits would hold at least this many records of it, at train's "
            "share: fewer may be missing by chance."
        ),
    )


class LabelCoverage(ResponseRule):
    """## What it does
    Compares the labels of classification-like data (as B001 defines it, with
    its default options: a few short responses that repeat) across splits.
    A label that a validation or test split has at least twice but train
    never has is reported at that split; a train label that no validation or
    test split has is reported at train, when the evaluation splits are large
    enough that it should appear (at least `min-expected` records of it at
    train's share).

    ## Why is this bad?
    A model cannot predict a label it never saw in training, so every
    evaluation record with it counts as an error the training data made
    inevitable; a label no evaluation split has is never measured, so the
    scores say nothing about it. Both come from splitting by source or by
    time rather than shuffling, or from labels spelt differently in each
    split (`Positive` in train, `positive` in test).

    ## Example
    A sentiment dataset whose `train.jsonl` answers `positive` or `negative`
    and whose `test.jsonl` also has `neutral`.

    Use instead:
    Shuffle all records, then split them (stratified by label), and spell
    each label one way.
    """

    code = "B005"
    name = "label-coverage"
    summary = "An eval split has labels train lacks, or train has labels no eval split has."
    severity = Severity.WARNING
    Options = LabelCoverageOptions

    def finish(self, files: Sequence[FileState[ResponseStats]]) -> Iterator[Finding]:
        train, evaluation = train_and_eval(files)
        if not train or not evaluation:
            return
        trained = Responses.of(train)
        labels = trained.labels(MAX_LABELS, LABEL_NOISE)
        if labels is None:
            return
        known = set(labels[0].tolist())
        evaluated: set[int] = set()
        evaluated_records = 0
        for group in split_groups(evaluation):
            responses = Responses.of(group)
            evaluated.update(responses.keys.tolist())
            evaluated_records += responses.total
            yield from self._unseen(group, responses, known)
        yield from self._unmeasured(train, trained, labels, evaluated, evaluated_records)

    def _unseen(
        self, group: Sequence[FileState[ResponseStats]], responses: Responses, known: set[int]
    ) -> Iterator[Finding]:
        """Labels of an eval split that train never has: short responses the
        split repeats (a response seen once is not a label)."""
        for index, (key, number) in enumerate(
            zip(responses.keys.tolist(), responses.counts.tolist(), strict=True)
        ):
            if number < 2:
                break  # most frequent first: the rest are seen once
            if key in known or not Responses.is_short(key):
                continue
            yield self._finding(
                responses,
                index,
                f"is {number:,} of {responses.total:,} records in the {split_name(group)}, "
                "but train never has it: a model cannot learn a label it never saw",
                group[0].file.display,
            )

    def _unmeasured(
        self,
        train: Sequence[FileState[ResponseStats]],
        trained: Responses,
        labels: tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]],
        evaluated: set[int],
        evaluated_records: int,
    ) -> Iterator[Finding]:
        """Train labels no eval split has, where enough eval records exist
        that the absence is not chance."""
        keys, counts = labels
        # The labels are the most frequent responses, in the order of
        # trained.keys: the i-th label is the i-th response.
        for index, (key, number) in enumerate(zip(keys.tolist(), counts.tolist(), strict=True)):
            share = number / trained.total
            expected = share * evaluated_records
            if key in evaluated or expected < self.options.min_expected:
                continue
            yield self._finding(
                trained,
                index,
                f"is {percent(share)} of train ({number:,} records) but in no validation or "
                f"test split ({evaluated_records:,} records, about {expected:,.0f} expected): "
                "the evaluation never measures it",
                train[0].file.display,
            )

    def _finding(self, responses: Responses, index: int, what: str, path: str) -> Finding:
        """A finding about the ``index``-th most frequent response of
        ``responses``: "label <it> <what>", at ``path``, related to its first record."""
        key = int(responses.keys[index])
        row = int(responses.first_rows[index])
        return self.finding(
            f"label {' '.join(describe_response(responses, key, row))} {what}",
            Location(path),
            related=[RelatedLocation(responses.table.location(row), "first record with it")],
            content_key=hash_hex(key),
        )
