"""What an executor works with: units of work, the job of a run, file
outcomes and their merge, and the executor base class itself.

An *executor* lints the dataset files of a run and hands back each file's
outcome (its record-rule findings and dataset-rule states), in file order.
The built-in one is the local process pool (``local``); a plugin adds others
through the :func:`~ftlint.api.hookspecs.ftlint_executors` hook, and
``--engine NAME`` (``engine = "NAME"`` in settings) chooses one.

The engine cuts every file into :class:`Unit`\\ s (the whole file, or
newline-aligned byte ranges of a large JSON Lines file) and hands the
executor a :class:`Job`. The executor, wherever it runs them:

1. counts the lines and records of every range but a file's last
   (:meth:`Job.count`) and numbers the units (:func:`number`): a range's
   records carry absolute line numbers and indexes;
2. lints each unit (:meth:`Job.lint`), which refuses to run when the worker's
   ftlint or plugins differ from the driver's (:class:`PlanMismatchError`);
3. merges each file's unit outcomes in file order (:meth:`Job.merge`, in any
   tree: merging is associative, see :func:`merge_in_order`).

The engine then finishes the dataset rules with every state of a dataset,
except those the executor finishes itself (:meth:`Executor.finishes`): for
the rules whose state grows with the data (duplicates, leakage,
conflicting responses; :meth:`Job.partitioned`), an executor may keep the
states where they are and finish by partitions: each file's keyed rows
(:meth:`Job.emit`) go to the partition of their key, each partition finds
its pairs (:meth:`Job.pairs`), candidate pairs are verified where their two
files' states are (:meth:`Job.verify_pairs`, near-duplicates), and the
driver turns the pairs into findings (:meth:`Job.finish_pairs`), the same
as the whole-dataset finish gives.

**Picklability.** A :class:`Unit`, a :class:`Job` (with its rule plan) and a
:class:`FileOutcome` (with every dataset rule's state) pickle, so that an
executor may send them to other processes or machines. ``Job.merge`` never
changes its inputs (its result may share parts of them, which are not
changed afterwards either), so outcomes may be merged in any grouping, in
any worker, and a merged outcome is the one a single pass over the file
gives.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from ftlint.core.findings import Finding
from ftlint.core.records import DatasetFile
from ftlint.settings.schema import kebab_case
from ftlint.text.statistics import FileStatistics

if TYPE_CHECKING:
    from ftlint.api.rules import Keyed, Rule
    from ftlint.text.tokens import TokenLengths

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Unit:
    """A whole file (``end`` is None) or the lines that start in ``[start, end)``,
    the first of which is line ``first_line`` and record ``first_index``
    (``part`` numbers the ranges of a file from 0)."""

    file: DatasetFile
    part: int = 0
    start: int = 0
    end: int | None = None
    first_line: int = 1
    first_index: int = 0

    @property
    def size(self) -> int:
        return self.file.size if self.end is None else self.end - self.start

    @property
    def is_last(self) -> bool:
        """Whether no unit of its file follows it."""
        return self.end is None or self.end >= self.file.size

    def describe(self) -> str:
        """The unit as an error message names it."""
        if self.end is None:
            return self.file.display
        return (
            f"{self.file.display} part {self.part} "
            f"(bytes {self.start:,}-{self.end:,}, from line {self.first_line:,})"
        )


def number(units: Sequence[Unit], counts: Iterable[tuple[int, int]]) -> Iterator[Unit]:
    """The units of one file with their first line and record index, from the
    lines and records (:meth:`Job.count`) of each unit but the last (which no
    unit follows). Lazy: a unit is numbered once the counts before it are read."""
    line, index = 1, 0
    counted = iter(counts)
    for position, unit in enumerate(units):
        if position:
            lines, records = next(counted)
            line, index = line + lines, index + records
        yield replace(unit, first_line=line, first_index=index)


@dataclass
class FileOutcome:
    """What one file (or one unit of it) produced: its record-rule findings,
    each dataset rule's state, its record count, the error that stopped
    reading it, if any, when the run counts tokens, the token length of
    every shaped record in file order (exact or to be estimated, see
    :class:`~ftlint.text.tokens.TokenLengths`), and what the file adds to the
    run's dataset report (:class:`~ftlint.text.statistics.FileStatistics`)."""

    file: DatasetFile
    findings: list[Finding] = field(default_factory=list)
    states: dict[str, Any] = field(default_factory=dict)
    records: int = 0
    error: str | None = None
    token_lengths: TokenLengths | None = None
    statistics: FileStatistics = field(default_factory=FileStatistics)
    #: The rules that raised on the file (see :class:`RuleFailure`); their
    #: states are not in ``states``.
    failures: list[RuleFailure] = field(default_factory=list)

    @property
    def failed(self) -> set[str]:
        """The codes of the rules that raised on this file."""
        return {f.code for f in self.failures}


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """An exception a rule raised (in ``check``, ``add``, ``merge`` or
    ``finish``): the engine isolates it, skips the rule from there on and
    reports it as one error, never the end of the run. Picklable, so that
    workers send it back with the outcome."""

    code: str
    plugin: str
    #: The rule's method that raised: ``check``, ``add``, ``merge`` or ``finish``.
    step: str
    #: ``data.jsonl:12`` for a record, the file for a merge, the dataset for a finish.
    where: str
    error: str
    traceback: str

    @classmethod
    def of(cls, rule: Rule, step: str, where: str, error: BaseException) -> RuleFailure:
        return cls(
            code=rule.code,
            plugin=rule.plugin or type(rule).__module__,
            step=step,
            where=where,
            error=f"{type(error).__name__}: {error}",
            traceback="".join(traceback.format_exception(error)),
        )

    def message(self, more: int = 0, *, debug: bool = False) -> str:
        """The error line; ``more``: how many other places it failed at too."""
        text = (
            f"{self.where}: rule {self.code} (plugin '{self.plugin}') failed in "
            f"{self.step}: {self.error}; the rule was skipped from there on"
        )
        if more:
            text += f" (it failed at {more} more place{'s' if more > 1 else ''})"
        if debug:
            text += "\n" + self.traceback.rstrip()
        return text


