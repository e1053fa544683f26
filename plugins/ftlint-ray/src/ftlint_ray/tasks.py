"""The Ray tasks the executor submits: count a range's lines, lint a unit,
merge two adjacent outcomes of a file; for the partitioned finish, strip a
file's outcome of the states that stay in the cluster, emit a file's keyed
rows cut into partitions, find one partition's pairs, verify candidate
pairs between two files.

The run's job (its rule plan) is put in the object store once and handed
to every task by reference, inside a list so that Ray does not resolve it:
each worker process fetches and unpickles it once (:func:`job`), which
checks that the worker's ftlint and plugins are the driver's, and keeps it
for the run's later tasks.
"""

from __future__ import annotations

from collections.abc import Sequence

import ray
from ray import ObjectRef

from ftlint.api import DatasetFile, FileOutcome, Job, Keyed, Unit

#: How many runs' jobs a worker keeps (a cluster outlives runs).
_KEPT = 4
#: Per worker process: the jobs already fetched, by object id.
_JOBS: dict[str, Job] = {}

#: A reference to the job, wrapped so that Ray passes the reference itself.
JobHolder = list[ObjectRef[Job]]


def job(holder: JobHolder) -> Job:
    """The run's job, fetched and unpickled once in this worker process."""
    reference = holder[0]
    key = reference.hex()
    found = _JOBS.get(key)
    if found is None:
        if len(_JOBS) >= _KEPT:
            _JOBS.pop(next(iter(_JOBS)))
        found = _JOBS[key] = ray.get(reference)
    return found


@ray.remote
def count(holder: JobHolder, unit: Unit) -> tuple[int, int]:
    return job(holder).count(unit)


@ray.remote
def lint(holder: JobHolder, unit: Unit) -> FileOutcome:
    return job(holder).lint(unit)


@ray.remote
def merge(holder: JobHolder, earlier: FileOutcome, later: FileOutcome) -> FileOutcome:
    return job(holder).merge(earlier, later)


@ray.remote
def strip(holder: JobHolder, outcome: FileOutcome) -> FileOutcome:
    return job(holder).strip(outcome)


@ray.remote
def emit(
    holder: JobHolder,
    code: str,
    files: Sequence[DatasetFile],
    index: int,
    outcome: FileOutcome,
    parts: int,
) -> Keyed | list[Keyed]:
    """One file's keyed rows, a Ray object for each partition (``num_returns``
    is ``parts``; one object, the rows themselves, for one partition)."""
    pieces = job(holder).emit(code, files, index, outcome, parts)
    return pieces[0] if parts == 1 else pieces


@ray.remote
def pairs(holder: JobHolder, code: str, *pieces: Keyed) -> Keyed:
    return job(holder).pairs(code, pieces)


@ray.remote
def verify_pairs(
    holder: JobHolder, code: str, pairs: Keyed, earlier: FileOutcome, later: FileOutcome
) -> Keyed:
    return job(holder).verify_pairs(code, pairs, earlier, later)
