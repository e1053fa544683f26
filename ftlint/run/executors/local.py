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

Worker processes get the rule plan once, when they start
(:func:`install`), not with every unit, and exit when the process that
started them is gone (killed with SIGKILL, it cannot stop them). At most a
few units per worker are in flight, so that the outcomes of a run over
thousands of files are never all held at once.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from ftlint.core.machine import available_cores
from ftlint.core.records import DatasetFile
from ftlint.readers.jsonl import count_lines, split_ranges

T = TypeVar("T")
R = TypeVar("R")

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

_PLAN: Any = None


@dataclass(frozen=True, slots=True)
class Unit:
    """A whole file (``end`` is None) or the lines that start in ``[start, end)``,
    the first of which is line ``first_line`` and record ``first_index``."""

    file: DatasetFile
    part: int = 0
    start: int = 0
    end: int | None = None
    first_line: int = 1
    first_index: int = 0

    @property
    def size(self) -> int:
        return self.file.size if self.end is None else self.end - self.start


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


def count(unit: Unit) -> tuple[int, int]:
    """Lines and records of a range unit (for :func:`number`)."""
    assert unit.end is not None
    return count_lines(unit.file.path, unit.start, unit.end)


def number(units: Sequence[Unit], counts: Iterable[tuple[int, int]]) -> Iterator[Unit]:
    """The units of one file with their first line and record index, from the
    lines and records of each unit but the last (which no unit follows).
    Lazy: a unit is numbered once the counts before it are read."""
    line, index = 1, 0
    counted = iter(counts)
    for position, unit in enumerate(units):
        if position:
            lines, records = next(counted)
            line, index = line + lines, index + records
        yield replace(unit, first_line=line, first_index=index)


def install(plan: Any) -> None:
    """Worker initialiser: keep the run's plan for :func:`plan`."""
    global _PLAN
    _PLAN = plan


def install_in_worker(plan: Any) -> None:
    """Initialiser of a worker process: :func:`install`, and exit when the
    parent is gone."""
    install(plan)
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    # An orphan is adopted by another process: its parent id changes.
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def plan() -> Any:
    """The plan :func:`install` gave this worker process."""
    return _PLAN


class Runner:
    """Maps functions over items, in worker processes or in this one, always
    returning results in the order of the items."""

    def __init__(self, jobs: int, plan: Any) -> None:
        self.jobs = jobs
        self.plan = plan
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Runner:
        if self.jobs > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, initializer=install_in_worker, initargs=(self.plan,)
            )
        else:
            install(self.plan)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def map(self, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        if self._pool is None:
            return map(function, items)
        return self._pool.map(function, items)

    def lint(
        self, units: Sequence[Sequence[Unit]], function: Callable[[Unit], R]
    ) -> Iterator[tuple[Unit, R]]:
        """``function`` over the units of each file (as :func:`cut` made them),
        each unit numbered (:func:`number`) and yielded with its result, in
        file and unit order.

        A range cannot start before the lines and records ahead of it are
        counted, but every file's first unit starts at line 1: in worker
        processes, the counting of every range is queued first (a range is
        counted at about 1.3 GB/s) and runs beside the linting. At most
        :data:`UNITS_IN_FLIGHT` units a worker are linted ahead of the one
        whose outcome is yielded."""
        if self._pool is None:
            for us in units:
                for unit in number(us, map(count, us[:-1])):
                    yield unit, function(unit)
            return
        pool = self._pool
        window = UNITS_IN_FLIGHT * self.jobs
        # Counts are small: every range is counted at once, beside the linting.
        counted = [[pool.submit(count, u) for u in us[:-1]] for us in units]
        pending: deque[tuple[Unit, Future[R]]] = deque()
        for us, counts in zip(units, counted, strict=True):
            for unit in number(us, (tally.result() for tally in counts)):
                pending.append((unit, pool.submit(function, unit)))
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
