"""Files -> records -> rules -> findings.

A run has three steps:

1. **Per file** (:func:`lint_file`, in worker processes when ``jobs > 1``):
   read the records, shape each one, run the record rules, and fold the
   records into every dataset rule's state.
2. **Per dataset**: hand each dataset rule the states of all the files of a
   dataset (:meth:`~ftlint.rule.DatasetRule.finish`).
3. **Per config**: parse, recognise the framework, run the config rules.

The findings then go through :mod:`ftlint.collect` (severities, ignores,
suppressions, baseline, order) before a reporter sees them.
"""

from __future__ import annotations

import os
import time
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ftlint.configs import ConfigDocument, ConfigFramework
from ftlint.discovery import ConfigCandidate, Discoverer, display_path
from ftlint.model import Finding
from ftlint.model_catalog import ModelCatalog
from ftlint.plugins import Registry
from ftlint.readers import read_config
from ftlint.readers.base import Reader, ReadError
from ftlint.records import DatasetFile, RecordView
from ftlint.rule import (
    ConfigContext,
    ConfigRule,
    DatasetRule,
    FileState,
    RecordContext,
    RecordRule,
    Rule,
)
from ftlint.settings import Settings, SettingsError, validate_rule_options
from ftlint.shapes import Shape
from ftlint.tokens import TokenCounter

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

    @classmethod
    def build(cls, registry: Registry, settings: Settings) -> RulePlan:
        codes = enabled_codes(registry, settings)
        options = validate_rule_options(
            settings, ((r.code, r.name, r.Options) for r in registry.rules.values())
        )
        rules: list[Rule] = [registry.rules[c](options.get(c)) for c in sorted(codes)]
        needs_tokens = any("tokens" in r.requires for r in rules)
        return cls(
            record_rules=[r for r in rules if isinstance(r, RecordRule)],
            dataset_rules=[r for r in rules if isinstance(r, DatasetRule)],
            config_rules=[r for r in rules if isinstance(r, ConfigRule)],
            shapes=list(registry.shapes),
            readers=list(registry.readers),
            tokens=TokenCounter.from_settings(settings.tokens).prepare() if needs_tokens else None,
        )

    @property
    def rules(self) -> list[Rule]:
        return [*self.record_rules, *self.dataset_rules, *self.config_rules]

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

    ``token_lengths`` holds, in file order, the token count (``total``) of
    every shaped record when the run counts tokens, else None.
    """

    file: DatasetFile
    findings: list[Finding] = field(default_factory=list)
    states: dict[str, Any] = field(default_factory=dict)
    records: int = 0
    error: str | None = None
    token_lengths: array[int] | None = None


def lint_file(file: DatasetFile, plan: RulePlan) -> FileOutcome:
    """Read one dataset file and run the per-record part of every rule on it."""
    outcome = FileOutcome(file, states={r.code: r.start() for r in plan.dataset_rules})
    if plan.tokens is not None:
        outcome.token_lengths = array("I")
    by_kind = _rules_by_record_kind(plan)
    try:
        reader = plan.reader_for(file.path)
        for record in reader.read(file.path, file.display):
            outcome.records += 1
            view = plan.shape(record.value) if record.ok else None
            context = RecordContext(file, record, view, plan.tokens)
            kind = "shaped" if view is not None else "unshaped" if record.ok else "unparsed"
            record_rules, dataset_rules = by_kind[kind]
            for rule in record_rules:
                for finding in rule.check(context):
                    outcome.findings.append(
                        finding
                        if finding.content_key
                        else replace(finding, content_key=context.raw_hash)
                    )
            for dataset_rule in dataset_rules:
                dataset_rule.add(outcome.states[dataset_rule.code], context)
            if outcome.token_lengths is not None and view is not None:
                outcome.token_lengths.append(context.tokens.total)
    except ReadError as error:
        outcome.error = str(error)
    return outcome


def _rules_by_record_kind(
    plan: RulePlan,
) -> dict[str, tuple[list[RecordRule], list[DatasetRule[Any]]]]:
    return {
        "shaped": (plan.record_rules, plan.dataset_rules),
        "unshaped": (
            [r for r in plan.record_rules if r.accepts_unshaped],
            [r for r in plan.dataset_rules if r.accepts_unshaped],
        ),
        "unparsed": (
            [r for r in plan.record_rules if r.accepts_unparsed],
            [r for r in plan.dataset_rules if r.accepts_unparsed],
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


class Engine:
    """Runs a :class:`RulePlan` over paths."""

    def __init__(self, registry: Registry, settings: Settings) -> None:
        self.registry = registry
        self.settings = settings
        self.plan = RulePlan.build(registry, settings)
        self.catalog = ModelCatalog(registry.models)

    def run(self, paths: Sequence[Path], progress: ProgressCallback | None = None) -> LintResult:
        started = time.perf_counter()
        discovery = Discoverer(self.settings, self.plan.readers).discover(paths)
        errors = [f"{p}: no such file or folder" for p in discovery.missing]

        outcomes = list(self._lint_files(discovery.datasets, progress))
        findings = [f for o in outcomes for f in o.findings]
        errors += [o.error for o in outcomes if o.error]
        findings += self._finish_datasets(outcomes)

        record_counts = {o.file.display: o.records for o in outcomes}
        token_lengths = {
            o.file.display: o.token_lengths for o in outcomes if o.token_lengths is not None
        }
        named = {display_path(p) for p in paths if p.is_file()}
        explicit = frozenset(d for d in record_counts if d in named)
        documents: dict[str, ConfigDocument] = {}
        for candidate in discovery.configs:
            findings += self._lint_config(
                candidate, record_counts, token_lengths, explicit, documents, errors
            )

        return LintResult(
            findings=findings,
            files=len(outcomes),
            records=sum(o.records for o in outcomes),
            configs=len(documents),
            errors=errors,
            report_only=discovery.report_only,
            config_documents=documents,
            seconds=time.perf_counter() - started,
        )

    def _lint_files(
        self, files: Sequence[DatasetFile], progress: ProgressCallback | None
    ) -> Iterator[FileOutcome]:
        total = sum(f.size for f in files)
        done = 0
        jobs = min(self.settings.jobs or os.cpu_count() or 1, len(files))
        if jobs <= 1:
            outcomes: Iterable[FileOutcome] = (lint_file(f, self.plan) for f in files)
            for outcome in outcomes:
                done += outcome.file.size
                if progress:
                    progress(done, total)
                yield outcome
            return
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for outcome in pool.map(lint_file, files, [self.plan] * len(files)):
                done += outcome.file.size
                if progress:
                    progress(done, total)
                yield outcome

    def _finish_datasets(self, outcomes: Sequence[FileOutcome]) -> list[Finding]:
        datasets: dict[str, list[FileOutcome]] = defaultdict(list)
        for outcome in outcomes:
            if outcome.error is None:
                datasets[outcome.file.dataset].append(outcome)
        findings: list[Finding] = []
        for _, members in sorted(datasets.items()):
            members.sort(key=lambda o: o.file.display)
            for rule in self.plan.dataset_rules:
                states = [FileState(o.file, o.states[rule.code]) for o in members]
                findings.extend(rule.finish(states))
        return findings

    def _lint_config(
        self,
        candidate: ConfigCandidate,
        record_counts: dict[str, int],
        token_lengths: dict[str, array[int]],
        explicit_datasets: frozenset[str],
        documents: dict[str, ConfigDocument],
        errors: list[str],
    ) -> list[Finding]:
        try:
            document = read_config(candidate.path, candidate.display)
        except ReadError as error:
            # A stray YAML file that does not parse is none of our business; a
            # config the user named is, and not being able to lint it is an error.
            if candidate.explicit:
                errors.append(str(error))
            return []
        framework = self._recognise(document)
        if framework is None and not candidate.explicit:
            return []
        documents[candidate.display] = document
        context = ConfigContext(
            document,
            framework.name if framework else None,
            dict(record_counts),
            view=framework.normalise(document, self.catalog) if framework else None,
            spec=framework,
            token_lengths=token_lengths,
            explicit_datasets=explicit_datasets,
            devices=self.settings.devices,
        )
        return [f for rule in self.plan.config_rules for f in rule.check(context)]

    def _recognise(self, document: ConfigDocument) -> ConfigFramework | None:
        best, best_score = None, 0.5
        for framework in self.registry.frameworks:
            score = framework.recognise(document)
            if score > best_score:
                best, best_score = framework, score
        return best
