"""Files -> records -> rules -> findings.

A run has three steps:

1. **Per file** (:func:`lint_unit`): read the records, shape each one, run
   the record rules, and fold the records into every dataset rule's state.
   A file unchanged since an earlier run comes from the cache
   (:mod:`ftlint.run.cache`) instead; a large JSON Lines file is cut into byte
   ranges. The run's executor (:mod:`ftlint.api.execution`; the built-in one
   is the local process pool, :mod:`ftlint.run.executors.local`) lints the
   units of a :class:`LintJob` and merges each file's states in file order.
2. **Per dataset**: hand each dataset rule the states of all the files of a
   dataset (:meth:`~ftlint.api.rules.DatasetRule.finish`).
3. **Per config**: run the config rules on the configs, which were read,
   recognised and normalised before step 1, so that the smallest sequence
   length among them sets the token limit the files are linted with (unless
   settings set ``tokens.max-tokens``).

Alongside the rules, each file folds its :class:`~ftlint.text.statistics.FileStatistics`,
merged like the rules' states; the run's statistics
(:func:`~ftlint.run.statistics.run_statistics`) are made from them at the end.

The findings then go through :mod:`ftlint.run.collect` (severities, ignores,
suppressions, baseline, order) before a reporter sees them.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import pickle
import re
import socket
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from ftlint import _version
from ftlint.api.execution import (
    Executor,
    ExecutorError,
    ExecutorOptions,
    FileOutcome,
    PlanMismatchError,
    Progress,
    RuleFailure,
    Unit,
    UnitError,
)
from ftlint.api.rules import (
    ConfigContext,
    ConfigRule,
    DatasetRule,
    Keyed,
    RecordContext,
    RecordRule,
    Rule,
)
from ftlint.configs.document import ConfigDocument, mentions_training_keys
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.core.findings import Finding
from ftlint.core.records import DatasetFile, FileState, Record, RecordView
from ftlint.core.statistics import RunStatistics
from ftlint.readers import locate_pointer, read_config, read_range, reader_for
from ftlint.readers.base import Reader, ReadError
from ftlint.readers.jsonl import JsonlReader, count_lines
from ftlint.readers.references import load_references
from ftlint.run import companions
from ftlint.run.cache import OutcomeCache, code_signature
from ftlint.run.discovery import ConfigCandidate, Discoverer, display_path
from ftlint.run.executors import local as parallel
from ftlint.run.isolation import failure_messages, internal_error
from ftlint.run.layouts import join_by_configs
from ftlint.run.registry import Registry
from ftlint.run.statistics import run_statistics
from ftlint.settings.files import validate_engine_options, validate_rule_options
from ftlint.settings.schema import Settings, SettingsError
from ftlint.shapes.base import Shape
from ftlint.text.references import References
from ftlint.text.scan import TextScan, uses_re2
from ftlint.text.tokens import TokenCounter, TokenLengths

#: Called with (bytes done, bytes total, records done) a few times a second
#: while files are linted, for a progress bar (from another thread).
ProgressCallback = Callable[[int, int, int], None]


@dataclass
class RulePlan:
    """The enabled rules of a run, instantiated with their options, and what
    they need. Picklable: it is sent to the worker processes."""

    record_rules: list[RecordRule]
    dataset_rules: list[DatasetRule[Any]]
    config_rules: list[ConfigRule]
    shapes: list[Shape]
    readers: list[Reader]
    #: Counts tokens when an enabled rule requires ``"tokens"``; None otherwise. A
    #: training config's sequence length sets its limit through
    #: :meth:`TokenCounter.with_sequence_length` before the files are linted.
    tokens: TokenCounter | None = None
    #: Whether each file's token lengths are kept (:attr:`FileOutcome.token_lengths`),
    #: for the statistics and the config rules: whenever tokens are counted.
    #: Set per run by the engine.
    token_lengths: bool = False
    #: The reference files' texts when an enabled rule requires ``"references"``
    #: and the run names any (``--reference``); None otherwise.
    references: References | None = None
    #: A dataset file's resolved path -> the sequence length of the training
    #: configs that train or evaluate on it (the smallest) and where it is set:
    #: that file's token limit, unless settings set ``max-tokens``.
    sequence_lengths: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: Each dataset rule's code -> the code of the rule that builds its state
    #: (itself, unless an earlier rule has the same ``state_key``).
    state_owners: dict[str, str] = field(default_factory=dict)
    #: The text triggers of the record rules that declare one, searched once
    #: per text for all of them (:mod:`ftlint.text.scan`); ``triggered`` holds
    #: the codes of those rules, in the order of ``text_scan.triggers``.
    text_scan: TextScan | None = None
    triggered: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        built_by: dict[Hashable, str] = {}
        for rule in self.dataset_rules:
            key = rule.state_key()
            if key is None:
                self.state_owners[rule.code] = rule.code
                continue
            # Rules that see different records cannot share what they fold.
            full_key = (key, rule.accepts_unparsed, rule.accepts_unshaped)
            self.state_owners[rule.code] = built_by.setdefault(full_key, rule.code)

    @property
    def state_builders(self) -> list[DatasetRule[Any]]:
        """The dataset rules whose ``start``/``add``/``merge`` build a state."""
        return [r for r in self.dataset_rules if self.state_owners[r.code] == r.code]

    @classmethod
    def build(cls, registry: Registry, settings: Settings, codes: Collection[str]) -> RulePlan:
        """The plan that runs the rules with these ``codes`` (see
        :class:`~ftlint.run.selection.Selection`) with the options settings give them."""
        options = validate_rule_options(
            settings, ((r.code, r.name, r.Options) for r in registry.rules.values())
        )
        rules: list[Rule] = [registry.rules[c](options.get(c)) for c in sorted(codes)]
        needs_tokens = any("tokens" in r.requires for r in rules)
        plan = cls(
            record_rules=[r for r in rules if isinstance(r, RecordRule)],
            dataset_rules=[r for r in rules if isinstance(r, DatasetRule)],
            config_rules=[r for r in rules if isinstance(r, ConfigRule)],
            shapes=list(registry.shapes),
            readers=list(registry.readers),
            tokens=TokenCounter.from_settings(settings.tokens).prepare() if needs_tokens else None,
        )
        triggers = text_triggers(plan.record_rules)
        if triggers:
            plan.text_scan = TextScan(list(triggers.values()))
            plan.triggered = tuple(triggers)
        if settings.references and any("references" in r.requires for r in rules):
            plan.references = plan.load_references(settings)
        return plan

    def load_references(self, settings: Settings) -> References:
        """Read the reference files settings name (relative to the settings
        file's folder; the command line makes its own absolute)."""
        paths = [
            Path(p) if Path(p).is_absolute() else settings.root / p for p in settings.references
        ]
        return load_references([(p, display_path(p)) for p in paths], self.readers)

    def fingerprint(self) -> str:
        """What the per-file outcomes of this plan depend on besides the files:
        the cache key's part for the run (see :mod:`ftlint.run.cache`)."""
        rules = [
            f"{r.code}:{type(r).__module__}.{type(r).__qualname__}:{r.plugin}:"
            f"{r.options.model_dump_json()}"
            for r in [*self.record_rules, *self.dataset_rules]
        ]
        parts = [
            _version.__version__,
            *rules,
            *(f"{type(s).__module__}.{type(s).__qualname__}:{s.name}" for s in self.shapes),
            *(f"{type(r).__module__}.{type(r).__qualname__}" for r in self.readers),
            repr(self.tokens),
            f"sequence lengths: {sorted(self.sequence_lengths.items())}",
            f"token lengths: {self.token_lengths}",
            self.references.digest if self.references is not None else "",
        ]
        modules = {"ftlint", *(type(r).__module__.split(".")[0] for r in self.rules)}
        parts.append(code_signature(sorted(modules)))
        return "\n".join(parts)

    @property
    def rules(self) -> list[Rule]:
        return [*self.record_rules, *self.dataset_rules, *self.config_rules]

    def tokens_for(self, file: DatasetFile) -> TokenCounter | None:
        """The token counter for ``file``: with the limit of the configs that
        train on it, if any (a config's limit is no business of other data)."""
        length = self.sequence_lengths.get(str(file.path.resolve()))
        if self.tokens is None or length is None:
            return self.tokens
        return self.tokens.with_sequence_length(*length)

    def reader_for(self, path: Path) -> Reader:
        """The reader of a dataset file (see :func:`ftlint.readers.reader_for`)."""
        reader = reader_for(path, self.readers)
        if reader is None:
            raise ReadError(f"{path}: no reader for this file type")
        return reader

    def shape(self, value: Any) -> RecordView | None:
        for shape in self.shapes:
            view = shape.match(value)
            if view is not None:
                return view
        return None


def lint_unit(unit: Unit, plan: RulePlan) -> FileOutcome:
    """Lint a whole file or a numbered byte range of one (see
    :mod:`ftlint.api.execution`)."""
    file = unit.file
    try:
        if file.content is not None:
            records = plan.reader_for(file.path).read_content(file.content, file.path, file.display)
        elif unit.end is None:
            records = plan.reader_for(file.path).read(file.path, file.display)
        else:
            records = read_range(
                file.path, file.display, unit.start, unit.end, unit.first_line, unit.first_index
            )
        return _lint_records(file, plan, records, parallel.UnitProgress(unit))
    except ReadError as error:
        return FileOutcome(file, error=str(error))


def _lint_records(
    file: DatasetFile, plan: RulePlan, records: Iterable[Record], progress: parallel.UnitProgress
) -> FileOutcome:
    outcome = FileOutcome(file, states={r.code: r.start() for r in plan.state_builders})
    if plan.tokens is not None and plan.token_lengths:
        outcome.token_lengths = TokenLengths()
    by_kind = _rules_by_record_kind(plan)
    pinpoint = plan.reader_for(file.path).raw_is_json_source
    counter = plan.tokens_for(file)
    # What the loop needs, bound to locals once (each dataset rule's add with
    # its state): the loop runs for every record, and lookups add up.
    findings = outcome.findings
    checks, adders = _bound_rules(by_kind, outcome)
    scan = plan.text_scan
    triggered = _triggered_rules(plan, outcome)
    shape, references, lengths = plan.shape, plan.references, outcome.token_lengths
    observe = outcome.statistics.add
    line = 0
    try:
        for record in records:
            line = record.line
            outcome.records += 1
            view = shape(record.value) if record.error is None else None
            context = RecordContext(file, record, view, counter, references)
            if view is not None:
                kind = "shaped"
                rules = checks[kind]
                if scan is not None:
                    hits = scan.matching([t.text for t in view.texts() if t.text])
                    if hits:
                        rules = rules + [r for i in sorted(hits) if (r := triggered[i]) is not None]
            else:
                kind = "unshaped" if record.error is None else "unparsed"
                rules = checks[kind]
            failures = len(outcome.failures)
            for rule in rules:
                try:
                    for finding in rule.check(context):
                        findings.append(_settle(finding, context, pinpoint))
                except Exception as error:  # isolated: see ftlint.run.isolation
                    _fail(outcome, rule, "check", f"{file.display}:{record.line}", error)
            for add, state, builder in adders[kind]:
                try:
                    add(state, context)
                except Exception as error:
                    _fail(outcome, builder, "add", f"{file.display}:{record.line}", error)
            if len(outcome.failures) != failures:  # rare: drop the rules that raised
                checks, adders = _bound_rules(by_kind, outcome)
                triggered = _triggered_rules(plan, outcome)
            observe(view, record.error is None)
            if lengths is not None and view is not None:
                lengths.add(context.token_length)
            if not outcome.records % parallel.PROGRESS_EVERY:
                progress.at(record.offset, outcome.records)
    except ReadError as error:
        outcome.error = str(error)
    except Exception as error:  # a reader, a shape, ftlint: the file's error, not the run's
        outcome.error = internal_error(f"{file.display}:{line}" if line else file.display, error)
    progress.done(outcome.records)
    return outcome


#: The rules of each record kind, as :func:`_lint_records` calls them.
_CheckRules = dict[str, list[RecordRule]]
_AddRules = dict[str, list[tuple[Callable[[Any, RecordContext], None], Any, DatasetRule[Any]]]]


def _bound_rules(
    by_kind: dict[str, tuple[list[RecordRule], list[DatasetRule[Any]]]], outcome: FileOutcome
) -> tuple[_CheckRules, _AddRules]:
    """The record rules and the dataset rules' ``add`` with its state, by
    record kind, bound to locals once (the loop runs for every record and
    lookups add up), without the rules that have raised on this file."""
    failed = outcome.failed
    checks = {
        kind: [r for r in record_rules if r.code not in failed]
        for kind, (record_rules, _) in by_kind.items()
    }
    adders: _AddRules = {
        kind: [(r.add, outcome.states[r.code], r) for r in dataset_rules if r.code not in failed]
        for kind, (_, dataset_rules) in by_kind.items()
    }
    return checks, adders


def _triggered_rules(plan: RulePlan, outcome: FileOutcome) -> list[RecordRule | None]:
    """The rules of ``plan.triggered`` in the order of the scan's triggers,
    None for those that have raised on this file."""
    by_code = {r.code: r for r in plan.record_rules}
    return [by_code[c] if c not in outcome.failed else None for c in plan.triggered]


def text_triggers(rules: Iterable[RecordRule]) -> dict[str, str]:
    """Rule code -> text trigger, for the rules that declare one that
    compiles. A rule whose trigger raises or does not compile is called on
    every record, as if it had none: slower, never wrong."""
    triggers: dict[str, str] = {}
    for rule in rules:
        try:
            trigger = rule.text_trigger()
            if trigger is None:
                continue
            if not uses_re2(trigger):
                re.compile(trigger)  # what the scan falls back to; raises if it cannot
        except Exception:  # a plugin's mistake costs it speed, not findings
            continue
        triggers[rule.code] = trigger
    return triggers


def _fail(outcome: FileOutcome, rule: Rule, step: str, where: str, error: Exception) -> None:
    """Note on the outcome being built that ``rule`` raised ``error``, and drop
    its half-built state."""
    outcome.failures.append(RuleFailure.of(rule, step, where, error))
    outcome.states.pop(rule.code, None)


def merge_outcomes(plan: RulePlan, earlier: FileOutcome, later: FileOutcome) -> FileOutcome:
    """The outcome of two adjacent units of a file: findings one after the
    other, states merged with each rule's ``merge``. Changes neither input."""
    if earlier.error is not None or later.error is not None:
        return FileOutcome(earlier.file, error=earlier.error or later.error)
    lengths = earlier.token_lengths
    if lengths is not None and later.token_lengths is not None:
        lengths = lengths.followed_by(later.token_lengths)
    failures = earlier.failures + later.failures
    failed = {f.code for f in failures}
    states: dict[str, Any] = {}
    for rule in plan.state_builders:
        if rule.code in failed:
            continue
        try:
            states[rule.code] = rule.merge(earlier.states[rule.code], later.states[rule.code])
        except Exception as error:  # isolated: see ftlint.run.isolation
            failures.append(RuleFailure.of(rule, "merge", earlier.file.display, error))
    return FileOutcome(
        earlier.file,
        findings=earlier.findings + later.findings,
        states=states,
        records=earlier.records + later.records,
        token_lengths=lengths,
        statistics=earlier.statistics.followed_by(later.statistics),
        failures=failures,
    )


class LintJob:
    """A run's :class:`~ftlint.api.execution.Job`: its plan, and linting,
    counting and merging with it.

    The plan travels pickled inside the job and is unpickled on first use,
    after :meth:`verify`: a worker whose ftlint or plugins differ from the
    driver's refuses with the difference, rather than failing to unpickle a
    class it lacks or linting with other rules."""

    def __init__(self, plan: RulePlan) -> None:
        self._plan: RulePlan | None = plan
        self._pickled: bytes | None = None
        #: The top-level packages of the plan's rules, shapes and readers.
        self.packages = sorted(
            {type(p).__module__.split(".")[0] for p in [*plan.rules, *plan.shapes, *plan.readers]}
        )
        self.fingerprint = installed(self.packages)

    @property
    def plan(self) -> RulePlan:
        if self._plan is None:
            self.verify()
            assert self._pickled is not None
            self._plan = pickle.loads(self._pickled)
        return self._plan

    def __getstate__(self) -> dict[str, Any]:
        pickled = self._pickled
        if pickled is None:
            pickled = pickle.dumps(self._plan, protocol=pickle.HIGHEST_PROTOCOL)
        return {"fingerprint": self.fingerprint, "packages": self.packages, "plan": pickled}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.fingerprint, self.packages = state["fingerprint"], state["packages"]
        self._pickled, self._plan = state["plan"], None

    def verify(self) -> None:
        here = installed(self.packages)
        if here != self.fingerprint:
            driver, worker = self.fingerprint.splitlines(), here.splitlines()
            differences = [
                f"driver: {d}; this worker: {w}"
                for d, w in zip(driver, worker, strict=True)
                if d != w
            ]
            raise PlanMismatchError(
                f"worker {socket.gethostname()} refuses the plan: its ftlint or plugins "
                f"differ from the driver's ({'; '.join(differences)}); install the same "
                "versions everywhere"
            )

    def count(self, unit: Unit) -> tuple[int, int]:
        assert unit.end is not None
        with _failing_as(unit):
            return count_lines(unit.file.path, unit.start, unit.end)

    def lint(self, unit: Unit) -> FileOutcome:
        with _failing_as(unit):
            return lint_unit(unit, self.plan)

    def merge(self, earlier: FileOutcome, later: FileOutcome) -> FileOutcome:
        return merge_outcomes(self.plan, earlier, later)

    def partitioned(self) -> list[str]:
        plan = self.plan
        users: dict[str, list[DatasetRule[Any]]] = defaultdict(list)
        for rule in plan.dataset_rules:
            users[plan.state_owners[rule.code]].append(rule)
        return [
            rule.code
            for rules in users.values()
            if all(r.finishes_by_partition for r in rules)
            for rule in rules
        ]

    def strip(self, outcome: FileOutcome) -> FileOutcome:
        withheld = {self.plan.state_owners[code] for code in self.partitioned()}
        kept = {code: s for code, s in outcome.states.items() if code not in withheld}
        return replace(outcome, states=kept)

    def emit(
        self, code: str, files: Sequence[DatasetFile], index: int, outcome: FileOutcome, parts: int
    ) -> list[Keyed]:
        rule = self._dataset_rule(code)
        rows = rule.emit(files, index, outcome.states[self.plan.state_owners[code]])
        partition = rows["key"] % np.uint64(parts)
        order = np.argsort(partition, kind="stable")
        bounds = np.searchsorted(partition[order], np.arange(1, parts, dtype=np.uint64))
        return np.split(rows[order], bounds)

    def pairs(self, code: str, pieces: Sequence[Keyed]) -> Keyed:
        return self._dataset_rule(code).pairs(np.concatenate(pieces))

    def verifies(self, code: str) -> bool:
        return self._dataset_rule(code).verifies_pairs

    def batches(
        self, code: str, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> list[tuple[int, int, Keyed]]:
        return self._dataset_rule(code).batches(files, found)

    def verify_pairs(
        self, code: str, pairs: Keyed, earlier: FileOutcome, later: FileOutcome
    ) -> Keyed:
        owner = self.plan.state_owners[code]
        return self._dataset_rule(code).verify(pairs, earlier.states[owner], later.states[owner])

    def finish_pairs(
        self, code: str, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> list[Finding]:
        return list(self._dataset_rule(code).finish_pairs(files, found))

    def _dataset_rule(self, code: str) -> DatasetRule[Any]:
        return next(rule for rule in self.plan.dataset_rules if rule.code == code)


@contextlib.contextmanager
def _failing_as(unit: Unit) -> Iterator[None]:
    """Turn what escapes linting ``unit`` (a crash, not a finding) into a
    :class:`~ftlint.api.execution.UnitError` naming the unit, which the
    command line reports with exit status 2 wherever the unit ran."""
    try:
        yield
    except ExecutorError:
        raise
    except Exception as error:
        raise UnitError(unit, f"{type(error).__name__}: {error}") from error


def installed(packages: Sequence[str]) -> str:
    """This process's ftlint version and, for each of ``packages``, the
    distribution that provides it with its version: what a worker must share
    with the driver. One line each."""
    distributions = _distributions()
    lines = [f"ftlint {_version.__version__}"]
    for package in packages:
        names = distributions.get(package, [])
        found = ", ".join(f"{n} {importlib.metadata.version(n)}" for n in sorted(set(names)))
        lines.append(f"{package}: {found or 'not installed'}")
    return "\n".join(lines)


@functools.cache
def _distributions() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


def _settle(finding: Finding, context: RecordContext, pinpoint: bool) -> Finding:
    """Give a record rule's finding its content key and, when the record's raw
    text is the file's own JSON (``pinpoint``), the line and column its pointer
    names inside the record (a JSON array element spans lines; a long JSONL
    line is easier to read at the right column). Findings are rare, so
    locating them costs nothing on clean data."""
    changes: dict[str, Any] = {}
    if not finding.content_key:
        changes["content_key"] = context.raw_hash
    location = finding.location
    record = context.record
    if pinpoint and location.pointer and location.line == record.line:
        found = locate_pointer(record.raw, location.pointer)
        if found is not None:
            offset, column = found
            changes["location"] = replace(
                location,
                line=record.line + offset,
                column=column if offset else record.column + column - 1,
            )
    return replace(finding, **changes) if changes else finding


def _rules_by_record_kind(
    plan: RulePlan,
) -> dict[str, tuple[list[RecordRule], list[DatasetRule[Any]]]]:
    # Shaped records go to the rules with a text trigger only where the scan
    # says so (see _lint_records); unshaped and unparsed ones have no texts.
    untriggered = [r for r in plan.record_rules if r.code not in plan.triggered]
    return {
        "shaped": (untriggered, plan.state_builders),
        "unshaped": (
            [r for r in plan.record_rules if r.accepts_unshaped],
            [r for r in plan.state_builders if r.accepts_unshaped],
        ),
        "unparsed": (
            [r for r in plan.record_rules if r.accepts_unparsed],
            [r for r in plan.state_builders if r.accepts_unparsed],
        ),
    }


@dataclass
class Inputs:
    """What a run reads (:meth:`Engine.inputs`). ``report_only``: the display
    paths whose findings are reported, None for all; ``errors``: paths that do
    not exist or cannot be read, named configs that do not parse; ``skipped``:
    YAML and JSON files found but not linted, with why; ``unread``: files of a
    type no reader takes, for ``--show-files`` only; ``warnings``: special files skipped
    in folders, named folders with nothing to lint."""

    datasets: list[DatasetFile]
    configs: list[ConfigContext]
    report_only: set[str] | None
    errors: list[str]
    skipped: list[tuple[str, str]]
    warnings: list[str] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class LintResult:
    """Everything a run found, before collection. ``errors`` are files that could
    not be read at all (exit 2)."""

    findings: list[Finding]
    files: int
    records: int
    configs: int
    errors: list[str]
    #: (path, why) of each file found in a folder but not linted.
    skipped: list[tuple[str, str]]
    report_only: set[str] | None
    config_documents: dict[str, ConfigDocument]
    seconds: float
    statistics: RunStatistics = field(default_factory=RunStatistics)
    #: The dataset files read, by display path (for fixes).
    dataset_files: dict[str, DatasetFile] = field(default_factory=dict)
    #: What was skipped, and named folders with nothing to lint (exit status unchanged).
    warnings: list[str] = field(default_factory=list)


class Engine:
    """Runs a :class:`RulePlan` of the rules with ``codes`` over paths."""

    def __init__(self, registry: Registry, settings: Settings, codes: Collection[str]) -> None:
        self.registry = registry
        self.settings = settings
        self._base_plan = RulePlan.build(registry, settings, codes)
        #: The plan of the current run: the base plan with the limit its configs set.
        self.plan = self._base_plan
        self.catalog = ModelCatalog(registry.models)
        self._executor_class, self._executor_options = self._choose_executor()

    def inputs(self, paths: Sequence[Path], buffers: Mapping[Path, bytes] | None = None) -> Inputs:
        """What a run over ``paths`` reads: the dataset files with their
        datasets and splits, and the configs, read and recognised (configs come
        first: their sequence lengths set the limit the files are linted
        with, and their datasets join the files' datasets). ``buffers`` maps
        resolved paths among ``paths`` to unsaved content (stdin, an editor's
        buffer), read as if it were the file's."""
        discoverer = Discoverer(self.settings, self.plan.readers)
        discovery = discoverer.discover(paths, buffers)
        inputs = Inputs(
            datasets=discovery.datasets,
            configs=[],
            report_only=discovery.report_only,
            errors=[f"{p}: no such file or folder" for p in discovery.missing] + discovery.errors,
            skipped=list(discovery.skipped),
            warnings=list(discovery.warnings),
            unread=list(discovery.unread),
        )
        for candidate in discovery.configs:
            config = self._read_config(candidate, inputs.errors, inputs.skipped)
            if config is not None:
                inputs.configs.append(config)
        if inputs.report_only is not None:
            self._add_companions(discoverer, inputs)
        inputs.datasets = join_by_configs(
            inputs.datasets,
            [(c.document.display, c.view) for c in inputs.configs if c.view is not None],
        )
        return inputs

    def _add_companions(self, discoverer: Discoverer, inputs: Inputs) -> None:
        """The configs and data named files need (:mod:`ftlint.run.companions`):
        the configs under the settings root (or the repository's top) that
        train on a named dataset file, then the local files of every config
        of the run."""
        assert inputs.report_only is not None
        named = {f.path.resolve() for f in inputs.datasets if f.display in inputs.report_only}
        if named:
            known = {c.document.path.resolve() for c in inputs.configs}
            root = companions.search_root(
                self.settings.root, self.settings.source is not None, named
            )
            names = companions.names_of(named, root)
            for candidate in discoverer.config_candidates(root):
                if candidate.path in known or not companions.mentions(candidate.path, names):
                    continue
                config = self._read_config(candidate, [], [])
                view = config.view if config is not None else None
                if config is not None and view and named.intersection(companions.local_files(view)):
                    inputs.configs.append(config)
        have = {f.path.resolve() for f in inputs.datasets}
        for config in inputs.configs:
            for path in companions.local_files(config.view) if config.view else ():
                if path not in have and discoverer.is_lintable(path):
                    inputs.datasets.append(discoverer.dataset_file(path))
                    have.add(path)
        inputs.datasets.sort(key=lambda f: f.display)

    def run(
        self,
        paths: Sequence[Path],
        progress: ProgressCallback | None = None,
        buffers: Mapping[Path, bytes] | None = None,
    ) -> LintResult:
        """Lint ``paths``. ``buffers`` maps resolved paths among them to unsaved
        content (stdin, an editor's buffer), linted as if it were the file's."""
        started = time.perf_counter()
        inputs = self.inputs(paths, buffers)
        configs, errors = inputs.configs, inputs.errors
        self.plan = self._plan_for(configs)

        job = LintJob(self.plan)
        with self._executor_class(self._executor_options, self.settings.jobs) as executor:
            outcomes = list(self._lint_files(inputs.datasets, progress, executor, job))
            finished, finish_failures = self._finish_datasets(outcomes, executor, job)
        findings = [f for o in outcomes for f in o.findings]
        errors += [o.error for o in outcomes if o.error]
        failures = [f for o in outcomes for f in o.failures] + finish_failures
        findings += finished

        record_counts = {o.file.display: o.records for o in outcomes}
        token_lengths = {
            o.file.display: o.token_lengths.resolved()
            for o in outcomes
            if o.token_lengths is not None
        }
        named = {
            display_path(p) for p in paths if p.is_file() or (buffers and p.resolve() in buffers)
        }
        explicit = frozenset(d for d in record_counts if d in named)
        contexts = [
            replace(
                config,
                datasets=dict(record_counts),
                token_lengths=token_lengths,
                explicit_datasets=explicit,
            )
            for config in configs
        ]
        for context in contexts:
            for rule in self.plan.config_rules:
                try:
                    findings.extend(rule.check(context))
                except Exception as error:  # isolated: see ftlint.run.isolation
                    where = context.document.display
                    failures.append(RuleFailure.of(rule, "check", where, error))
        errors += failure_messages(failures)
        statistics = run_statistics(
            outcomes,
            findings,
            contexts,
            self._counters(outcomes),
            {r.code for r in self.plan.rules},
        )

        return LintResult(
            findings=findings,
            files=len(outcomes),
            records=sum(o.records for o in outcomes),
            configs=len(configs),
            errors=errors,
            skipped=inputs.skipped,
            report_only=inputs.report_only,
            config_documents={c.document.display: c.document for c in configs},
            seconds=time.perf_counter() - started,
            statistics=statistics,
            dataset_files={o.file.display: o.file for o in outcomes},
            warnings=inputs.warnings,
        )

    def _counters(self, outcomes: Sequence[FileOutcome]) -> dict[str, TokenCounter]:
        """Each file's token counter (with its limit), when the run counts tokens."""
        counters = {o.file.display: self.plan.tokens_for(o.file) for o in outcomes}
        return {display: c for display, c in counters.items() if c is not None}

    def _plan_for(self, configs: Sequence[ConfigContext]) -> RulePlan:
        """The run's plan: the engine's, with the token limits the configs set.

        Every config's sequence length (its framework's default included) is a
        length the data is compared with (rule H011), so records longer than it
        are counted exactly; one the config sets itself is also the limit (T001)
        of the local files it trains or evaluates on, and of no other file.
        The lengths of the files are kept whenever tokens are counted (the
        statistics report them). Both are part of :meth:`RulePlan.fingerprint`, so outcomes cached
        under another limit are not reused.
        """
        counter = self._base_plan.tokens
        if counter is None:
            return self._base_plan
        lengths: dict[str, tuple[int, str]] = {}
        for config in configs:
            view = config.view
            length = view.sequence_len if view else None
            if view is None or length is None:
                continue
            if length.default:
                counter = counter.counting_exactly_over(length.value)
                continue
            source = f"{length.key} in {config.document.display}"
            for reference in (*view.datasets, *view.eval_datasets):
                for path in reference.local_files:
                    key = str(Path(path).resolve())
                    if key not in lengths or length.value < lengths[key][0]:
                        lengths[key] = (length.value, source)
        return replace(
            self._base_plan, tokens=counter, token_lengths=True, sequence_lengths=lengths
        )

    def _lint_files(
        self,
        files: Sequence[DatasetFile],
        progress: ProgressCallback | None,
        executor: Executor,
        job: LintJob,
    ) -> Iterator[FileOutcome]:
        """Every file's outcome, in file order: from the cache when the file has
        not changed, else linted by the executor and cached. (An executor that
        finishes rules itself keeps their states: those runs are not cached.)"""
        cache = None if executor.finishes(job) else self._cache()
        keys: dict[str, str] = {}
        outcomes: dict[str, FileOutcome] = {}
        for file in files:
            if cache is None:
                break
            if file.content is not None:
                continue  # unsaved text changes with every keystroke: never cached
            try:
                keys[file.display] = cache.key(file)
            except OSError:
                continue  # unreadable: linting it reports why
            cached = cache.load(file, keys[file.display])
            if isinstance(cached, FileOutcome):
                outcomes[file.display] = replace(cached, file=file)
        if cache is not None:
            cache.save_digests()
        total, done = sum(f.size for f in files), sum(o.file.size for o in outcomes.values())
        records = sum(o.records for o in outcomes.values())
        missing = [f for f in files if f.display not in outcomes]
        tally: Progress = Progress()  # no one is watching: counts nothing
        watching: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
        if progress is not None:
            tally = parallel.Tally()
            tally.add(done, records)  # what the cache had
            watching = tally.reporting(progress, total)
        with watching:
            for outcome in self._lint_missing(missing, tally, executor, job):
                outcomes[outcome.file.display] = outcome
                key = keys.get(outcome.file.display)
                if (
                    cache is not None
                    and key is not None
                    and outcome.error is None
                    and not outcome.failures
                ):
                    cache.store(outcome.file, key, outcome)
        for file in files:
            yield outcomes[file.display]

    def _cache(self) -> OutcomeCache | None:
        if not self.settings.cache:
            return None
        folder = Path(self.settings.cache_dir)
        if not folder.is_absolute():
            folder = self.settings.root / folder
        return OutcomeCache(folder, self.plan.fingerprint())

    def _lint_missing(
        self,
        files: Sequence[DatasetFile],
        progress: Progress,
        executor: Executor,
        job: LintJob,
    ) -> Iterator[FileOutcome]:
        """Lint ``files`` unit by unit with the run's executor, which reports
        what it reads to ``progress``; each file's outcome, merged, in file order."""
        units = [parallel.cut(f, self.settings.shard_size, self._shardable(f)) for f in files]
        return executor.lint(job, units, progress)

    def _choose_executor(self) -> tuple[type[Executor], ExecutorOptions]:
        """The executor ``engine`` names in settings, and its validated options."""
        name = self.settings.engine.name
        chosen = self.registry.executors.get(name)
        if chosen is None:
            raise SettingsError(
                f"unknown engine '{name}'; choose from {', '.join(sorted(self.registry.executors))}"
            )
        return chosen, validate_engine_options(self.settings, chosen.Options)

    def _shardable(self, file: DatasetFile) -> bool:
        if file.content is not None:
            return False  # unsaved text is in memory, and small
        try:
            return parallel.is_plain_jsonl(file.path) and isinstance(
                self.plan.reader_for(file.path), JsonlReader
            )
        except ReadError:
            return False

    def _finish_datasets(
        self, outcomes: Sequence[FileOutcome], executor: Executor, job: LintJob
    ) -> tuple[list[Finding], list[RuleFailure]]:
        """Each dataset rule's findings on the files of each dataset: by the
        executor for the rules it finishes by partitions, else here, with
        every state of the dataset, but for the rules whose state a failure
        left half-built; and the failures of ``finish``. The executor's
        partitioned finish covers its rules together, so when one of them
        failed on a file it is skipped whole (the run reports the failure
        and exits 2)."""
        by_executor = set(executor.finishes(job))
        failed = {f.code for o in outcomes for f in o.failures}
        failures: list[RuleFailure] = []
        datasets: dict[str, list[FileOutcome]] = defaultdict(list)
        for outcome in outcomes:
            if outcome.error is None:
                datasets[outcome.file.dataset].append(outcome)
        findings: list[Finding] = []
        ordered = sorted(datasets.items())
        for name, members in ordered:
            members.sort(key=lambda o: o.file.display)
            for rule in self.plan.dataset_rules:
                if rule.code in by_executor:
                    continue
                owner = self.plan.state_owners[rule.code]
                if owner in failed or rule.code in failed:
                    continue
                states = [FileState(o.file, o.states[owner]) for o in members]
                try:
                    findings.extend(rule.finish(states))
                except Exception as error:  # isolated: see ftlint.run.isolation
                    failures.append(RuleFailure.of(rule, "finish", f"dataset {name}", error))
        owners = {self.plan.state_owners[code] for code in by_executor}
        if by_executor and failed.isdisjoint(by_executor | owners):
            findings.extend(executor.finish(job, [[o.file for o in m] for _, m in ordered]))
        return findings, failures

    def _read_config(
        self, candidate: ConfigCandidate, errors: list[str], skipped: list[tuple[str, str]]
    ) -> ConfigContext | None:
        """Read, recognise and normalise a config, before the files are linted:
        its context lacks only what they tell (records, token lengths). None when
        it is not one to lint: then ``errors`` or ``skipped`` says why."""
        try:
            document = read_config(candidate.path, candidate.display, candidate.content)
        except ReadError as error:
            # A stray YAML file that does not parse is none of our business; a
            # training config the user named is, and not linting it is an error.
            if candidate.explicit and mentions_training_keys(_text_of(candidate)):
                errors.append(str(error))
            else:
                # The error starts with the path; the list of skipped files shows it already.
                where_why = str(error).removeprefix(f"{candidate.display}:")
                skipped.append((candidate.display, f"does not parse: {where_why}"))
            return None
        framework = self._recognise(document)
        # A YAML or JSON file found in a folder is linted only when it is a
        # config we know; one the user named is always handed to the config
        # rules, which say what it is (K005).
        if framework is None and not candidate.explicit:
            skipped.append((candidate.display, "no known training framework recognises it"))
            return None
        return ConfigContext(
            document,
            framework.name if framework else None,
            view=framework.normalise(document, self.catalog) if framework else None,
            spec=framework,
            devices=self.settings.devices,
            catalog=self.catalog,
        )

    def _recognise(self, document: ConfigDocument) -> ConfigFramework | None:
        best, best_score = None, 0.5
        for framework in self.registry.frameworks:
            score = framework.recognise(document)
            if score > best_score:
                best, best_score = framework, score
        return best


def _text_of(candidate: ConfigCandidate) -> str:
    if candidate.content is not None:
        return candidate.content.decode("utf-8", errors="replace")
    try:
        return candidate.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
