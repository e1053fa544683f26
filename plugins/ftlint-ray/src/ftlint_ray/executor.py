"""The ``ray`` executor: a run's units of work as Ray core tasks.

- The job (the rule plan) is put in the object store once (``ray.put``);
  tasks receive a reference to it (:mod:`ftlint_ray.tasks`).
- The lines of every range but a file's last are counted by tasks, in
  parallel; a file's first unit is linted at once, the others as soon as
  the counts before them are in.
- Each file's unit outcomes are merged in a balanced tree of merge tasks,
  in the workers: the driver receives one merged outcome a file, in file
  order, as a worker holds it.
- With the partitioned finish (the default), the rules whose state grows
  with the data finish in the cluster: each file's rows are emitted with
  their keys, cut into partitions (a Ray object each), each partition's
  pairs are found by a task, and the driver receives only those pairs,
  and each file's outcome without those states.
- A task that fails (a crash in a rule, a lost worker) stops the run with
  an error naming its unit (exit status 2).
- Progress is reported per unit done (its bytes) and per file merged (its
  records): Ray workers cannot write to the local executor's shared-memory
  tally, so the bar moves in unit steps.

Ray is imported when a run starts, not when ftlint loads its plugins, so
that ``ftlint rules`` does not pay for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pydantic import Field

from ftlint.api import (
    DatasetFile,
    Executor,
    ExecutorError,
    ExecutorOptions,
    FileOutcome,
    Finding,
    Job,
    Progress,
    Unit,
    UnitError,
    number,
)

if TYPE_CHECKING:
    from ray import ObjectRef


class RayOptions(ExecutorOptions):
    """``[tool.ftlint.engine]`` options of ``name = "ray"``."""

    #: The cluster to connect to (``ray://head:10001``, ``auto``); unset: the
    #: ``RAY_ADDRESS`` environment variable, else a local cluster started for
    #: the run with ``--jobs`` CPUs (default: every core).
    address: str | None = None
    #: Finish the rules whose state grows with the data (D001, D002, D003,
    #: L001, L002) by partitions, in the cluster: their states never reach
    #: the driver.
    partitioned_finish: bool = True
    #: How many partitions; unset: one per CPU of the cluster.
    partitions: int | None = Field(default=None, ge=1)


class RayExecutor(Executor):
    """Lints units as Ray tasks on a cluster every worker of which sees the
    files at the paths the driver names them by (a shared filesystem)."""

    name = "ray"
    description = "Ray core tasks, on a cluster (address, RAY_ADDRESS) or a local one"
    Options = RayOptions

    def __init__(self, options: ExecutorOptions, jobs: int | None) -> None:
        super().__init__(options, jobs)
        self._started = False
        #: The run's job in the object store, wrapped (see ftlint_ray.tasks).
        self._holder: list[Any] = []
        #: With the partitioned finish: each file's merged outcome, by display path.
        self._kept: dict[str, ObjectRef[FileOutcome]] = {}

    def finishes(self, job: Job) -> list[str]:
        return job.partitioned() if self.options.partitioned_finish else []

    def lint(
        self, job: Job, files: Sequence[Sequence[Unit]], progress: Progress
    ) -> Iterator[FileOutcome]:
        if not files:  # nothing to lint (only configs, or every file cached): no cluster
            return
        import ray

        from ftlint_ray import tasks

        self._connect()
        holder = self._holder = [ray.put(job)]
        partitioned = bool(self.finishes(job))
        # Workers may start elsewhere than the driver: they get absolute paths.
        remote = [[_absolute(u) for u in units] for units in files]
        counts = [[tasks.count.remote(holder, u) for u in units[:-1]] for units in remote]
        firsts = [tasks.lint.remote(holder, units[0]) for units in remote]
        sizes: dict[ObjectRef[Any], int] = {}  # lint tasks not yet seen done
        linted: list[list[ObjectRef[Any]]] = []
        for units, first, counted in zip(remote, firsts, counts, strict=True):
            numbered = number(units, _results(ray, counted, units))
            references = [first]
            sizes[first] = next(numbered).size
            for unit in numbered:
                references.append(tasks.lint.remote(holder, unit))
                sizes[references[-1]] = unit.size
            linted.append(references)
        finals = [_merge_tree(tasks.merge, holder, references) for references in linted]
        for originals, references, final in zip(files, linted, finals, strict=True):
            # Report other files' units as they finish while this file merges.
            others = [r for r in sizes if r not in references]
            while True:
                ready, _ = ray.wait([final, *others], num_returns=1, fetch_local=False)
                if ready[0] == final:
                    break
                progress.add(sizes.pop(ready[0]), 0)
                others.remove(ready[0])
            for reference in references:  # done, since their merge is
                if reference in sizes:
                    progress.add(sizes.pop(reference), 0)
            if partitioned:  # the whole outcome stays in the cluster
                self._kept[originals[0].file.display] = final
                final = tasks.strip.remote(holder, final)
            outcome = replace(_result(ray, final, originals[0]), file=originals[0].file)
            progress.add(0, outcome.records)  # merged in the workers: known per file
            yield outcome

    def finish(self, job: Job, datasets: Sequence[Sequence[DatasetFile]]) -> Iterator[Finding]:
        if not any(datasets):  # no file linted: no cluster was needed
            return
        import ray

        from ftlint_ray import tasks

        holder = self._holder
        cpus = ray.cluster_resources().get("CPU", 1)  # type: ignore[no-untyped-call]
        parts = self.options.partitions or max(1, int(cpus))
        submitted = []
        for files in datasets:
            for code in self.finishes(job):
                pieces = []
                for index, file in enumerate(files):
                    # num_returns: one Ray object a partition (Ray's types do not say so).
                    emitted: Any = tasks.emit.options(num_returns=parts).remote(
                        holder, code, files, index, self._kept[file.display], parts
                    )
                    pieces.append([emitted] if parts == 1 else list(emitted))
                found = [
                    tasks.pairs.remote(holder, code, *(p[part] for p in pieces))
                    for part in range(parts)
                ]
                submitted.append((code, files, found))
        for code, files, found in submitted:
            results = _finished(ray, found, code, files)
            if job.verifies(code):  # candidates: verified where their two files are
                verified = [
                    tasks.verify_pairs.remote(
                        holder,
                        code,
                        pairs,
                        self._kept[files[earlier].display],
                        self._kept[files[later].display],
                    )
                    for earlier, later, pairs in job.batches(code, files, results)
                ]
                results = _finished(ray, verified, code, files)
            yield from job.finish_pairs(code, files, results)

    def _connect(self) -> None:
        """Join the cluster the options or ``RAY_ADDRESS`` name, else start a
        local one: on the loopback interface, with ``--jobs`` CPUs, without a
        dashboard or usage statistics."""
        import ray

        if ray.is_initialized():
            return
        address = self.options.address or os.environ.get("RAY_ADDRESS")
        if address:
            ray.init(address=address, log_to_driver=False, configure_logging=False)
        else:
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            ray.init(
                num_cpus=self.jobs,
                include_dashboard=False,
                log_to_driver=False,
                configure_logging=False,
                _node_ip_address="127.0.0.1",
            )
        self._started = True

    def close(self) -> None:
        self._kept.clear()
        self._holder = []
        if self._started:
            import ray

            ray.shutdown()
            self._started = False


def _finished(ray: Any, found: list[Any], code: str, files: Sequence[DatasetFile]) -> list[Any]:
    """The results of a dataset's partition (or verification) tasks."""
    try:
        return list(ray.get(found))
    except ray.exceptions.RayError as error:
        raise ExecutorError(
            f"{code} on {files[0].dataset}: finishing by partitions failed: {error}"
        ) from None


