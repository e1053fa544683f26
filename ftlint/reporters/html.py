"""``--output-format html``: the dataset report as one self-contained page.

One file that opens anywhere with no network: the style sheet is inline,
the charts are inline SVG (:mod:`ftlint.reporters._charts` says why), there
is no script and no web font. It shows, per dataset, a summary table with a
column per split, each split's token-length histogram with the token limit
marked and its label bars; then the training configs' numbers, the
findings per rule and severity, the most severe findings, and the
documentation of every rule that found something (linked from the findings,
and to the published page of a built-in rule).
"""

from __future__ import annotations

from html import escape
from typing import ClassVar

from ftlint.core.findings import Finding, Summary
from ftlint.core.statistics import DatasetStatistics, RunStatistics
from ftlint.reporters._charts import bars_svg, histogram_svg
from ftlint.reporters._common import (
    SEVERITIES_DESCENDING,
    findings_text,
    position_text,
    scope_text,
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
from ftlint.reporters.base import RuleInfo

_STYLE = """
:root { color-scheme: light; --muted: #5f6b7a; --line: #d8dee6; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  margin: 0 auto; max-width: 1080px; padding: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 8px;
  border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
.muted, .note { color: var(--muted); } .note { font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f5f8; } td.num { text-align: right; }
.error, .warning, .info, .clean { border-radius: 12px; padding: 1px 8px; white-space: nowrap; }
.chips span { display: inline-block; padding: 2px 10px; margin-right: 6px; font-weight: 600; }
.error { background: #fde2e1; color: #a40e26; } .warning { background: #fff1c2; color: #7a4d00; }
.info { background: #ddf4ff; color: #0a4a80; } .clean { background: #dafbe1; color: #116329; }
.charts { display: flex; flex-wrap: wrap; gap: 16px 24px; margin-top: 12px; }
figure { margin: 0; flex: 0 1 496px; } figcaption { font-size: 13px; color: var(--muted); }
svg { max-width: 100%; height: auto; font-size: 12px; fill: #1f2328; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .limit { font-size: 11px; fill: #d62728; font-weight: 600; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
details pre { white-space: pre-wrap; background: #f6f8fa; padding: 12px; border-radius: 6px;
  font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
"""


class HtmlReporter(DatasetReporter):
    """One HTML page: the data's statistics with charts, and the findings."""

    name: ClassVar[str] = "html"
    description: ClassVar[str] = "A self-contained HTML report: statistics, charts, findings."

    def finish(self, summary: Summary) -> None:
        statistics = self.statistics
        body = [self._header(summary)]
        body += [_dataset(dataset) for dataset in statistics.datasets]
        if statistics.configs:
            body.append(_configs(statistics, self.tally))
        body.append(self._findings(summary))
        self.stream.write(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>ftlint report</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body)
            + "\n</body>\n</html>\n"
        )

    def _header(self, summary: Summary) -> str:
        chips = [
            f'<span class="{severity.value}">{count:,} {severity.value}</span>'
            for severity in SEVERITIES_DESCENDING
            if (count := summary.by_severity.get(severity.value, 0))
        ] or ['<span class="clean">no findings</span>']
        return (
            "<header><h1>ftlint report</h1>"
            f'<p class="muted">ftlint {escape(self.context.tool_version)}: '
            f"{escape(findings_text(summary))} in {escape(scope_text(summary))}.</p>"
            f'<p class="chips">{"".join(chips)}</p></header>'
        )

    def _findings(self, summary: Summary) -> str:
        rules = {rule.code: rule for rule in self.context.rules}
        tallies = self.tally.by_rule()
        parts = ["<section><h2>Findings</h2>"]
        if not tallies:
            parts.append("<p>All checks passed.</p></section>")
            return "".join(parts)
        header = "".join(f"<th>{s.value}</th>" for s in SEVERITIES_DESCENDING)
        parts.append(f"<table><tr><th>Rule</th><th>Name</th>{header}<th>All</th></tr>")
        for tally in tallies:
            cells = "".join(
                f'<td class="num">{tally.counts.get(severity, 0) or ""}</td>'
                for severity in SEVERITIES_DESCENDING
            )
            parts.append(
                f'<tr><td><a href="#rule-{escape(tally.code)}">{escape(tally.code)}</a></td>'
                f"<td>{escape(tally.name)}</td>{cells}"
                f'<td class="num">{tally.total:,}</td></tr>'
            )
        parts.append("</table>")
        top = self.tally.most_severe()
        if summary.findings > TOP_FINDINGS:
            parts.append(f"<h3>The first {len(top)} findings, most severe first</h3>")
        else:
            parts.append("<h3>All findings</h3>")
        parts.append("<table><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Message</th></tr>")
        parts += [_finding_row(finding) for finding in top]
        parts.append("</table><h3>The rules</h3>")
        parts += [_rule_docs(tally.code, rules.get(tally.code)) for tally in tallies]
        parts.append("</section>")
        return "".join(parts)


