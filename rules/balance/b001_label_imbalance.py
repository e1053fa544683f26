"""B001 label-imbalance."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

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
)


class LabelImbalanceOptions(RuleOptions):
    max_labels: int = Field(
        default=MAX_LABELS,
        ge=2,
        description="The most distinct labels a split may have to count as classification data.",
    )
    noise: float = Field(
        default=LABEL_NOISE,
        ge=0.0,
        lt=1.0,
        description=(
            "The largest share of records whose response occurs only once that classification"
            " data may have."
        ),
    )
    ratio: float = Field(
        default=0.1,
        gt=0.0,
        le=1.0,
        description=(
            "A label is rare under `ratio` x 1/K of the records, K being the number of labels."
        ),
    )


class LabelImbalance(ResponseRule):
    """## What it does
    Checks the balance of classification-like data: a split whose responses
    are drawn from a small set of labels (at most `max-labels` responses
    that occur more than once, with responses seen only once making at most
    `noise` of the records). Each label whose share of the split is under
    `ratio` x 1/K (K labels; a tenth of an even share by default) is
    reported, at the split's first file, with its first record as related
    location. Responses are compared normalised, as in D001; KTO records
    (whose label says whether the response is good) are not counted.

    ## Why is this bad?
    A classifier fine-tuned on 990 `positive` and 10 `negative` examples
    learns to answer `positive`: its accuracy looks high and it never finds
    what it was trained to find. Rebalance (oversample, collect more) or at
    least know the base rate before reading the metrics.

    ## Example
    A sentiment `train.jsonl` of 1,000 prompt/completion records whose
    completions are `positive` (960), `negative` (37) and `neutral` (3):
    `neutral` is 0.3% of the split, under a tenth of an even share of three
    labels (3.3%).

    Use instead:
    Collect or oversample `neutral` examples until each label has at least
    its bound, or drop the label if the model never needs to predict it.
    """

    code = "B001"
    name = "label-imbalance"
    summary = "Classification-like data where one label is very rare."
    severity = Severity.WARNING
    Options = LabelImbalanceOptions

    def finish(self, files: Sequence[FileState[ResponseStats]]) -> Iterator[Finding]:
        options = self.options
        for group in split_groups(files):
            responses = Responses.of(group)
            labels = responses.labels(options.max_labels, options.noise)
            if labels is None:
                continue
            keys, counts = labels
            bound = options.ratio / len(keys)
            for key, number in zip(keys.tolist(), counts.tolist(), strict=True):
                if number / responses.total < bound:
                    yield self._finding(group, responses, key, number, len(keys), bound)

    def _finding(
        self,
        group: Sequence[FileState[ResponseStats]],
        responses: Responses,
        key: int,
        number: int,
        labels: int,
        bound: float,
    ) -> Finding:
        row = int(responses.first_rows[list(responses.keys.tolist()).index(key)])
        name = " ".join(describe_response(responses, key, row))
        share = number / responses.total
        return self.finding(
            f"label {name} is {number:,} of {responses.total:,} records in the "
            f"{split_name(group)} ({percent(share)}), under {percent(bound)} "
            f"({self.options.ratio:g} of an even share of {labels} labels)",
            Location(group[0].file.display),
            related=[
                RelatedLocation(responses.table.location(row), "first record with this label")
            ],
            content_key=hash_hex(key),
        )
