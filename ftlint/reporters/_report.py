"""What the dataset report formats (``html``, ``markdown``) say, apart from how.

Both show the same thing: per dataset a table with a column per split,
token-length histograms, labels, the configs' training numbers, and the
findings per rule and severity with the most severe first. This module
holds the words and numbers; :mod:`ftlint.reporters.html` and
:mod:`ftlint.reporters.markdown` lay them out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TextIO

from ftlint.core.findings import Finding, Severity
from ftlint.core.statistics import (
    ConfigStatistics,
    DatasetStatistics,
    Distribution,
    RunStatistics,
    SplitStatistics,
)
from ftlint.reporters.base import ReportContext, Reporter, RuleInfo

#: Where a built-in rule's documentation is published (``docs/rules/CODE.md``).
RULE_DOCS_URL = "https://github.com/ftlint/ftlint/blob/main/docs/rules/{code}.md"
#: The plugin name of the built-in rules, whose documentation is published.
BUILTIN_PLUGIN = "ftlint"
#: Findings the reports list one by one, most severe first; the rest are counted.
TOP_FINDINGS = 50
#: Shown for a number the run did not measure.
NOT_MEASURED = "-"


def rule_docs_url(rule: RuleInfo | None, code: str) -> str | None:
    """The published documentation of a built-in rule; None for a plugin's."""
    if rule is None or rule.plugin != BUILTIN_PLUGIN:
        return None
    return RULE_DOCS_URL.format(code=code)


