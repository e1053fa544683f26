"""The dataset report's numbers, folded in the same pass as the rules.

Why here and in this form: the statistics describe the data a run has read,
so they are the engine's, not a rule's (they exist whatever rules are
selected, and a plugin may replace any rule). They are folded like a dataset
rule's state: :class:`FileStatistics` is built record by record in
:func:`ftlint.run.engine.lint_unit`, travels with the file's outcome through
worker processes and the cache, and the states of a file's byte ranges are
:meth:`~FileStatistics.merge`\\ d in file order, so a sharded, cached or
parallel run reports the same numbers as a run in one process. Nothing is
read twice. What the run folds anyway is reused rather than kept again:

- token lengths are the run's :class:`~ftlint.text.tokens.TokenLengths`
  (exact where counted, else estimated; the engine keeps them whenever it
  counts tokens, at 5 bytes a record);
- duplicate and leak counts are the findings of D001, D002, L001 and L002,
  one per repeated or leaked record, counted before ignores and the
  baseline (they describe the data, not the report);
- a config's numbers use :func:`ftlint.api.configs.training_data` and
  :func:`~ftlint.api.configs.schedule`, as the hyperparameter rules do.

:func:`run_statistics` turns the folded states into the finished
:class:`~ftlint.core.statistics.RunStatistics` reporters draw.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ftlint.api.configs import schedule, training_data, training_view
from ftlint.api.rules import ConfigContext
from ftlint.core.findings import Finding
from ftlint.core.records import DatasetFile, RecordView, Role, Split
from ftlint.core.statistics import (
    Bin,
    ConfigStatistics,
    DatasetStatistics,
    Distribution,
    RunStatistics,
    SplitStatistics,
    TokenStatistics,
)
from ftlint.text.normalise import normalise
from ftlint.text.tokens import TokenCounter, TokenLengths, utf8_length

#: A response this long or shorter (in characters) may be a class label; the
#: same bound as rule B001's.
LABEL_LENGTH = 40
#: Classification-like data has at least 2 and at most this many labels...
MAX_LABELS = 20
#: ... and at most this share of records whose response occurs only once
#: (B001's defaults).
LABEL_NOISE = 0.1
#: Distinct short responses kept per file. Past this the file is no
#: classification data (at most MAX_LABELS labels plus noise), and counting
#: stops, so memory stays bounded on free-text data.
MAX_DISTINCT = 1024
#: Bars of a histogram, about (widths are rounded to 1, 2 or 5 x 10^k).
BARS = 24
#: The rules whose findings are counted, one finding a record: statistics field -> code.
COUNTED_FINDINGS = {
    "duplicates": "D001",
    "near_duplicates": "D002",
    "leaks": "L001",
    "near_leaks": "L002",
}
_SPLIT_ORDER = {Split.TRAIN: 0, Split.VALIDATION: 1, Split.TEST: 2}


@dataclass(slots=True)
class FileStatistics:
    """What one file (or byte range of one) adds to the report, record by record.

    ``responses`` counts the normalised short responses (possible labels),
    None once a file has more than :data:`MAX_DISTINCT` of them;
    ``long_responses`` counts responses too long to be labels.
    """

    unparsed: int = 0
    unshaped: int = 0
    shapes: Counter[str] = field(default_factory=Counter)
    turns: Counter[int] = field(default_factory=Counter)
    system_prompts: int = 0
    response_bytes: array[int] = field(default_factory=lambda: array("I"))
    responses: dict[str, int] | None = field(default_factory=dict)
    long_responses: int = 0

    def add(self, view: RecordView | None, parsed: bool) -> None:
        """Count one record: ``view`` is its shaped view (None when it did not
        parse, ``parsed`` False, or matched no shape)."""
        if view is None:
            if parsed:
                self.unshaped += 1
            else:
                self.unparsed += 1
            return
        self.shapes[view.shape] += 1
        turns = view.turns
        self.turns[len(turns)] += 1
        if turns and turns[0].role is Role.SYSTEM and turns[0].text:
            self.system_prompts += 1
        response = view.response_turns
        if not response:
            return
        size = sum(utf8_length(t.text) for t in response)
        self.response_bytes.append(size)
        if view.label is None:  # a KTO record's label judges its response: no class
            self._count_label(view, size)

    def _count_label(self, view: RecordView, size: int) -> None:
        responses = self.responses
        if responses is None:
            return
        # No character takes more than 4 bytes: most responses are known to be
        # too long for a label without joining their text.
        if size > 4 * LABEL_LENGTH or len(text := view.response) > LABEL_LENGTH:
            self.long_responses += 1
            return
        key = normalise(text)
        responses[key] = responses.get(key, 0) + 1
        if len(responses) > MAX_DISTINCT:
            self.responses = None

    def merge(self, later: FileStatistics) -> FileStatistics:
        """This file part followed by ``later`` (modifies and returns ``self``)."""
        self.unparsed += later.unparsed
        self.unshaped += later.unshaped
        self.shapes.update(later.shapes)
        self.turns.update(later.turns)
        self.system_prompts += later.system_prompts
        self.response_bytes.extend(later.response_bytes)
        self.long_responses += later.long_responses
        if self.responses is not None and later.responses is not None:
            for key, count in later.responses.items():
                self.responses[key] = self.responses.get(key, 0) + count
            if len(self.responses) > MAX_DISTINCT:
                self.responses = None
        else:
            self.responses = None
        return self


class FileResult(Protocol):
    """What the statistics read of a file's outcome (:class:`ftlint.run.engine.FileOutcome`;
    a protocol, so that this module does not import the engine that feeds it)."""

    @property
    def file(self) -> DatasetFile: ...
    @property
    def records(self) -> int: ...
    @property
    def error(self) -> str | None: ...
    @property
    def token_lengths(self) -> TokenLengths | None: ...
    @property
    def statistics(self) -> FileStatistics: ...


def run_statistics(
    outcomes: Sequence[FileResult],
    findings: Iterable[Finding],
    configs: Sequence[ConfigContext],
    counters: Mapping[str, TokenCounter],
    enabled: set[str],
) -> RunStatistics:
    """The finished statistics of a run.

    ``counters`` maps a file's display path to the token counter it was
    linted with (none when the run counted no tokens); ``enabled`` holds the
    codes of the rules that ran, so that a count of findings of a rule that
    did not run is None rather than a misleading 0.
    """
    counted = _findings_by_file(findings)
    datasets: dict[str, list[FileResult]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.error is None:
            datasets[outcome.file.dataset].append(outcome)
    reports = tuple(
        DatasetStatistics(
            name,
            tuple(_split(group, counted, counters, enabled) for group in _by_split(members)),
        )
        for name, members in sorted(datasets.items())
    )
    estimated = {
        o.file.display
        for o in outcomes
        if o.token_lengths is not None and not all(o.token_lengths.exact)
    }
    config_reports = (_config(c, estimated) for c in configs)
    return RunStatistics(reports, tuple(c for c in config_reports if c is not None))


def _findings_by_file(findings: Iterable[Finding]) -> dict[tuple[str, str], int]:
    wanted = set(COUNTED_FINDINGS.values())
    counts: Counter[tuple[str, str]] = Counter(
        (f.code, f.location.path) for f in findings if f.code in wanted
    )
    return dict(counts)


def _by_split(members: Sequence[FileResult]) -> list[list[FileResult]]:
    """A dataset's files grouped by split, train first, each group in path
    order; a file with no split is a group of its own, after the splits."""
    groups: dict[tuple[int, str], list[FileResult]] = defaultdict(list)
    for outcome in sorted(members, key=lambda o: o.file.display):
        split = outcome.file.split
        key = (_SPLIT_ORDER[split], "") if split is not None else (3, outcome.file.display)
        groups[key].append(outcome)
    return [groups[key] for key in sorted(groups)]


def _split(
    group: Sequence[FileResult],
    counted: Mapping[tuple[str, str], int],
    counters: Mapping[str, TokenCounter],
    enabled: set[str],
) -> SplitStatistics:
    files = [o.file for o in group]
    folded = FileStatistics()
    for outcome in group:
        folded.merge(outcome.statistics)

    def findings_of(code: str) -> int | None:
        if code not in enabled:
            return None
        return sum(counted.get((code, f.display), 0) for f in files)

    return SplitStatistics(
        split=_split_name(files[0]),
        files=tuple(f.display for f in files),
        records=sum(o.records for o in group),
        unparsed=folded.unparsed,
        unshaped=folded.unshaped,
        shapes=dict(folded.shapes.most_common()),
        turns=dict(sorted(folded.turns.items())),
        system_prompts=folded.system_prompts,
        response_bytes=distribution(_numbers(folded.response_bytes)),
        tokens=_tokens(group, counters),
        labels=_labels(folded),
        **{name: findings_of(code) for name, code in COUNTED_FINDINGS.items()},
    )


def _split_name(file: DatasetFile) -> str:
    return str(file.split) if file.split is not None else file.display


def _tokens(
    group: Sequence[FileResult], counters: Mapping[str, TokenCounter]
) -> TokenStatistics | None:
    parts = [(o.file, o.token_lengths) for o in group if o.token_lengths is not None]
    if not parts or len(parts) != len(group):
        return None
    limits = [counters[file.display] for file, _ in parts]
    tightest = min(limits, key=lambda c: c.limit.tokens)
    resolved = [_numbers(lengths.resolved()) for _, lengths in parts]
    over = sum(
        int((values > counter.limit.tokens).sum())
        for values, counter in zip(resolved, limits, strict=True)
    )
    exact = sum(_exact_count(lengths) for _, lengths in parts)
    lengths = np.concatenate(resolved)
    shown = distribution(lengths, marker=tightest.limit.tokens)
    if shown is None:
        return None
    return TokenStatistics(
        encoding=tightest.encoding_name,
        limit=tightest.limit.tokens,
        limit_source=tightest.limit.source,
        exact=exact,
        estimated=exact < len(lengths),
        over_limit=over,
        lengths=shown,
    )


def _exact_count(lengths: TokenLengths) -> int:
    return int(np.frombuffer(lengths.exact, dtype=np.uint8).sum())


def _labels(folded: FileStatistics) -> tuple[tuple[str, int], ...] | None:
    """Each label and its count when the split looks like classification
    data (B001's test, with its default options), else None."""
    responses = folded.responses
    if not responses:
        return None
    total = sum(responses.values()) + folded.long_responses
    labels = [(key, count) for key, count in responses.items() if count >= 2]
    singles = total - sum(count for _, count in labels)
    if not 2 <= len(labels) <= MAX_LABELS or singles > LABEL_NOISE * total:
        return None
    return tuple(sorted(labels, key=lambda pair: (-pair[1], pair[0])))


def _numbers(values: array[int]) -> npt.NDArray[np.int64]:
    return np.frombuffer(values, dtype=f"u{values.itemsize}").astype(np.int64)


def distribution(values: npt.NDArray[np.int64], marker: int | None = None) -> Distribution | None:
    """Summary numbers and a histogram of ``values`` (None when empty).

    The bars run from the bar that holds the smallest value up to the 99th
    percentile, and up to ``marker`` (a token limit, drawn as a line) when it
    is within 4 times that: a limit far above all the data would squash
    every bar into the first few. What is beyond the last edge goes into one
    last, open bar.
    """
    if values.size == 0:
        return None
    p50, p90, p99 = (float(q) for q in np.percentile(values, [50, 90, 99]))
    minimum, maximum = int(values.min()), int(values.max())
    top = max(p99, minimum + BARS / 2)  # a handful of values still get a few bars
    if marker is not None and marker <= 4 * top:
        top = max(top, marker * 1.05)
    width = _nice_width((top - minimum) / BARS)
    first = minimum // width
    bars = max(1, math.ceil(top / width) - first)
    indexes = np.minimum(values // width - first, bars)
    counts = np.bincount(indexes, minlength=bars + 1).tolist()
    bins = [Bin((first + i) * width, (first + i + 1) * width, counts[i]) for i in range(bars)]
    if counts[bars]:
        bins.append(Bin((first + bars) * width, None, counts[bars]))
    return Distribution(
        count=int(values.size),
        total=int(values.sum()),
        mean=round(float(values.mean()), 3),
        minimum=minimum,
        median=p50,
        p90=p90,
        p99=p99,
        maximum=maximum,
        bins=tuple(bins),
    )


def _nice_width(raw: float) -> int:
    """The smallest of 1, 2, 5 x 10^k at least ``raw`` (and at least 1)."""
    if raw <= 1:
        return 1
    scale = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        if step * scale >= raw:
            return int(step * scale)
    return int(10 * scale)


def _config(config: ConfigContext, estimated_files: set[str]) -> ConfigStatistics | None:
    """A training config's numbers against the data linted beside it; None for
    configs of other tasks, and when none of its training data was linted."""
    view = training_view(config)
    data = training_data(config) if view is not None else None
    plan = schedule(config, data) if data is not None else None
    if view is None or data is None or plan is None:
        return None
    sequence = view.sequence_len.value if view.sequence_len is not None else None
    packing = bool(view.packing is not None and view.packing.value)
    tokens_per_epoch = truncated = None
    if data.token_lengths is not None:
        lengths = _numbers(data.token_lengths)
        if sequence is not None:
            truncated = int((lengths > sequence).sum())
            lengths = np.minimum(lengths, sequence)
        tokens_per_epoch = int(lengths.sum())
    sequences: int | None = data.records
    if packing and sequence:
        sequences = math.ceil(tokens_per_epoch / sequence) if tokens_per_epoch is not None else None
    steps = math.ceil(sequences / plan.effective_batch) if sequences is not None else None
    cap = view.max_steps_per_epoch.value if view.max_steps_per_epoch is not None else 0
    if steps is not None and cap > 0:  # torchtune's max_steps_per_epoch, as in schedule()
        steps = min(steps, cap)
    epochs = plan.epochs
    if plan.max_steps is not None and steps:
        epochs = plan.max_steps / steps
    total = plan.max_steps
    if total is None and steps is not None and epochs is not None:
        total = math.ceil(steps * epochs)
    return ConfigStatistics(
        path=config.document.display,
        framework=config.framework,
        training_files=data.files,
        records=data.records,
        sequence_length=sequence,
        packing=packing,
        effective_batch=plan.effective_batch,
        epochs=epochs,
        sequences_per_epoch=sequences,
        steps_per_epoch=steps,
        total_steps=total,
        tokens_per_epoch=tokens_per_epoch,
        tokens_for_run=(
            round(tokens_per_epoch * epochs)
            if tokens_per_epoch is not None and epochs is not None
            else None
        ),
        truncated=truncated,
        tokens_estimated=tokens_per_epoch is not None
        and any(f in estimated_files for f in data.files),
    )
