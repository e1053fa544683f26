"""One check, from settings to exit status, in explicit steps.

The command line (``ftlint check``) and :func:`ftlint.testing.check_files`
both run a check through :meth:`Pipeline.check`, so what a test sees is what
a user sees. The steps, each a method below, in the order they run:

1. **run** (:meth:`Pipeline.run`): discover, read and lint the paths; the
   engine's :class:`~ftlint.run.engine.LintResult`.
2. **collect** (:meth:`Pipeline.collect`): severities, per-file ignores,
   noqa, the baseline, order and the cap; the findings a user sees.
3. **fix** (:meth:`Pipeline.fix`): each fixer applies (``--fix``) or diffs
   (``--diff``) the fixes of the collected findings; applied ones leave the
   report.
4. **report** (:meth:`Pipeline.report`): the baseline file
   (``--write-baseline``) and the reporter get the findings left.
5. **exit** (:meth:`Pipeline.exit_status`): the exit status.

Before the first step, building the pipeline resolves the rule selection (an
unknown selector stops the check before any file is read) and calls the
plugins' ``ftlint_configure``. The pipeline writes only the report and the
baseline file; the command line says what else the outcome holds (fixes that
could not be written, unreadable files).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ftlint.api.rules import Rule
from ftlint.configs.document import ConfigDocument
from ftlint.core.findings import Finding
from ftlint.core.statistics import RunStatistics
from ftlint.reporters.base import Reporter
from ftlint.run.baseline import write_baseline
from ftlint.run.collect import Collected, collect
from ftlint.run.dataset_fixes import DatasetFixer
from ftlint.run.engine import Engine, LintResult
from ftlint.run.fixes import FixOptions, FixOutcome, apply_fixes
from ftlint.run.line_ends import with_line_ends
from ftlint.run.registry import Registry
from ftlint.run.selection import Selection
from ftlint.settings.schema import Settings

#: Exit statuses, as ruff and eslint: nothing at or above ``fail-on`` found;
#: something was; a usage, settings, plugin or internal error, or a file that
#: could not be read.
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class Fixer(Protocol):
    """Fixes findings in one kind of file (see :meth:`Pipeline.fixers`)."""

    def __call__(self, findings: Sequence[Finding], options: FixOptions) -> FixOutcome:
        """Called once by the fix step with every collected finding: pick
        those this fixer can fix, apply their fixes (``options.write``) or
        only diff them, and say which findings were (or would be) fixed, the
        diff, the files changed and what could not be fixed."""
        ...


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """What a check is asked to do beyond what settings say: the paths and the
    command line's adoption, fixing and exit-status flags."""

    #: Files and folders to check (none: the working directory).
    paths: Sequence[Path] = ()
    #: Unsaved content of some of ``paths`` (resolved), linted in place of
    #: the files' bytes: stdin with ``check - --stdin-filename PATH``.
    buffers: Mapping[Path, bytes] = field(default_factory=dict)
    #: Fingerprint counts of a baseline (``--baseline``): those findings are hidden.
    baseline: Counter[str] | None = None
    #: Where to record the findings as a baseline (``--write-baseline``); exit 0.
    write_baseline: Path | None = None
    #: Report at most this many findings (``--max-findings``; default: settings').
    max_findings: int | None = None
    #: Fix (``--fix``) or diff (``--diff``) the fixable findings; None: neither.
    fix: FixOptions | None = None
    #: Exit 0 even when findings fail the check (``--exit-zero``).
    exit_zero: bool = False

    @property
    def diff_only(self) -> bool:
        """``--diff``: the diff of the fixes is the whole output."""
        return self.fix is not None and not self.fix.write


#: Opens the report for the rules that ran and what the run measured about the
#: data: a reporter ready for ``start``, closed (its stream with it) when the
#: report step is done.
ReportTarget = Callable[[Sequence[Rule], RunStatistics], AbstractContextManager[Reporter]]


class Progress(Protocol):
    """Told the bytes and records linted, of bytes in all, a few times a second
    while files are linted (a progress bar; called from another thread)."""

    def __call__(self, done: int, total: int, records: int) -> None: ...

    def close(self) -> None:
        """Called once when the run step ends, before anything is reported."""


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """What a check did: the engine's result (``errors``: files that could not
    be read), the findings reported and their summary, what fixing did (empty
    without ``fix``), and the exit status."""

    result: LintResult
    collected: Collected
    fixes: FixOutcome
    exit_status: int