@dataclass(slots=True)
class RuleTally:
    """One rule's findings in the run, as reported."""

    code: str
    name: str
    counts: dict[Severity, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def worst(self) -> Severity:
        return max(self.counts, key=lambda severity: severity.rank)


@dataclass(slots=True)
class FindingTally:
    """The findings of a run, folded as they arrive: counts per rule and
    severity, and the :data:`TOP_FINDINGS` most severe (in arrival order
    within a severity), so that memory does not grow with the findings."""

    rules: dict[str, RuleTally] = field(default_factory=dict)
    top: dict[Severity, list[Finding]] = field(default_factory=dict)
    #: path -> code -> (rule name, worst severity) of the findings in that file.
    paths: dict[str, dict[str, tuple[str, Severity]]] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        codes = self.paths.setdefault(finding.location.path, {})
        known = codes.get(finding.code)
        if known is None or finding.severity.rank > known[1].rank:
            codes[finding.code] = (finding.name, finding.severity)
        tally = self.rules.setdefault(finding.code, RuleTally(finding.code, finding.name))
        tally.counts[finding.severity] = tally.counts.get(finding.severity, 0) + 1
        kept = self.top.setdefault(finding.severity, [])
        if len(kept) < TOP_FINDINGS:
            kept.append(finding)

    def codes_at(self, path: str) -> dict[str, tuple[str, Severity]]:
        """The rules that found something in ``path``, by code."""
        return dict(sorted(self.paths.get(path, {}).items()))

    def by_rule(self) -> list[RuleTally]:
        """Rules by their worst severity, then most findings, then code."""
        return sorted(self.rules.values(), key=lambda t: (-t.worst.rank, -t.total, t.code))

    def most_severe(self) -> list[Finding]:
        ordered = sorted(self.top.items(), key=lambda item: -item[0].rank)
        return [finding for _, kept in ordered for finding in kept][:TOP_FINDINGS]


class DatasetReporter(Reporter):
    """Base of the dataset report formats: the findings are folded into a
    :class:`FindingTally` as they arrive, and the report is written by
    ``finish``, when the statistics and the counts are all known."""

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        super().__init__(stream, context)
        self.tally = FindingTally()

    def add(self, finding: Finding) -> None:
        self.tally.add(finding)

    @property
    def statistics(self) -> RunStatistics:
        return self.context.statistics or RunStatistics()


def number(value: int | float | None) -> str:
    """``12,345``; a float to one decimal unless whole; the dash when unmeasured."""
    if value is None:
        return NOT_MEASURED
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def share(part: int, whole: int) -> str:
    """``"12 (4.0%)"``."""
    percent = part / whole if whole else 0.0
    return f"{part:,} ({percent:.1%})"


def spread(values: Distribution | None) -> str:
    """``"64 / 72 / 79"``: median, 90th percentile and maximum."""
    if values is None:
        return NOT_MEASURED
    return f"{number(values.median)} / {number(values.p90)} / {number(values.maximum)}"


def token_total(split: SplitStatistics) -> str:
    """A split's tokens, ``~`` marking a total in which some lengths are estimates."""
    tokens = split.tokens
    if tokens is None:
        return NOT_MEASURED
    text = number(tokens.lengths.total)
    return f"~{text}" if tokens.estimated else text


def turns_text(turns: dict[int, int]) -> str:
    """``"3 (25), 4 (1)"``: the most common numbers of turns, at most three."""
    common = sorted(turns.items(), key=lambda item: (-item[1], item[0]))[:3]
    text = ", ".join(f"{n} ({count:,})" for n, count in common)
    return text + (", ..." if len(turns) > 3 else "") if common else NOT_MEASURED


def column_name(split: SplitStatistics) -> str:
    """A split's column header: its name, or the file name of a file that has
    no split name (its path is the dataset's name already)."""
    if len(split.files) == 1 and split.split == split.files[0]:
        return PurePath(split.split).name
    return split.split


def split_rows(dataset: DatasetStatistics) -> list[tuple[str, list[str]]]:
    """The summary table of a dataset: a label and a cell per split, a row each."""
    splits = dataset.splits
    tokens = next((s.tokens for s in splits if s.tokens is not None), None)
    limit = f" ({number(tokens.limit)})" if tokens is not None else ""

    def row(label: str, cell: Callable[[SplitStatistics], str]) -> tuple[str, list[str]]:
        return label, [cell(split) for split in splits]

    return [
        row("Records", lambda s: number(s.records)),
        row("Unparsed / no known shape", lambda s: f"{s.unparsed:,} / {s.unshaped:,}"),
        row("Shapes", lambda s: ", ".join(f"{k} {v:,}" for k, v in s.shapes.items()) or "none"),
        row("Turns per record (records)", lambda s: turns_text(s.turns)),
        row("Tokens", token_total),
        row("Tokens per record: median / p90 / max", lambda s: spread(_lengths(s))),
        row(f"Over the token limit{limit}", _over_limit),
        row("Response bytes: median / p90 / max", lambda s: spread(s.response_bytes)),
        row("With a system prompt", lambda s: share(s.system_prompts, s.shaped)),
        row("Labels", lambda s: f"{len(s.labels)}" if s.labels is not None else NOT_MEASURED),
        row("Exact duplicates (D001)", lambda s: number(s.duplicates)),
        row("Leaked from train (L001)", lambda s: number(s.leaks)),
    ]


def _lengths(split: SplitStatistics) -> Distribution | None:
    return split.tokens.lengths if split.tokens is not None else None


def _over_limit(split: SplitStatistics) -> str:
    tokens = split.tokens
    return share(tokens.over_limit, tokens.lengths.count) if tokens is not None else NOT_MEASURED


def estimate_note(dataset: DatasetStatistics) -> str | None:
    """A sentence on how the dataset's tokens were counted, when some were estimated."""
    estimated = [s for s in dataset.splits if s.tokens is not None and s.tokens.estimated]
    if not estimated:
        return None
    counted = sum(s.tokens.exact for s in estimated if s.tokens is not None)
    total = sum(s.tokens.lengths.count for s in estimated if s.tokens is not None)
    return (
        f"~ estimated: {counted:,} of {total:,} records of these splits were counted with "
        "the tokenizer, the others estimated from their UTF-8 length and the file's "
        "measured tokens per byte (see docs/output-formats.md for the error)."
    )


def config_rows(config: ConfigStatistics) -> Iterator[tuple[str, str]]:
    """What a training config will do with its data, a label and a value a row."""
    estimated = "~" if config.tokens_estimated else ""
    yield "Framework", config.framework or NOT_MEASURED
    yield "Training files", ", ".join(config.training_files)
    yield "Records", number(config.records)
    yield "Sequence length", number(config.sequence_length)
    yield "Packing", "on" if config.packing else "off"
    yield "Effective batch", number(config.effective_batch)
    yield "Epochs", number(config.epochs)
    yield "Sequences per epoch", number(config.sequences_per_epoch)
    yield "Optimizer steps per epoch", number(config.steps_per_epoch)
    yield "Optimizer steps in all", number(config.total_steps)
    yield "Training tokens per epoch", _estimated(estimated, config.tokens_per_epoch)
    yield "Training tokens for the run", _estimated(estimated, config.tokens_for_run)
    truncated = config.truncated
    yield (
        "Records truncated by the sequence length",
        share(truncated, config.records) if truncated is not None else NOT_MEASURED,
    )


def _estimated(mark: str, value: int | None) -> str:
    return f"{mark}{number(value)}" if value is not None else NOT_MEASURED
