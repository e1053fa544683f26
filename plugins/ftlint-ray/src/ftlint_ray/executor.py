"""The ``ray`` executor: a run's units of work as Ray core tasks.

- The job (the rule plan) is put in the object store once (``ray.put``);
  tasks receive a reference to it (:mod:`ftlint_ray.tasks`).
- The lines of every range but a file's last are counted by tasks, in
  parallel; a file's first unit is linted at once, the others as soon as
  the counts before them are in.
- Each file's unit outcomes are merged in a balanced tree of merge tasks,
  in the workers: the driver receives one merged outcome a file, in file
  order, as a worker holds it.
- A task that fails (a crash in a rule, a lost worker) stops the run with
  an error naming its unit (exit status 2).

Ray is imported when a run starts, not when ftlint loads its plugins, so
that ``ftlint rules`` does not pay for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ftlint.api import (
    Executor,
    ExecutorError,
    ExecutorOptions,
    FileOutcome,
    Job,
    Unit,
    UnitDone,
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


class RayExecutor(Executor):
    """Lints units as Ray tasks on a cluster every worker of which sees the
    files at the paths the driver names them by (a shared filesystem)."""

    name = "ray"
    description = "Ray core tasks, on a cluster (address, RAY_ADDRESS) or a local one"
    Options = RayOptions

    def __init__(self, options: ExecutorOptions, jobs: int | None) -> None:
        super().__init__(options, jobs)
        self._started = False

    def lint(
        self, job: Job, files: Sequence[Sequence[Unit]], done: UnitDone
    ) -> Iterator[FileOutcome]:
        import ray

        from ftlint_ray import tasks

        self._connect()
        holder = [ray.put(job)]
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
                done(sizes.pop(ready[0]))
                others.remove(ready[0])
            for reference in references:  # done, since their merge is
                if reference in sizes:
                    done(sizes.pop(reference))
            yield replace(_result(ray, final, originals[0]), file=originals[0].file)

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
        if self._started:
            import ray

            ray.shutdown()
            self._started = False


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
