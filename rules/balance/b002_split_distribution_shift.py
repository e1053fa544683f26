"""B002 split-distribution-shift."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

from pydantic import Field

from ftlint.api import (
    FileState,
    Finding,
    Location,
    RuleOptions,
    Severity,
)

from .._compare import (
    EXCERPT,
    LABEL_NOISE,
    MAX_LABELS,
    ResponseRule,
    Responses,
    ResponseStats,
    percent,
    split_groups,
    train_and_eval,
)
from .._wording import quote


def _combined(group: Sequence[FileState[ResponseStats]]) -> ResponseStats:
    """The shapes and lengths of a split's files together (their responses are not merged)."""
    total = ResponseStats()
    for file_state in group:
        total.shapes.update(file_state.state.shapes)
        total.lengths.update(file_state.state.lengths)
        total.characters += file_state.state.characters
    return total


K = TypeVar("K")


def variation_distance(first: Mapping[K, int], second: Mapping[K, int]) -> float:
    """Total variation distance of two distributions given as counts."""
    a, b = sum(first.values()), sum(second.values())
    if not a or not b:
        return 0.0
    keys = first.keys() | second.keys()
    return sum(abs(first.get(k, 0) / a - second.get(k, 0) / b) for k in keys) / 2


def _shares(counts: Counter[str]) -> str:
    total = sum(counts.values())
    return ", ".join(f"{percent(n / total)} {shape}" for shape, n in counts.most_common(3))


class SplitDistributionShiftOptions(RuleOptions):
    max_distance: float = Field(
        default=0.2,
        gt=0.0,
        le=1.0,
        description=(
            "The largest total variation distance allowed between an eval split and train."
        ),
    )
    min_records: int = Field(
        default=50,
        ge=1,
        description="The fewest records a split (train or eval) needs to be compared.",
    )


class SplitDistributionShift(ResponseRule):
    """## What it does
    Compares each validation and test split of a dataset with its train
    split, on three distributions: record shapes (chat, Alpaca, ...), record
    lengths (characters of normalised text, by octave) and, when train is
    classification-like (see B001), labels. Each distribution whose total
    variation distance from train's is over `max-distance` (0.2) is
    reported, at the split's first file. Splits with fewer than
    `min-records` records are not compared: their distributions are mostly
    noise.

    ## Why is this bad?
    An evaluation split drawn from another distribution than train measures
    something else than what the model learned: much shorter test records,
    another format, or other label proportions make the validation loss and
    the test metrics move for reasons that have nothing to do with the
    model. It usually means the splits come from different sources or were
    not shuffled before splitting.

    ## Example
    `train.jsonl` of long multi-turn chats, and a `test.jsonl` of one-line
    questions with one-word answers.

    Use instead:
    Shuffle the whole dataset, then split it, so that every split is drawn
    from the same distribution.
    """

    code = "B002"
    name = "split-distribution-shift"
    summary = "A validation or test split is distributed unlike train."
    severity = Severity.WARNING
    Options = SplitDistributionShiftOptions

    def finish(self, files: Sequence[FileState[ResponseStats]]) -> Iterator[Finding]:
        train, evaluation = train_and_eval(files)
        reference = _combined(train)
        if not train or sum(reference.shapes.values()) < self.options.min_records:
            return
        for group in split_groups(evaluation):
            tested = _combined(group)
            if sum(tested.shapes.values()) >= self.options.min_records:
                yield from self._compare(train, reference, group, tested)

    def _compare(
        self,
        train: Sequence[FileState[ResponseStats]],
        reference: ResponseStats,
        group: Sequence[FileState[ResponseStats]],
        tested: ResponseStats,
    ) -> Iterator[Finding]:
        split = group[0].file.split
        where = Location(group[0].file.display)
        limit = self.options.max_distance
        distance = variation_distance(tested.shapes, reference.shapes)
        if distance > limit:
            yield self.finding(
                f"{split} split's record shapes differ from train's (total variation "
                f"distance {distance:.2f}): {_shares(tested.shapes)} against "
                f"{_shares(reference.shapes)} in train",
                where,
            )
        distance = variation_distance(tested.lengths, reference.lengths)
        if distance > limit:
            mean = tested.characters / sum(tested.lengths.values())
            train_mean = reference.characters / sum(reference.lengths.values())
            yield self.finding(
                f"{split} split's record lengths differ from train's (total variation "
                f"distance {distance:.2f}): {mean:,.0f} characters on average against "
                f"{train_mean:,.0f} in train",
                where,
            )
        yield from self._labels(train, group, where, str(split))

    def _labels(
        self,
        train: Sequence[FileState[ResponseStats]],
        group: Sequence[FileState[ResponseStats]],
        where: Location,
        split: str,
    ) -> Iterator[Finding]:
        seen = Responses.of(train)
        labels = seen.labels(MAX_LABELS, LABEL_NOISE)
        if labels is None:
            return
        tested = Responses.of(group)
        if tested.total == 0:
            return
        known = set(labels[0].tolist())
        expected = Counter(dict(zip(labels[0].tolist(), labels[1].tolist(), strict=True)))
        observed: Counter[int] = Counter()
        for key, number in zip(tested.keys.tolist(), tested.counts.tolist(), strict=True):
            observed[key if key in known else -1] += number
        distance = variation_distance(observed, expected)
        if distance > self.options.max_distance:
            top = max(
                known, key=lambda k: abs(observed[k] / tested.total - expected[k] / seen.total)
            )
            text = seen.excerpt(top)
            name = quote(text, EXCERPT) if text is not None else "one label"
            yield self.finding(
                f"{split} split's labels are distributed unlike train's (total variation "
                f"distance {distance:.2f}): label {name} is "
                f"{percent(observed[top] / tested.total)} of it against "
                f"{percent(expected[top] / seen.total)} of train",
                where,
            )
