"""``--output-format markdown``: the dataset report for a GitHub job summary
(``$GITHUB_STEP_SUMMARY``) or a pull-request comment.

The same content as ``html`` in GitHub-flavoured Markdown: tables, and the
histograms as text bars in code blocks (Markdown has no charts, and GitHub
strips inline SVG). GitHub shows at most 1 MiB of a step's summary, so the
report is cut, block by block, before it would pass :data:`SIZE_LIMIT`, and
ends with a note saying so.
"""

from __future__ import annotations

from typing import ClassVar

from ftlint.core.findings import Summary
from ftlint.core.statistics import ConfigStatistics, DatasetStatistics
from ftlint.reporters._charts import text_bars, text_histogram
from ftlint.reporters._common import (
    SEVERITIES_DESCENDING,
    findings_text,
    position_text,
    scope_text,
    single_line,
)
from ftlint.reporters._report import (
    TOP_FINDINGS,
    DatasetReporter,
    FindingTally,
    column_name,
    config_rows,
    estimate_note,
    rule_docs_url,
    split_rows,
)

#: GitHub's limit for one step's summary (and, near enough, a comment's 65,536
#: characters is lower: a comment should use ``--max-findings``).
SIZE_LIMIT = 1024 * 1024
TRUNCATED_NOTE = (
    "\n> [!NOTE]\n> The report was cut here to stay under GitHub's 1 MiB summary limit; "
    "`ftlint check --output-format html` writes all of it.\n"
)


def cell(text: str) -> str:
    """``text`` safe in a table cell: one line, pipes escaped."""
    return single_line(text).replace("|", "\\|")


def table(header: list[str], rows: list[list[str]], right_from: int = 1) -> str:
    """A GitHub table; columns from ``right_from`` on are right-aligned (numbers)."""
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = [header, align, *rows]
    return "\n".join("| " + " | ".join(cell(c) for c in line) + " |" for line in lines) + "\n"


def code_block(text: str) -> str:
    """``text`` in a fenced block; backticks in it (a label) cannot close the fence."""
    return "```text\n" + text.replace("`", "'") + "\n```\n"


class MarkdownReporter(DatasetReporter):
    """The dataset report in GitHub-flavoured Markdown, under 1 MiB."""

    name: ClassVar[str] = "markdown"
    description: ClassVar[str] = "The report in Markdown, for GitHub job summaries and comments."

    def finish(self, summary: Summary) -> None:
        statistics = self.statistics
        blocks = [
            f"## ftlint report\n\n**{findings_text(summary)}** in {scope_text(summary)}.\n",
            *(_dataset(dataset) for dataset in statistics.datasets),
            *(_config(config, self.tally) for config in statistics.configs),
            *self._findings(summary),
        ]
        written = 0
        budget = SIZE_LIMIT - len(TRUNCATED_NOTE.encode())
        for block in blocks:
            size = len(block.encode()) + 1
            if written + size > budget:
                self.stream.write(TRUNCATED_NOTE)
                return
            self.stream.write(block + "\n")
            written += size

    def _findings(self, summary: Summary) -> list[str]:
        tallies = self.tally.by_rule()
        if not tallies:
            return ["### Findings\n\nAll checks passed.\n"]
        rules = {rule.code: rule for rule in self.context.rules}

        def code(text: str) -> str:
            url = rule_docs_url(rules.get(text), text)
            return f"[{text}]({url})" if url else text

        header = ["Rule", "Name", *(s.value for s in SEVERITIES_DESCENDING), "All"]
        rows = [
            [
                code(t.code),
                t.name,
                *(f"{t.counts[s]:,}" if s in t.counts else "" for s in SEVERITIES_DESCENDING),
                f"{t.total:,}",
            ]
            for t in tallies
        ]
        top = self.tally.most_severe()
        title = "Findings, most severe first" + (
            f" (the first {len(top)} of {summary.findings:,})"
            if summary.findings > TOP_FINDINGS
            else ""
        )
        listed = [
            f"- **{f.severity.value}** {code(f.code)} `{position_text(f.location)}`: "
            f"{single_line(f.message)}"
            for f in top
        ]
        return [
            "### Findings per rule\n\n" + table(header, rows, right_from=2),
            f"### {title}\n\n" + "\n".join(listed) + "\n",
        ]


def _dataset(dataset: DatasetStatistics) -> str:
    header = ["", *(column_name(s) for s in dataset.splits)]
    rows = [[label, *cells] for label, cells in split_rows(dataset)]
    parts = [f"### Dataset `{dataset.name}`\n", table(header, rows)]
    note = estimate_note(dataset)
    if note:
        parts.append(f"_{note}_\n")
    for split in dataset.splits:
        tokens = split.tokens
        if tokens is not None:
            parts.append(
                f"**Tokens per record, {column_name(split)}** ({tokens.encoding}; limit "
                f"{tokens.limit:,} from {tokens.limit_source})\n"
            )
            parts.append(code_block(text_histogram(tokens.lengths, tokens.limit)))
        if split.labels is not None:
            parts.append(f"**Labels, {column_name(split)}**\n")
            parts.append(code_block(text_bars(split.labels)))
    return "\n".join(parts)


def _config(config: ConfigStatistics, tally: FindingTally) -> str:
    rows = [[label, value] for label, value in config_rows(config)]
    failed = tally.codes_at(config.path).items()
    checks = ", ".join(f"{code} {name} ({severity.value})" for code, (name, severity) in failed)
    rows.append(["Cross-checks that failed", checks or "none"])
    return f"### Training config `{config.path}`\n\n" + table(["", "value"], rows)