def _absolute(unit: Unit) -> Unit:
    file = unit.file
    return replace(unit, file=replace(file, path=file.path.absolute()))


def _merge_tree(merge: Any, holder: list[Any], parts: list[Any]) -> Any:
    """The reference to the merge of ``parts`` (adjacent, in order): merge
    tasks pair neighbours level by level, so merges of one level run at once."""
    while len(parts) > 1:
        paired = [merge.remote(holder, parts[i], parts[i + 1]) for i in range(0, len(parts) - 1, 2)]
        parts = paired + parts[len(parts) - len(parts) % 2 :]
    return parts[0]


def _results(ray: Any, references: Sequence[Any], units: Sequence[Unit]) -> Iterator[Any]:
    """The results of ``references`` (the counts of ``units``), in order, as
    each is needed."""
    for reference, unit in zip(references, units, strict=False):
        yield _result(ray, reference, unit)


def _result(ray: Any, reference: Any, unit: Unit) -> Any:
    """A task's result; its failure as the :class:`ExecutorError` the task
    raised (naming its unit), or a :class:`UnitError` naming ``unit`` when Ray
    lost the task (a worker died)."""
    try:
        return ray.get(reference)
    except ray.exceptions.RayTaskError as error:
        if isinstance(error.cause, ExecutorError):
            raise error.cause from None
        raise UnitError(unit, str(error.cause or error)) from None
    except ray.exceptions.RayError as error:
        raise UnitError(unit, f"{type(error).__name__}: {error}") from None
