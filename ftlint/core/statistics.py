"""What a run measured about the data: the numbers of the dataset report.

These are the finished statistics a reporter draws (``json``'s
``statistics`` key, ``html``, ``markdown``): plain, immutable numbers, one
:class:`SplitStatistics` per split of every dataset and one
:class:`ConfigStatistics` per training config. They are computed by
:mod:`ftlint.run.statistics` from what the run folds anyway, never by reading
the data a second time; ``docs/output-formats.md`` describes every field.

``to_dict`` gives the JSON form: every key always present, ``null`` when the
run did not measure it (no token counting, no rule that finds duplicates).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Bin:
    """One bar of a histogram: the values in ``[low, high)``; ``high`` is None
    for the last bar, which holds everything from ``low`` up."""

    low: int
    high: int | None
    count: int


@dataclass(frozen=True, slots=True)
class Distribution:
    """Summary numbers and a histogram of a list of lengths."""

    count: int
    total: int
    mean: float
    minimum: int
    median: float
    p90: float
    p99: float
    maximum: int
    bins: tuple[Bin, ...] = ()


@dataclass(frozen=True, slots=True)
class TokenStatistics:
    """A split's token lengths, as the run counted them.

    ``exact`` records were counted with the tokenizer, the others estimated
    from their UTF-8 length (see ``docs/output-formats.md``), so ``estimated``
    is True when any length in ``lengths`` is an estimate. ``over_limit``
    counts records longer than ``limit``, the token limit of the split's files
    (the smallest, when their configs set different ones).
    """

    encoding: str
    limit: int
    limit_source: str
    exact: int
    estimated: bool
    over_limit: int
    lengths: Distribution

    @property
    def over_limit_share(self) -> float:
        return self.over_limit / self.lengths.count if self.lengths.count else 0.0


@dataclass(frozen=True, slots=True)
class SplitStatistics:
    """One split of a dataset (or a file no split name was found for).

    ``shapes`` counts shaped records by shape name, ``turns`` by their number
    of turns. ``labels`` holds each label's count (most frequent first) when
    the split looks like classification data, else None. ``duplicates``,
    ``near_duplicates``, ``leaks`` and ``near_leaks`` count the records the
    rules that find them reported (D001, D002, L001, L002), None when that
    rule did not run.
    """

    split: str
    files: tuple[str, ...]
    records: int
    unparsed: int
    unshaped: int
    shapes: dict[str, int]
    turns: dict[int, int]
    system_prompts: int
    response_bytes: Distribution | None
    tokens: TokenStatistics | None
    labels: tuple[tuple[str, int], ...] | None
    duplicates: int | None
    near_duplicates: int | None
    leaks: int | None
    near_leaks: int | None

    @property
    def shaped(self) -> int:
        return self.records - self.unparsed - self.unshaped

    @property
    def system_prompt_share(self) -> float:
        return self.system_prompts / self.shaped if self.shaped else 0.0


@dataclass(frozen=True, slots=True)
class DatasetStatistics:
    """A dataset (the files of one folder) and its splits, train first."""

    name: str
    splits: tuple[SplitStatistics, ...]


@dataclass(frozen=True, slots=True)
class ConfigStatistics:
    """What a training config will do with the data linted beside it.

    ``tokens_per_epoch`` counts the tokens trained on in one epoch: every
    record's tokens up to ``sequence_length`` (records longer than it are
    cut; ``truncated`` counts them). With ``packing`` the records are packed
    into ``sequences_per_epoch`` sequences of ``sequence_length`` tokens;
    without it each record is a sequence of its own, padded to its batch's
    longest (padding is not counted: it depends on batch order).
    ``steps_per_epoch`` is sequences over the effective batch;
    ``epochs`` is the run's length in epochs (``max_steps`` converted), and
    ``tokens_for_run`` the tokens of the whole run. Record-dependent numbers
    are None when the run did not count the training data's tokens;
    ``tokens_estimated`` says when some of the lengths are estimates.
    """

    path: str
    framework: str | None
    training_files: tuple[str, ...]
    records: int
    sequence_length: int | None
    packing: bool
    effective_batch: int
    epochs: float | None
    sequences_per_epoch: int | None
    steps_per_epoch: int | None
    total_steps: int | None
    tokens_per_epoch: int | None
    tokens_for_run: int | None
    truncated: int | None
    tokens_estimated: bool


@dataclass(frozen=True, slots=True)
class RunStatistics:
    """Every dataset and training config of a run."""

    datasets: tuple[DatasetStatistics, ...] = ()
    configs: tuple[ConfigStatistics, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``docs/output-formats.md``): dataclass fields as keys,
        label and turn tables as objects, and the derived shares spelled out so
        that a dashboard need not compute them."""
        return {
            "datasets": [
                {"name": d.name, "splits": [_split_dict(s) for s in d.splits]}
                for d in self.datasets
            ],
            "configs": [asdict(c) for c in self.configs],
        }


def _split_dict(split: SplitStatistics) -> dict[str, Any]:
    values = asdict(split)
    values["files"] = list(split.files)
    values["shaped"] = split.shaped
    values["turns"] = {str(turns): count for turns, count in sorted(split.turns.items())}
    values["system_prompt_share"] = round(split.system_prompt_share, 6)
    values["labels"] = dict(split.labels) if split.labels is not None else None
    if split.tokens is not None:
        values["tokens"]["over_limit_share"] = round(split.tokens.over_limit_share, 6)
    return values