class ExecutorError(Exception):
    """An executor cannot lint the run; the message says why (exit status 2)."""


class PlanMismatchError(ExecutorError):
    """A worker's ftlint or plugins differ from the driver's: it would lint
    with other rules than the run asked for, so it refuses."""


class UnitError(ExecutorError):
    """Linting a unit failed in a worker (not a finding: a crash, a lost worker)."""

    def __init__(self, unit: Unit, reason: str) -> None:
        super().__init__(f"{unit.describe()}: linting failed: {reason}")
        self.unit = unit
        self.reason = reason

    def __reduce__(self) -> tuple[type[UnitError], tuple[Unit, str]]:
        return (UnitError, (self.unit, self.reason))  # raised in workers, pickled back


class Job(Protocol):
    """One run's linting, as the engine hands it to an executor: the rule plan
    and what to do with it. Picklable; send it to each worker once."""

    #: What the outcomes depend on besides the files: ftlint's version, the
    #: rules with their classes and options, and the distributions that
    #: provide them, as the driver has them.
    fingerprint: str

    def verify(self) -> None:
        """Raise :class:`PlanMismatchError` when this process's ftlint or plugins
        differ from the driver's. :meth:`lint` calls it (once a process)."""

    def count(self, unit: Unit) -> tuple[int, int]:
        """The lines and records of a range unit (for :func:`number`)."""

    def lint(self, unit: Unit) -> FileOutcome:
        """Read a numbered unit and run the per-record part of every rule on
        it. What escapes (a crash, not a finding) is raised as a
        :class:`UnitError` naming the unit."""

    def merge(self, earlier: FileOutcome, later: FileOutcome) -> FileOutcome:
        """The outcome of two adjacent parts of a file; changes neither."""

    # The partitioned finish (see Executor.finishes).

    def partitioned(self) -> list[str]:
        """The dataset rules (codes) that can finish by partitions without
        their states ever being gathered: those that can, unless they share
        their state with one that cannot."""

    def strip(self, outcome: FileOutcome) -> FileOutcome:
        """``outcome`` without the states only :meth:`partitioned` rules use:
        what the driver needs of a file when the executor finishes them."""

    def emit(
        self, code: str, files: Sequence[DatasetFile], index: int, outcome: FileOutcome, parts: int
    ) -> list[Keyed]:
        """The keyed rows rule ``code`` takes from file ``files[index]`` (of
        one dataset, in path order; ``outcome`` is the file's), cut into the
        ``parts`` partitions of their keys."""

    def pairs(self, code: str, pieces: Sequence[Keyed]) -> Keyed:
        """What rule ``code`` finds in one partition, from the pieces every
        file of the dataset sent it."""

    def verifies(self, code: str) -> bool:
        """Whether rule ``code``'s pairs are candidates to verify (:meth:`verify_pairs`)."""

    def batches(
        self, code: str, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> list[tuple[int, int, Keyed]]:
        """The candidate pairs the partitions found, each once, by the indexes
        in ``files`` of the earlier and the later record's file."""

    def verify_pairs(
        self, code: str, pairs: Keyed, earlier: FileOutcome, later: FileOutcome
    ) -> Keyed:
        """The candidate ``pairs`` between two files that hold (``earlier`` and
        ``later`` are the two files' outcomes)."""

    def finish_pairs(
        self, code: str, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> list[Finding]:
        """Rule ``code``'s findings on a dataset, from what each of its
        partitions found, or for a rule that verifies pairs, from what
        :meth:`verify_pairs` kept of each batch."""


def merge_in_order(merge: Callable[[T, T], T], parts: Iterable[T]) -> T:
    """The merge of ``parts`` (adjacent, in order) as they arrive, in a
    balanced tree: each part is copied about log2(n) times rather than n/2
    times as in a left fold, and at most log2(n) partial results are held."""
    pending: list[tuple[int, T]] = []  # (parts merged, result), sizes decreasing
    for part in parts:
        size, merged = 1, part
        while pending and pending[-1][0] == size:
            earlier = pending.pop()[1]
            size, merged = 2 * size, merge(earlier, merged)
        pending.append((size, merged))
    if not pending:
        raise ValueError("nothing to merge")
    result = pending.pop()[1]
    while pending:
        result = merge(pending.pop()[1], result)
    return result


class ExecutorOptions(BaseModel):
    """Base of an executor's options, read from ``[tool.ftlint.engine]`` (less
    its ``name``). Keys are kebab-case; unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, alias_generator=kebab_case)


class Progress:
    """Where an executor reports what it has read, for the progress bar: bytes
    and records, added as they are read. This base counts nothing (no one is
    watching the run).

    When a bar watches, the engine's is a counter in shared memory
    (:class:`ftlint.run.executors.local.Tally`) that processes of this machine
    add to as they read, so the bar moves while a unit is linted: the local
    executor hands it to its worker processes. An executor whose workers are
    elsewhere adds each unit's bytes on the driver when the unit is done,
    and a file's records when its merged outcome arrives."""

    def add(self, nbytes: int, records: int) -> None:
        """Count ``nbytes`` more bytes and ``records`` more records read."""


class Executor:
    """Base class of executors. Subclasses set ``name`` (the ``--engine``
    value), optionally ``Options``, and implement :meth:`lint`."""

    name: ClassVar[str]
    #: One line for documentation.
    description: ClassVar[str] = ""
    Options: ClassVar[type[ExecutorOptions]] = ExecutorOptions

    def __init__(self, options: ExecutorOptions, jobs: int | None) -> None:
        #: The validated ``[tool.ftlint.engine]`` options.
        self.options: Any = options
        #: ``--jobs``: worker processes (or CPUs); None for every core.
        self.jobs = jobs

    def lint(
        self, job: Job, files: Sequence[Sequence[Unit]], progress: Progress
    ) -> Iterator[FileOutcome]:
        """Lint the units of every file (as the engine cut them, not yet
        numbered) and yield each file's merged outcome, in file order. Report
        what is read to ``progress`` (see :class:`Progress`). Raise
        :class:`UnitError` for a unit that could not be linted."""
        raise NotImplementedError

    def finishes(self, job: Job) -> Collection[str]:
        """The dataset rules (codes) this executor finishes itself, by
        partitions (:meth:`Job.partitioned`), after :meth:`lint`: the engine
        finishes the others with every state of a dataset. None by default."""
        return ()

    def finish(self, job: Job, datasets: Sequence[Sequence[DatasetFile]]) -> Iterator[Finding]:
        """The findings of the rules of :meth:`finishes` on ``datasets`` (the
        files of each, in path order, among those :meth:`lint` linted): keyed
        rows shuffled to partitions (:meth:`Job.emit`), each partition's pairs
        (:meth:`Job.pairs`), then the findings (:meth:`Job.finish_pairs`)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the executor holds (worker pools, a cluster connection)."""

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
