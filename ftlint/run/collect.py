"""From the findings rules produced to the findings a user sees.

In order: findings in files the user did not ask about are dropped (pre-commit
companions), severities are overridden from settings, ``per-file-ignores`` and
``# ftlint: noqa`` suppress, each finding gets its fingerprint, the baseline
hides known findings, and the rest is sorted and capped by ``--max-findings``.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ftlint.configs.document import ConfigDocument
from ftlint.core.findings import Finding, Severity, Summary
from ftlint.run.baseline import apply_baseline
from ftlint.run.engine import LintResult
from ftlint.run.selection import Selection
from ftlint.settings.schema import Settings


@dataclass(frozen=True, slots=True)
class Collected:
    """The findings to report, sorted, and the summary of the run.

    ``findings`` holds at most ``cap`` findings (``--max-findings``), the most
    severe first; ``uncapped`` every finding that survived collection, sorted,
    from which :meth:`without` fills the cap again.
    """

    findings: list[Finding]
    summary: Summary
    uncapped: list[Finding]
    cap: int | None = None

    def fails(self, threshold: Severity) -> bool:
        return any(f.severity.at_least(threshold) for f in self.findings)

    def without(self, fixed: Collection[Finding]) -> Collected:
        """These findings less those in ``fixed`` (their fixes were applied):
        the cap filled again from the findings it held back, and the summary's
        counts of findings redone; what it says of the run (files read,
        suppressed, baseline) stays."""
        gone = set(fixed)
        return _capped([f for f in self.uncapped if f not in gone], self.cap, self.summary)


def fingerprint(finding: Finding) -> str:
    """Stable identity of a finding: rule, file, what it is about, where in it.

    Line numbers are left out on purpose so that a baseline or a SARIF alert
    follows a finding when records are inserted above it.
    """
    key = "\x1f".join(
        (finding.code, finding.location.path, finding.content_key, finding.location.pointer)
    )
    # surrogatepass: a record's lone surrogate (N002) may be in its content key.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def collect(
    result: LintResult,
    settings: Settings,
    selection: Selection,
    *,
    baseline: Counter[str] | None = None,
    max_findings: int | None = None,
) -> Collected:
    """The findings of ``result`` a user sees (see the module's docstring),
    with ``selection``'s severities and per-file ignores, without those in
    ``baseline``, and at most ``max_findings`` (default: settings')."""
    findings = list(result.findings)
    if result.report_only is not None:
        findings = [f for f in findings if _concerns(f, result.report_only)]
    findings = _override_severities(findings, selection.severities)
    before = len(findings)
    findings = [f for f in findings if not _ignored_for_file(f, settings.root, selection)]
    findings = [f for f in findings if not _noqa(f, result.config_documents)]
    suppressed = before - len(findings)
    findings = [replace(f, fingerprint=f.fingerprint or fingerprint(f)) for f in findings]

    matched = stale = 0
    if baseline is not None:
        outcome = apply_baseline(findings, baseline)
        findings, matched, stale = outcome.kept, outcome.matched, outcome.stale

    findings.sort(key=Finding.sort_key)
    run = Summary(
        files=result.files,
        records=result.records,
        configs=result.configs,
        suppressed=suppressed,
        baseline_matched=matched,
        baseline_stale=stale,
        unreadable=len(result.errors),
        skipped=tuple(result.skipped),
        seconds=result.seconds,
    )
    return _capped(findings, max_findings or settings.max_findings, run)


def _capped(findings: list[Finding], cap: int | None, run: Summary) -> Collected:
    """``findings`` (sorted) cut to ``cap``, with ``run`` (what the summary
    says of the run) completed by the counts of the findings reported."""
    shown, truncated = findings, 0
    if cap is not None and len(findings) > cap:
        # Keep the most severe first so a cap never hides an error behind warnings.
        ranked = sorted(findings, key=lambda f: -f.severity.rank)[:cap]
        truncated = len(findings) - cap
        shown = sorted(ranked, key=Finding.sort_key)
    summary = replace(
        run,
        findings=len(shown),
        by_severity=dict(Counter(str(f.severity) for f in shown)),
        by_code=dict(sorted(Counter(f.code for f in shown).items())),
        fixable=sum(1 for f in shown if f.fix is not None and f.fix.safe),
        unsafe_fixable=sum(1 for f in shown if f.fix is not None and not f.fix.safe),
        truncated=truncated,
    )
    return Collected(shown, summary, findings, cap)


def _concerns(finding: Finding, paths: set[str]) -> bool:
    return finding.path in paths or any(r.location.path in paths for r in finding.related)


def _override_severities(
    findings: list[Finding], severities: Mapping[str, Severity]
) -> list[Finding]:
    if not severities:
        return findings
    return [
        replace(f, severity=severities[f.code]) if f.code in severities else f for f in findings
    ]


def _ignored_for_file(finding: Finding, root: Path, selection: Selection) -> bool:
    if not selection.per_file_ignores:
        return False
    path = Path(finding.path)
    try:
        relative = path.resolve().relative_to(root).as_posix()
    except ValueError:
        relative = finding.path
    return any(
        finding.code in codes
        and (
            fnmatch.fnmatch(relative, pattern)
            or fnmatch.fnmatch(finding.path, pattern)
            or fnmatch.fnmatch(path.name, pattern)
        )
        for pattern, codes in selection.per_file_ignores
    )


def _noqa(finding: Finding, documents: dict[str, ConfigDocument]) -> bool:
    document = documents.get(finding.path)
    if document is None:
        return False
    codes = document.noqa.get(finding.location.line)
    if codes is None:
        return False
    wanted = {code.upper() for code in codes}
    return not wanted or finding.code in wanted or finding.name.upper() in wanted
