"""Cutting dataset files into units of work and running them in processes.

A *unit* is a whole file, or a byte range of a plain (uncompressed) JSON
Lines file larger than the shard size (``shard-size`` in settings, 32 MiB by
default), cut at line starts. That is small enough that a gigabyte file
keeps every core busy to the end (about 30 units), and large enough that a
unit's overhead is negligible: its states are sent back and merged in the
main process, which shares the cores with the workers (with 2 MiB units,
merging 470 of them cost a gigabyte run 8% of its time). Units depend on the files
and the shard size only, never on ``--jobs``: a run with one process reads
the same units as a run with eight, merges their states in the same order,
and so reports the same findings in the same order.

A range's records must carry their absolute line numbers and indexes, which
depend on every line before the range: the lines and records of each range
are counted (about 1.3 GB/s a core) before the next range is linted. Every
file's first unit starts at line 1, so workers lint those while the others
are counted (:meth:`Runner.lint`).

Worker processes get the run's job (its rule plan) once, when they start
(:func:`install`), not with every unit. :class:`LocalExecutor` is the
built-in executor (``--engine local``, see :mod:`ftlint.api.execution`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TypeVar

from ftlint.api.execution import (
    Executor,
    FileOutcome,
    Job,
    Unit,
    UnitDone,
    merge_in_order,
    number,
)
from ftlint.core.machine import available_cores
from ftlint.core.records import DatasetFile
from ftlint.readers.jsonl import split_ranges

T = TypeVar("T")
R = TypeVar("R")

#: Below this much data to lint, worker processes cost more than they save
#: (starting them and loading the tokenizer in each takes about a second).
PARALLEL_MIN_BYTES = 8 << 20

_JOB: Job | None = None


def cut(file: DatasetFile, shard_size: int, shardable: bool) -> list[Unit]:
    """The units of ``file``: itself, or its ranges of at most about ``shard_size``
    bytes (without their line numbers yet; see :func:`number`)."""
    if not shardable or file.size <= shard_size:
        return [Unit(file)]
    parts = -(-file.size // shard_size)
    ranges = split_ranges(file.path, parts)
    if len(ranges) == 1:
        return [Unit(file)]
    return [Unit(file, i, start, end) for i, (start, end) in enumerate(ranges)]


def install(job: Job) -> None:
    """Worker initialiser: keep the run's job for :func:`_lint` and :func:`_count`."""
    global _JOB
    _JOB = job


def _lint(unit: Unit) -> FileOutcome:
    assert _JOB is not None
    return _JOB.lint(unit)


def _count(unit: Unit) -> tuple[int, int]:
    assert _JOB is not None
    return _JOB.count(unit)


class Runner:
    """Maps functions over items, in worker processes or in this one, always
    returning results in the order of the items."""

    def __init__(self, jobs: int, job: Job) -> None:
        self.jobs = jobs
        self.job = job
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Runner:
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, initializer=install, initargs=(self.job,)
            )
        else:
            install(self.job)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        if self._pool is None:
            return map(function, items)
        return self._pool.map(function, items)

    def lint(self, units: Sequence[Sequence[Unit]]) -> Iterator[tuple[Unit, FileOutcome]]:
        """The units of each file (as :func:`cut` made them) linted, each unit
        numbered (:func:`number`) and yielded with its outcome, in file and
        unit order.

        A range cannot start before the lines and records ahead of it are
        counted, but every file's first unit starts at line 1: in worker
        processes, those start at once and the counting runs beside them
        rather than before everything."""
        if self._pool is None:
            for us in units:
                for unit in number(us, map(_count, us[:-1])):
                    yield unit, _lint(unit)
            return
        pool = self._pool
        firsts = [pool.submit(_lint, us[0]) for us in units]
        counted = [[pool.submit(_count, u) for u in us[:-1]] for us in units]
        pending: list[list[tuple[Unit, Future[FileOutcome]]]] = []
        for us, first, counts in zip(units, firsts, counted, strict=True):
            numbered = number(us, (tally.result() for tally in counts))
            scheduled = [(next(numbered), first)]
            scheduled += [(unit, pool.submit(_lint, unit)) for unit in numbered]
            pending.append(scheduled)
        for scheduled in pending:
            for unit, result in scheduled:
                yield unit, result.result()


def workers(jobs: int | None, units: Sequence[Unit]) -> int:
    """How many processes to use: ``jobs`` (default: every core), at most one
    per unit, and one when there is too little to do to pay for starting them."""
    wanted = jobs or available_cores()
    if sum(u.size for u in units) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(wanted, len(units)))


def is_plain_jsonl(path: Path) -> bool:
    """Whether ``path`` is an uncompressed JSON Lines file, which can be cut."""
    return path.name.lower().endswith((".jsonl", ".ndjson"))


class LocalExecutor(Executor):
    """The built-in executor: this machine's cores, in a process pool
    (:class:`Runner`), each file's unit outcomes merged as they arrive."""

    name = "local"
    description = "worker processes on this machine (--jobs, default: every core)"

    def lint(
        self, job: Job, files: Sequence[Sequence[Unit]], done: UnitDone
    ) -> Iterator[FileOutcome]:
        outcomes = iter(self._units(job, files, done))
        for units in files:
            yield merge_in_order(job.merge, itertools.islice(outcomes, len(units)))

    def _units(
        self, job: Job, files: Sequence[Sequence[Unit]], done: UnitDone
    ) -> Iterator[FileOutcome]:
        with Runner(workers(self.jobs, [u for us in files for u in us]), job) as runner:
            for unit, outcome in runner.lint(files):
                done(unit.size)
                yield outcome