def _finding_row(finding: Finding) -> str:
    severity = finding.severity.value
    return (
        f'<tr><td><span class="chips"><span class="{severity}">{severity}</span></span></td>'
        f'<td><a href="#rule-{escape(finding.code)}">{escape(finding.code)}</a></td>'
        f"<td><code>{escape(position_text(finding.location))}</code></td>"
        f"<td>{escape(finding.message)}</td></tr>"
    )


def _rule_docs(code: str, rule: RuleInfo | None) -> str:
    url = rule_docs_url(rule, code)
    link = f' · <a href="{escape(url)}">documentation</a>' if url else ""
    summary = escape(rule.summary) if rule is not None else ""
    text = escape(rule.documentation) if rule is not None else "(no documentation)"
    return (
        f'<details id="rule-{escape(code)}"><summary><b>{escape(code)}</b> '
        f"{escape(rule.name if rule else '')}: {summary}{link}</summary>"
        f"<pre>{text}</pre></details>"
    )


def _dataset(dataset: DatasetStatistics) -> str:
    splits = dataset.splits
    header = "".join(f"<th>{escape(column_name(s))}</th>" for s in splits)
    rows = "".join(
        f"<tr><th>{escape(label)}</th>"
        + "".join(f'<td class="num">{escape(cell)}</td>' for cell in cells)
        + "</tr>"
        for label, cells in split_rows(dataset)
    )
    figures = []
    for split in splits:
        tokens = split.tokens
        if tokens is not None:
            title = f"Tokens per record, {column_name(split)} ({tokens.encoding})"
            figures.append(
                f"<figure>{histogram_svg(tokens.lengths, title, tokens.limit)}"
                f"<figcaption>{escape(title)}; limit {tokens.limit:,} from "
                f"{escape(tokens.limit_source)}</figcaption></figure>"
            )
        if split.labels is not None:
            title = f"Labels, {column_name(split)}"
            figures.append(
                f"<figure>{bars_svg(split.labels, title)}"
                f"<figcaption>{escape(title)}</figcaption></figure>"
            )
    note = estimate_note(dataset)
    return (
        f"<section><h2>Dataset <code>{escape(dataset.name)}</code></h2>"
        f"<table><tr><th></th>{header}</tr>{rows}</table>"
        + (f'<p class="note">{escape(note)}</p>' if note else "")
        + (f'<div class="charts">{"".join(figures)}</div>' if figures else "")
        + "</section>"
    )


def _configs(statistics: RunStatistics, tally: FindingTally) -> str:
    parts = ["<section><h2>Training configs</h2>"]
    for config in statistics.configs:
        rows = "".join(
            f'<tr><th>{escape(label)}</th><td class="num">{escape(value)}</td></tr>'
            for label, value in config_rows(config)
        )
        checks = ", ".join(
            f'<a href="#rule-{escape(code)}">{escape(code)}</a> '
            f'<span class="{severity.value}">{escape(name)}</span>'
            for code, (name, severity) in tally.codes_at(config.path).items()
        )
        parts.append(
            f"<h3><code>{escape(config.path)}</code></h3><table>{rows}</table>"
            f"<p>Cross-checks that failed: {checks or 'none'}</p>"
        )
    parts.append(
        '<p class="note">Tokens per epoch count each record up to the sequence length; '
        "with packing, steps are counted over packed sequences, without it over records "
        "(padding is not counted).</p></section>"
    )
    return "".join(parts)
