"""Shared builders for the reporter tests: findings, summaries, contexts, and a
``render`` that drives a reporter through its whole lifecycle. No engine is
involved; every input is built here directly."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from ftlint.core.findings import Finding, Location, Severity, Summary
from ftlint.reporters.base import ReportContext, Reporter, RuleInfo

RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        code="D001",
        name="exact-duplicate",
        summary="A record repeats another one word for word.",
        documentation=(
            "Finds records whose content is identical to an earlier record.\n\n"
            "Duplicates over-weight their examples in training."
        ),
        severity=Severity.ERROR,
        plugin="ftlint",
        description="Finds records whose content is identical to an earlier record.",
        help_uri="https://example.org/docs/rules/D001.md",
    ),
    RuleInfo(
        code="B002",
        name="label-imbalance",
        summary="One label dominates a split.",
        documentation="Counts labels per split.",
        severity=Severity.WARNING,
        plugin="ftlint",
    ),
    RuleInfo(
        code="K001",
        name="yaml-norway",
        summary="A YAML 1.1 boolean that was meant as a string.",
        documentation="Flags `no`, `yes`, `on` and `off` scalars.",
        severity=Severity.INFO,
        plugin="ftlint-yaml",
    ),
)

MakeFinding = Callable[..., Finding]
MakeSummary = Callable[..., Summary]
Render = Callable[..., str]


@pytest.fixture
def rules() -> tuple[RuleInfo, ...]:
    """Three rules, one of each severity: D001 error, B002 warning, K001 info."""
    return RULES


@pytest.fixture
def make_finding() -> MakeFinding:
    """``make_finding(code, path=, line=, column=, message=, severity=, **fields)``.

    Name and severity default to the rule's in ``RULES``; every finding gets a
    fingerprint, as the engine gives one. Pass ``location=`` for a full
    :class:`Location`, or any other :class:`Finding` field by name.
    """

    def make(
        code: str = "D001",
        *,
        path: str = "data/train.jsonl",
        line: int = 12,
        column: int = 1,
        message: str = "Record 12 repeats record 3 word for word.",
        severity: Severity | None = None,
        **fields: Any,
    ) -> Finding:
        rule = next((rule for rule in RULES if rule.code == code), None)
        fields.setdefault("name", rule.name if rule else "unlisted-rule")
        fields.setdefault("fingerprint", f"fp-{code}-{path}-{line}")
        location = fields.pop("location", None) or Location(path, line, column)
        return Finding(
            code=code,
            severity=severity or (rule.severity if rule else Severity.ERROR),
            message=message,
            location=location,
            **fields,
        )

    return make


@pytest.fixture
def make_summary() -> MakeSummary:
    """``make_summary(findings, **fields)``: the summary the engine would give
    for ``findings`` (counts derived from them), with any field overridden."""

    def make(findings: Iterable[Finding] = (), **fields: Any) -> Summary:
        findings = list(findings)
        derived: dict[str, Any] = {
            "files": len({finding.path for finding in findings}) or 1,
            "records": 100,
            "findings": len(findings),
            "by_severity": dict(Counter(finding.severity.value for finding in findings)),
            "by_code": dict(sorted(Counter(finding.code for finding in findings).items())),
            "fixable": sum(f.fix is not None and f.fix.safe for f in findings),
            "unsafe_fixable": sum(f.fix is not None and not f.fix.safe for f in findings),
        }
        return Summary(**{**derived, **fields})

    return make


@pytest.fixture
def render(make_summary: MakeSummary) -> Render:
    """``render(reporter_class, findings, summary=None, **context)``: run the
    reporter through start, add (in the engine's sorted order) and finish, and
    return what it wrote. The context defaults to ``RULES`` and version 1.2.3;
    the summary to one derived from ``findings``."""

    def run(
        reporter: type[Reporter],
        findings: Iterable[Finding] = (),
        summary: Summary | None = None,
        **context: Any,
    ) -> str:
        ordered = sorted(findings, key=Finding.sort_key)
        context.setdefault("tool_version", "1.2.3")
        context.setdefault("rules", RULES)
        stream = io.StringIO()
        instance = reporter(stream, ReportContext(**context))
        instance.start()
        for finding in ordered:
            instance.add(finding)
        instance.finish(summary if summary is not None else make_summary(ordered))
        return stream.getvalue()

    return run