class Pipeline:
    """One check of ``request`` with the rules and settings given."""

    def __init__(self, registry: Registry, settings: Settings, request: CheckRequest) -> None:
        self.settings = settings
        self.request = request
        self.selection = Selection.resolve(registry, settings)
        if registry.manager is not None:
            registry.manager.hook.ftlint_configure(settings=settings)
        self.engine = Engine(registry, settings, self.selection.enabled)

    @property
    def rules(self) -> list[Rule]:
        """The rules the check runs, with their options."""
        return self.engine.plan.rules

    def check(
        self, report_to: ReportTarget | None = None, progress: Progress | None = None
    ) -> CheckOutcome:
        """Run every step in order. ``report_to`` opens the report (None: no
        report, as for tests, which read the outcome); ``progress`` is told
        how far the run step is."""
        result = self.run(progress)
        collected = self.collect(result)
        fixes, collected = self.fix(result, collected)
        if not self.request.diff_only:
            self.report(collected, result.statistics, report_to)
        return CheckOutcome(result, collected, fixes, self.exit_status(result, collected, fixes))

    def run(self, progress: Progress | None = None) -> LintResult:
        """Step 1, first: lint the request's paths. Returns every finding the
        rules produced, the files, records and configs read, the files that
        could not be read, and the configs' documents (for noqa and fixes)."""
        try:
            return self.engine.run(self.request.paths, progress, self.request.buffers)
        finally:
            if progress is not None:
                progress.close()

    def collect(self, result: LintResult) -> Collected:
        """Step 2, after run: the findings a user sees, sorted and capped, and
        the summary (see :func:`~ftlint.run.collect.collect`)."""
        return collect(
            result,
            self.settings,
            self.selection,
            baseline=self.request.baseline,
            max_findings=self.request.max_findings,
        )

    def fix(self, result: LintResult, collected: Collected) -> tuple[FixOutcome, Collected]:
        """Step 3, after collect: without ``fix`` in the request, nothing
        happens. Otherwise each fixer (:meth:`fixers`) fixes or diffs what it
        can of the collected findings, so only findings that survived
        suppression, the baseline and the cap are fixed. Returns what fixing
        did, and the collected findings less those whose fixes were written,
        with the summary redone (no second collection)."""
        options = self.request.fix
        if options is None:
            return FixOutcome(), collected
        outcome = FixOutcome()
        for fixer in self.fixers(result):
            outcome.extend(fixer(collected.findings, options))
        if options.write and outcome.fixed:
            collected = collected.without(outcome.fixed)
        return outcome, collected

    def fixers(self, result: LintResult) -> list[Fixer]:
        """The fixers of this check, one a kind of file: config files
        (:mod:`ftlint.run.fixes`) and dataset files
        (:mod:`ftlint.run.dataset_fixes`)."""
        quarantine = Path(self.settings.quarantine_dir)
        # Files named on the command line (pre-commit's) are the only ones
        # fixed; their sibling splits are read, reported on, never rewritten.
        named = result.report_only
        dataset_fixer = DatasetFixer(
            {p: f for p, f in result.dataset_files.items() if named is None or p in named},
            self.engine.plan.reader_for,
            quarantine if quarantine.is_absolute() else self.settings.root / quarantine,
            self.settings.root,
        )
        return [_config_fixer(result.config_documents), dataset_fixer]

    def report(
        self, collected: Collected, statistics: RunStatistics, report_to: ReportTarget | None
    ) -> None:
        """Step 4, after fix, unless the request only asks for a diff: record
        the findings as a baseline when asked (``--write-baseline``), then
        hand them, in order, and the summary to the reporter ``report_to``
        opens (``start``, ``add`` each, ``finish``); findings without an end
        get the end of their line first when the format wants ends."""
        if self.request.write_baseline is not None:
            write_baseline(self.request.write_baseline, collected.findings)
        if report_to is None:
            return
        with report_to(self.rules, statistics) as reporter:
            findings = collected.findings
            if reporter.wants_ends:
                findings = with_line_ends(findings, self.request.buffers)
            reporter.start()
            for finding in findings:
                reporter.add(finding)
            reporter.finish(collected.summary)

    def exit_status(self, result: LintResult, collected: Collected, fixes: FixOutcome) -> int:
        """Step 5, last: for a diff, 1 when there is something to fix.
        Otherwise 2 when a file could not be read; 0 with ``exit_zero`` or a
        baseline written; else 1 when a finding reported is at or above
        ``fail-on``, and 0 when none is."""
        if self.request.diff_only:
            return EXIT_FINDINGS if fixes.changed else EXIT_OK
        if result.errors:
            return EXIT_ERROR
        if self.request.exit_zero or self.request.write_baseline is not None:
            return EXIT_OK
        return EXIT_FINDINGS if collected.fails(self.settings.fail_on) else EXIT_OK


def _config_fixer(documents: dict[str, ConfigDocument]) -> Fixer:
    """The safe fixes of findings in the check's config files."""

    def fix(findings: Sequence[Finding], options: FixOptions) -> FixOutcome:
        return apply_fixes(findings, documents, write=options.write)

    return fix
