"""Files -> records -> rules -> findings.

A run has three steps:

1. **Per file** (:func:`lint_file`): read the records, shape each one, run
   the record rules, and fold the records into every dataset rule's state.
   A file unchanged since an earlier run comes from the cache
   (:mod:`ftlint.run.cache`) instead; a large JSON Lines file is cut into byte
   ranges, linted in worker processes when ``jobs > 1``, whose states are
   merged in file order (:mod:`ftlint.run.executors.local`).
2. **Per dataset**: hand each dataset rule the states of all the files of a
   dataset (:meth:`~ftlint.api.rules.DatasetRule.finish`).
3. **Per config**: run the config rules on the configs, which were read,
   recognised and normalised before step 1, so that the smallest sequence
   length among them sets the token limit the files are linted with (unless
   settings set ``tokens.max-tokens``).

The findings then go through :mod:`ftlint.run.collect` (severities, ignores,
suppressions, baseline, order) before a reporter sees them.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ftlint._version import __version__
from ftlint.api.rules import ConfigContext, ConfigRule, DatasetRule, RecordContext, RecordRule, Rule
from ftlint.configs.document import ConfigDocument, mentions_training_keys
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.core.findings import Finding
from ftlint.core.records import DatasetFile, FileState, Record, RecordView
from ftlint.readers import locate_pointer, read_config, read_range
from ftlint.readers.base import Reader, ReadError
from ftlint.readers.jsonl import JsonlReader
from ftlint.readers.references import load_references
from ftlint.run.cache import OutcomeCache, code_signature
from ftlint.run.discovery import ConfigCandidate, Discoverer, display_path
from ftlint.run.executors import local as parallel
from ftlint.run.isolation import RuleFailure, failure_messages, internal_error
from ftlint.run.registry import Registry
from ftlint.settings.files import validate_rule_options
from ftlint.settings.schema import Settings, SettingsError
from ftlint.shapes.base import Shape
from ftlint.text.references import References
from ftlint.text.tokens import TokenCounter, TokenLengths

#: Called with (bytes done, bytes total) as files finish, for a progress bar.
ProgressCallback = Callable[[int, int], None]


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
    #: Whether each file's token lengths are kept for the config rules
    #: (:attr:`FileOutcome.token_lengths`): when the run has configs and a config
    #: rule requiring ``"tokens"``. Set per run by the engine.
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
    def build(cls, registry: Registry, settings: Settings) -> RulePlan:
        codes = enabled_codes(registry, settings)
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
        if settings.references and any("references" in r.requires for r in rules):
            plan.references = plan.load_references(settings)
        return plan

    def load_references(self, settings: Settings) -> References:
        """Read the reference files settings name (relative to the settings
        file's folder; the command line makes its own absolute)."""
        paths = [
            Path(p) if Path(p).is_absolute() else settings.root / p for p in settings.references
        ]

        def reader(path: Path) -> Reader | None:
            return next((r for r in self.readers if r.accepts(path)), None)

        return load_references([(p, display_path(p)) for p in paths], reader)

    def fingerprint(self) -> str:
        """What the per-file outcomes of this plan depend on besides the files:
        the cache key's part for the run (see :mod:`ftlint.run.cache`)."""
        rules = [
            f"{r.code}:{type(r).__module__}.{type(r).__qualname__}:{r.plugin}:"
            f"{r.options.model_dump_json()}"
            for r in [*self.record_rules, *self.dataset_rules]
        ]
        parts = [
            __version__,
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
        for reader in self.readers:
            if reader.accepts(path):
                return reader
        raise ReadError(f"{path}: no reader for this file type")

    def shape(self, value: Any) -> RecordView | None:
        for shape in self.shapes:
            view = shape.match(value)
            if view is not None:
                return view
        return None


def enabled_codes(registry: Registry, settings: Settings) -> set[str]:
    """The codes a run enables: ``select`` (default: every default-enabled rule)
    plus ``extend-select``, minus ``ignore``."""

    def resolve(selectors: Iterable[str], key: str) -> set[str]:
        codes: set[str] = set()
        for selector in selectors:
            try:
                codes |= registry.select(selector)
            except KeyError:
                raise SettingsError(f"{key}: unknown rule or prefix '{selector}'") from None
        return codes

    if settings.select is None:
        selected = {c for c, r in registry.rules.items() if r.default_enabled}
    else:
        selected = resolve(settings.select, "select")
    selected |= resolve(settings.extend_select, "extend-select")
    return selected - resolve(settings.ignore, "ignore")


@dataclass
class FileOutcome:
    """What one file produced: its record-rule findings and dataset-rule states.

    ``token_lengths`` holds, in file order, the length of every shaped
    record (exact or to be estimated, see :class:`~ftlint.text.tokens.TokenLengths`)
    when the plan keeps them for the config rules, else None.
    """

    file: DatasetFile
    findings: list[Finding] = field(default_factory=list)
    states: dict[str, Any] = field(default_factory=dict)
    records: int = 0
    error: str | None = None
    token_lengths: TokenLengths | None = None
    #: The rules that raised (see :mod:`ftlint.run.isolation`); their states are
    #: not in ``states``.
    failures: list[RuleFailure] = field(default_factory=list)

    def fail(self, rule: Rule, step: str, where: str, error: Exception) -> None:
        """Record that ``rule`` raised ``error`` and drop its state."""
        self.failures.append(RuleFailure.of(rule, step, where, error))
        self.states.pop(rule.code, None)

    @property
    def failed(self) -> set[str]:
        """The codes of the rules that raised on this file."""
        return {f.code for f in self.failures}


def lint_file(file: DatasetFile, plan: RulePlan) -> FileOutcome:
    """Read one dataset file and run the per-record part of every rule on it."""
    return lint_unit(parallel.Unit(file), plan)


def lint_unit(unit: parallel.Unit, plan: RulePlan | None = None) -> FileOutcome:
    """Lint a whole file or a byte range of one (see :mod:`ftlint.run.executors.local`);
    in a worker process, with the plan installed there."""
    plan = plan if plan is not None else parallel.plan()
    assert plan is not None
    file = unit.file
    try:
        if unit.end is None:
            records = plan.reader_for(file.path).read(file.path, file.display)
        else:
            records = read_range(
                file.path, file.display, unit.start, unit.end, unit.first_line, unit.first_index
            )
        return _lint_records(file, plan, records)
    except ReadError as error:
        return FileOutcome(file, error=str(error))


def _lint_records(file: DatasetFile, plan: RulePlan, records: Iterable[Record]) -> FileOutcome:
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
    shape, references, lengths = plan.shape, plan.references, outcome.token_lengths
    line = 0
    try:
        for record in records:
            line = record.line
            outcome.records += 1
            view = shape(record.value) if record.error is None else None
            context = RecordContext(file, record, view, counter, references)
            if view is not None:
                kind = "shaped"
            else:
                kind = "unshaped" if record.error is None else "unparsed"
            failures = len(outcome.failures)
            for rule in checks[kind]:
                try:
                    for finding in rule.check(context):
                        findings.append(_settle(finding, context, pinpoint))
                except Exception as error:  # isolated: see ftlint.run.isolation
                    outcome.fail(rule, "check", f"{file.display}:{record.line}", error)
            for add, state, builder in adders[kind]:
                try:
                    add(state, context)
                except Exception as error:
                    outcome.fail(builder, "add", f"{file.display}:{record.line}", error)
            if len(outcome.failures) != failures:  # rare: drop the rules that raised
                checks, adders = _bound_rules(by_kind, outcome)
            if lengths is not None and view is not None:
                lengths.add(context.token_length)
    except ReadError as error:
        outcome.error = str(error)
    except Exception as error:  # a reader, a shape, ftlint: the file's error, not the run's
        outcome.error = internal_error(f"{file.display}:{line}" if line else file.display, error)
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


def merge_outcomes(plan: RulePlan, earlier: FileOutcome, later: FileOutcome) -> FileOutcome:
    """The outcome of two consecutive units of a file: findings one after the
    other, states merged with each rule's ``merge`` (which may reuse
    ``earlier``'s)."""
    if earlier.error is not None or later.error is not None:
        return FileOutcome(earlier.file, error=earlier.error or later.error)
    earlier.findings.extend(later.findings)
    earlier.records += later.records
    failed = earlier.failed | later.failed
    earlier.failures.extend(later.failures)
    for rule in plan.state_builders:
        if rule.code in failed:
            earlier.states.pop(rule.code, None)
            continue
        try:
            earlier.states[rule.code] = rule.merge(
                earlier.states[rule.code], later.states[rule.code]
            )
        except Exception as error:  # isolated: see ftlint.run.isolation
            earlier.fail(rule, "merge", earlier.file.display, error)
    if earlier.token_lengths is not None and later.token_lengths is not None:
        earlier.token_lengths.extend(later.token_lengths)
    return earlier


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
    return {
        "shaped": (plan.record_rules, plan.state_builders),
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
class LintResult:
    """Everything a run found, before collection. ``errors`` are files that could
    not be read at all (exit 2)."""

    findings: list[Finding]
    files: int
    records: int
    configs: int
    errors: list[str]
    report_only: set[str] | None
    config_documents: dict[str, ConfigDocument]
    seconds: float
    #: What was skipped, and named folders with nothing to lint (exit status unchanged).
    warnings: list[str] = field(default_factory=list)


class Engine:
    """Runs a :class:`RulePlan` over paths."""

    def __init__(self, registry: Registry, settings: Settings) -> None:
        self.registry = registry
        self.settings = settings
        self._base_plan = RulePlan.build(registry, settings)
        #: The plan of the current run: the base plan with the limit its configs set.
        self.plan = self._base_plan
        self.catalog = ModelCatalog(registry.models)

    def run(self, paths: Sequence[Path], progress: ProgressCallback | None = None) -> LintResult:
        started = time.perf_counter()
        discovery = Discoverer(self.settings, self.plan.readers).discover(paths)
        errors = [f"{p}: no such file or folder" for p in discovery.missing]
        errors += discovery.errors

        # Configs first: their sequence lengths set the limit the files are linted with.
        config_errors: list[str] = []
        configs = [c for c in (self._read_config(c, config_errors) for c in discovery.configs) if c]
        self.plan = self._plan_for(configs)

        outcomes = list(self._lint_files(discovery.datasets, progress))
        findings = [f for o in outcomes for f in o.findings]
        errors += [o.error for o in outcomes if o.error]
        errors += config_errors
        failures = [f for o in outcomes for f in o.failures]
        findings += self._finish_datasets(outcomes, failures)

        record_counts = {o.file.display: o.records for o in outcomes}
        token_lengths = {
            o.file.display: o.token_lengths.resolved()
            for o in outcomes
            if o.token_lengths is not None
        }
        named = {display_path(p) for p in paths if p.is_file()}
        explicit = frozenset(d for d in record_counts if d in named)
        for config in configs:
            context = replace(
                config,
                datasets=dict(record_counts),
                token_lengths=token_lengths,
                explicit_datasets=explicit,
            )
            for rule in self.plan.config_rules:
                try:
                    findings.extend(rule.check(context))
                except Exception as error:  # isolated: see ftlint.run.isolation
                    failures.append(RuleFailure.of(rule, "check", config.document.display, error))
        errors += failure_messages(failures)

        return LintResult(
            findings=findings,
            files=len(outcomes),
            records=sum(o.records for o in outcomes),
            configs=len(configs),
            errors=errors,
            report_only=discovery.report_only,
            config_documents={c.document.display: c.document for c in configs},
            seconds=time.perf_counter() - started,
            warnings=discovery.warnings,
        )

    def _plan_for(self, configs: Sequence[ConfigContext]) -> RulePlan:
        """The run's plan: the engine's, with the token limits the configs set.

        Every config's sequence length (its framework's default included) is a
        length the data is compared with (rule H011), so records longer than it
        are counted exactly; one the config sets itself is also the limit (T001)
        of the local files it trains or evaluates on, and of no other file.
        The lengths of the files are kept only when a config rule will read
        them. Both are part of :meth:`RulePlan.fingerprint`, so outcomes cached
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
        keep = bool(configs) and any("tokens" in r.requires for r in self._base_plan.config_rules)
        return replace(
            self._base_plan, tokens=counter, token_lengths=keep, sequence_lengths=lengths
        )

    def _lint_files(
        self, files: Sequence[DatasetFile], progress: ProgressCallback | None
    ) -> Iterator[FileOutcome]:
        """Every file's outcome, in file order: from the cache when the file has
        not changed, else linted (see :mod:`ftlint.run.executors.local`) and cached."""
        cache = self._cache()
        keys: dict[str, str] = {}
        outcomes: dict[str, FileOutcome] = {}
        for file in files:
            if cache is None:
                break
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
        if progress and done:
            progress(done, total)
        missing = [f for f in files if f.display not in outcomes]
        for outcome in self._lint_missing(missing, progress, done, total):
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
        progress: ProgressCallback | None,
        done: int,
        total: int,
    ) -> Iterator[FileOutcome]:
        """Lint ``files`` unit by unit and merge each file's units in order."""
        units = [parallel.cut(f, self.settings.shard_size, self._shardable(f.path)) for f in files]
        jobs = parallel.workers(self.settings.jobs, [u for us in units for u in us])
        with parallel.Runner(jobs, self.plan) as runner:
            merged: FileOutcome | None = None
            for unit, outcome in runner.lint(units, lint_unit):
                done += unit.size
                if progress:
                    progress(done, total)
                # Fold each unit in as it arrives, so that only one file's state is held.
                merged = outcome if merged is None else merge_outcomes(self.plan, merged, outcome)
                if unit.end is None or unit.end >= unit.file.size:  # the file's last unit
                    yield merged
                    merged = None

    def _shardable(self, path: Path) -> bool:
        try:
            return parallel.is_plain_jsonl(path) and isinstance(
                self.plan.reader_for(path), JsonlReader
            )
        except ReadError:
            return False

    def _finish_datasets(
        self, outcomes: Sequence[FileOutcome], failures: list[RuleFailure]
    ) -> list[Finding]:
        """Every dataset rule's ``finish`` on each dataset, but for the rules
        whose state a failure left half-built; appends to ``failures``."""
        datasets: dict[str, list[FileOutcome]] = defaultdict(list)
        for outcome in outcomes:
            if outcome.error is None:
                datasets[outcome.file.dataset].append(outcome)
        findings: list[Finding] = []
        for name, members in sorted(datasets.items()):
            members.sort(key=lambda o: o.file.display)
            for rule in self.plan.dataset_rules:
                owner = self.plan.state_owners[rule.code]
                if any(f.code in (owner, rule.code) for f in failures):
                    continue
                states = [FileState(o.file, o.states[owner]) for o in members]
                try:
                    findings.extend(rule.finish(states))
                except Exception as error:  # isolated: see ftlint.run.isolation
                    failures.append(RuleFailure.of(rule, "finish", f"dataset {name}", error))
        return findings

    def _read_config(self, candidate: ConfigCandidate, errors: list[str]) -> ConfigContext | None:
        """Read, recognise and normalise a config, before the files are linted:
        its context lacks only what they tell (records, token lengths). None when
        it is not one to lint."""
        try:
            document = read_config(candidate.path, candidate.display)
        except ReadError as error:
            # A stray YAML file that does not parse is none of our business; a
            # training config the user named is, and not linting it is an error.
            if candidate.explicit and mentions_training_keys(_text_of(candidate.path)):
                errors.append(str(error))
            return None
        framework = self._recognise(document)
        # A YAML or JSON file found in a folder is linted only when it is a
        # config we know; one the user named is always handed to the config
        # rules, which say what it is (K005).
        if framework is None and not candidate.explicit:
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


def _text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
