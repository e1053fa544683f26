"""Cutting dataset files into units of work and running them in processes.

A *unit* is a whole file, or a byte range of a plain (uncompressed) JSON
Lines file larger than the shard size (``shard-size`` in settings, 16 MiB by
default), cut at line starts. That is small enough that the cores finish
together (the last unit of a core is about a second of work: with 32 MiB
units, 350 MB of chat data took 13.8 s on two cores, with 16 MiB 12.8 s, as
the core that finished first waited less), and large enough that a unit's
overhead is negligible: its states are sent back and merged in the main
process, which shares the cores with the workers (with 2 MiB units,
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
(:func:`install`), not with every unit, and exit when the process that
started them is gone (killed with SIGKILL, it cannot stop them). At most a
few units per worker are in flight, so that the outcomes of a run over
thousands of files are never all held at once. :class:`LocalExecutor` is
the built-in executor (``--engine local``, see :mod:`ftlint.api.execution`).

Progress is counted where the records are read: every
:data:`PROGRESS_EVERY` records a unit adds the bytes and records it has
read to the run's :class:`Tally`, shared memory the worker processes and
this one write to, which :meth:`Tally.reporting` reads on a timer for the
progress bar. So the bar moves while a unit is being linted, not only when
one is done.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ftlint.api.execution import (
    Executor,
    FileOutcome,
    Job,
    Progress,
    Unit,
    merge_in_order,
    number,
)
from ftlint.core.machine import available_cores
from ftlint.core.records import DatasetFile
from ftlint.readers.jsonl import split_ranges

#: Below this much data to lint, worker processes cost more than they save
#: (starting them and loading the tokenizer in each takes about a second).
PARALLEL_MIN_BYTES = 8 << 20
#: A file is cut into at most this many units, whatever ``shard-size`` says
#: (a shard size of a few bytes would cut a gigabyte into a billion units).
MAX_UNITS_PER_FILE = 4096
#: Units in flight per worker: enough to keep it busy while its last outcome
#: is merged, few enough that outcomes are not held by the thousand.
UNITS_IN_FLIGHT = 3
#: How often a worker looks whether the process that started it is still there.
PARENT_CHECK_SECONDS = 1.0

#: A unit reports its progress every this many records: often enough for a
#: steady bar (a few times a second per process), rarely enough to cost nothing.
PROGRESS_EVERY = 1024
#: Seconds between two reads of the tally for the progress bar.
PROGRESS_INTERVAL = 0.2

_JOB: Job | None = None
#: Where units report their progress (:class:`UnitProgress`); None when
#: :func:`install` was not called in this process (another executor's worker).
_PROGRESS: Progress | None = None


def cut(file: DatasetFile, shard_size: int, shardable: bool) -> list[Unit]:
    """The units of ``file``: itself, or its ranges of at most about ``shard_size``
    bytes, and at most :data:`MAX_UNITS_PER_FILE` of them (without their line
    numbers yet; see :func:`number`)."""
    if not shardable or file.size <= shard_size:
        return [Unit(file)]
    parts = min(-(-file.size // shard_size), MAX_UNITS_PER_FILE)
    ranges = split_ranges(file.path, parts)
    if len(ranges) == 1:
        return [Unit(file)]
    return [Unit(file, i, start, end) for i, (start, end) in enumerate(ranges)]


def install(job: Job, progress: Progress) -> None:
    """Worker initialiser: keep the run's job for :func:`_lint` and :func:`_count`,
    and the progress its units report to."""
    global _JOB, _PROGRESS
    _JOB, _PROGRESS = job, progress


def _lint(unit: Unit) -> FileOutcome:
    assert _JOB is not None
    return _JOB.lint(unit)


def _count(unit: Unit) -> tuple[int, int]:
    assert _JOB is not None
    return _JOB.count(unit)


class Tally(Progress):
    """Bytes and records read so far in the run, in shared memory that worker
    processes inherit (through :func:`install`) and add to."""

    def __init__(self) -> None:
        self._counts = multiprocessing.get_context().Array("q", 2)

    def add(self, nbytes: int, records: int) -> None:
        with self._counts.get_lock():
            self._counts[0] += nbytes
            self._counts[1] += records

    def read(self) -> tuple[int, int]:
        with self._counts.get_lock():
            return self._counts[0], self._counts[1]

    @contextlib.contextmanager
    def reporting(self, progress: Callable[[int, int, int], None], total: int) -> Iterator[None]:
        """Call ``progress(bytes, total, records)`` every :data:`PROGRESS_INTERVAL`
        seconds from a thread, and once more at the end."""
        stop = threading.Event()

        def report() -> None:
            while not stop.wait(PROGRESS_INTERVAL):
                progress(*self._with_total(total))

        thread = threading.Thread(target=report, name="ftlint-progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            progress(*self._with_total(total))

    def _with_total(self, total: int) -> tuple[int, int, int]:
        nbytes, records = self.read()
        return nbytes, total, records


class UnitProgress:
    """A unit's progress as its records are read, added to the run's tally
    (when there is one) in steps: the bytes up to the record at ``offset``,
    at most the unit's size (a compressed file's offsets count decompressed
    bytes), and then the rest of the unit when it is done."""

    __slots__ = ("bytes", "records", "unit")

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.bytes = self.records = 0

    def at(self, offset: int, records: int) -> None:
        nbytes = min(max(offset - self.unit.start, 0), self.unit.size)
        if _PROGRESS is not None:
            _PROGRESS.add(nbytes - self.bytes, records - self.records)
        self.bytes, self.records = nbytes, records

    def done(self, records: int) -> None:
        self.at(self.unit.start + self.unit.size, records)


def install_in_worker(job: Job, progress: Progress) -> None:
    """Initialiser of a worker process: :func:`install`, and exit when the
    parent is gone."""
    install(job, progress)
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    # An orphan is adopted by another process: its parent id changes.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


class Runner:
    """Lints units in worker processes or in this one, always returning
    results in the order of the units."""

    def __init__(self, jobs: int, job: Job, progress: Progress) -> None:
        self.jobs = jobs
        self.job = job
        self.progress = progress
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Runner:
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                initializer=install_in_worker,
                initargs=(self.job, self.progress),
            )
        else:
            install(self.job, self.progress)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def lint(self, units: Sequence[Sequence[Unit]]) -> Iterator[tuple[Unit, FileOutcome]]:
        """The units of each file (as :func:`cut` made them) linted, each unit
        numbered (:func:`number`) and yielded with its outcome, in file and
        unit order.

        A range cannot start before the lines and records ahead of it are
        counted, but every file's first unit starts at line 1: in worker
        processes, the counting of every range is queued first (a range is
        counted at about 1.3 GB/s) and runs beside the linting. At most
        :data:`UNITS_IN_FLIGHT` units a worker are linted ahead of the one
        whose outcome is yielded."""
        if self._pool is None:
            for us in units:
                for unit in number(us, map(_count, us[:-1])):
                    yield unit, _lint(unit)
            return
        pool = self._pool
        window = UNITS_IN_FLIGHT * self.jobs
        # Counts are small: every range is counted at once, beside the linting.
        counted = [[pool.submit(_count, u) for u in us[:-1]] for us in units]
        pending: deque[tuple[Unit, Future[FileOutcome]]] = deque()
        for us, counts in zip(units, counted, strict=True):
            for unit in number(us, (tally.result() for tally in counts)):
                pending.append((unit, pool.submit(_lint, unit)))
                if len(pending) >= window:
                    done, result = pending.popleft()
                    yield done, result.result()
        while pending:
            done, result = pending.popleft()
            yield done, result.result()


def workers(jobs: int | None, units: Sequence[Unit]) -> int:
    """How many processes to use: ``jobs`` (default: every core), at most one
    per core (``--jobs 1000`` would only fight over them) and one per unit, and
    one when there is too little to do to pay for starting them."""
    cores = available_cores()
    if sum(u.size for u in units) < PARALLEL_MIN_BYTES:
        return 1
    return max(1, min(jobs or cores, cores, len(units)))


def is_plain_jsonl(path: Path) -> bool:
    """Whether ``path`` is an uncompressed JSON Lines file, which can be cut."""
    return path.name.lower().endswith((".jsonl", ".ndjson"))


class LocalExecutor(Executor):
    """The built-in executor: this machine's cores, in a process pool
    (:class:`Runner`), each file's unit outcomes merged as they arrive."""

    name = "local"
    description = "worker processes on this machine (--jobs, default: every core)"

    def lint(
        self, job: Job, files: Sequence[Sequence[Unit]], progress: Progress
    ) -> Iterator[FileOutcome]:
        outcomes = iter(self._units(job, files, progress))
        for units in files:
            yield merge_in_order(job.merge, itertools.islice(outcomes, len(units)))

    def _units(
        self, job: Job, files: Sequence[Sequence[Unit]], progress: Progress
    ) -> Iterator[FileOutcome]:
        """Each unit's outcome, in file and unit order; the workers report
        their progress as they read (:class:`UnitProgress`)."""
        jobs = workers(self.jobs, [u for us in files for u in us])
        with Runner(jobs, job, progress) as runner:
            for _, outcome in runner.lint(files):
                yield outcome
