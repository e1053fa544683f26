"""The reporter interface: findings in, text out.

Lifecycle (as flake8's formatters): the engine creates the reporter with the
output stream and the run's context, calls :meth:`Reporter.start`, then
:meth:`Reporter.add` for each finding in sorted order, then
:meth:`Reporter.finish` with the summary. A reporter writes only to its
stream and never sees a reader, a record or a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, TextIO

from ftlint.core.findings import Finding, Severity, Summary
from ftlint.core.statistics import RunStatistics


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a reporter may say about a rule."""

    code: str
    name: str
    summary: str
    documentation: str
    severity: Severity
    plugin: str
    #: One paragraph of plain prose saying what the rule does (SARIF's
    #: ``fullDescription``); empty: the summary stands in.
    description: str = ""
    #: The URL of the rule's documentation page, if it has one (SARIF's ``helpUri``).
    help_uri: str | None = None


@dataclass(frozen=True, slots=True)
class ReportContext:
    """The run around the findings.

    ``rules`` describes every rule that ran (SARIF lists them); ``root`` is the
    directory paths are relative to; ``color`` whether ANSI colours are wanted;
    ``show_statistics`` asks for a per-code count table. ``statistics`` is
    what the run measured about the data (records, tokens, labels per split;
    what the training configs will do with it), for the formats that report
    it (``json``, ``html``, ``markdown``); None when the run did not measure.
    """

    tool_version: str
    rules: tuple[RuleInfo, ...] = ()
    root: str = "."
    color: bool = False
    show_statistics: bool = False
    fail_on: Severity = Severity.ERROR
    invocation: tuple[str, ...] = field(default_factory=tuple)
    statistics: RunStatistics | None = None


class Reporter:
    """Base class of the output formats. Subclasses set ``name`` and override
    the lifecycle methods they need."""

    #: The ``--output-format`` value.
    name: ClassVar[str]
    #: One line for ``--help``.
    description: ClassVar[str] = ""
    #: Whether findings should reach this format with an end: the command line
    #: then gives one without an end the end of its start line, reading the
    #: file to find it (:mod:`ftlint.run.line_ends`).
    wants_ends: ClassVar[bool] = False

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        self.stream = stream
        self.context = context

    def start(self) -> None:
        """Called once before the first finding."""

    def add(self, finding: Finding) -> None:
        """Called for each finding, sorted by path, line, column and code."""

    def finish(self, summary: Summary) -> None:
        """Called once after the last finding."""
