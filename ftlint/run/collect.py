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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ftlint.configs.document import ConfigDocument
from ftlint.core.findings import Finding, Severity, Summary
from ftlint.run.baseline import apply_baseline
from ftlint.run.engine import LintResult
from ftlint.run.registry import Registry
from ftlint.settings.schema import Settings


@dataclass(frozen=True, slots=True)
class Collected:
    """The findings to report, sorted, and the summary of the run."""

    findings: list[Finding]
    summary: Summary

    def fails(self, threshold: Severity) -> bool:
        return any(f.severity.at_least(threshold) for f in self.findings)


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
    registry: Registry,
    *,
    baseline: Counter[str] | None = None,
    max_findings: int | None = None,
) -> Collected:
    findings = list(result.findings)
    if result.report_only is not None:
        findings = [f for f in findings if _concerns(f, result.report_only)]
    findings = _override_severities(findings, settings, registry)
    before = len(findings)
    findings = [f for f in findings if not _ignored_for_file(f, settings, registry)]
    findings = [f for f in findings if not _noqa(f, result.config_documents)]
    suppressed = before - len(findings)
    findings = [replace(f, fingerprint=f.fingerprint or fingerprint(f)) for f in findings]

    matched = stale = 0
    if baseline is not None:
        outcome = apply_baseline(findings, baseline)
        findings, matched, stale = outcome.kept, outcome.matched, outcome.stale

    findings.sort(key=Finding.sort_key)
    truncated = 0
    cap = max_findings or settings.max_findings
    if cap is not None and len(findings) > cap:
        # Keep the most severe first so a cap never hides an error behind warnings.
        ranked = sorted(findings, key=lambda f: -f.severity.rank)[:cap]
        truncated = len(findings) - cap
        findings = sorted(ranked, key=Finding.sort_key)

    summary = Summary(
        files=result.files,
        records=result.records,
        configs=result.configs,
        findings=len(findings),
        by_severity=dict(Counter(str(f.severity) for f in findings)),
        by_code=dict(sorted(Counter(f.code for f in findings).items())),
        fixable=sum(1 for f in findings if f.fix is not None),
        suppressed=suppressed,
        baseline_matched=matched,
        baseline_stale=stale,
        truncated=truncated,
        unreadable=len(result.errors),
        seconds=result.seconds,
    )
    return Collected(findings, summary)


def _concerns(finding: Finding, paths: set[str]) -> bool:
    return finding.path in paths or any(r.location.path in paths for r in finding.related)


def _codes(selectors: Sequence[str], registry: Registry) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        try:
            codes |= registry.select(selector)
        except KeyError:
            codes.add(selector.upper())
    return codes


def _override_severities(
    findings: list[Finding], settings: Settings, registry: Registry
) -> list[Finding]:
    if not settings.severity:
        return findings
    overrides: dict[str, Severity] = {}
    for selector, severity in settings.severity.items():
        for code in _codes([selector], registry):
            overrides[code] = severity
    return [replace(f, severity=overrides[f.code]) if f.code in overrides else f for f in findings]


def _ignored_for_file(finding: Finding, settings: Settings, registry: Registry) -> bool:
    if not settings.per_file_ignores:
        return False
    path = Path(finding.path)
    try:
        relative = path.resolve().relative_to(settings.root).as_posix()
    except ValueError:
        relative = finding.path
    for pattern, selectors in settings.per_file_ignores.items():
        if (
            fnmatch.fnmatch(relative, pattern)
            or fnmatch.fnmatch(finding.path, pattern)
            or fnmatch.fnmatch(path.name, pattern)
        ) and finding.code in _codes(selectors, registry):
            return True
    return False


def _noqa(finding: Finding, documents: dict[str, ConfigDocument]) -> bool:
    document = documents.get(finding.path)
    if document is None:
        return False
    codes = document.noqa.get(finding.location.line)
    if codes is None:
        return False
    wanted = {code.upper() for code in codes}
    return not wanted or finding.code in wanted or finding.name.upper() in wanted
