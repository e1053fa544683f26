"""ftlint's rules on a Ray cluster: the ``ray`` executor (``--engine ray``),
registered through the ``ftlint`` entry-point group."""

from __future__ import annotations

from collections.abc import Sequence

from ftlint.api import Executor, hookimpl
from ftlint_ray.executor import RayExecutor, RayOptions

__all__ = ["RayExecutor", "RayOptions", "ftlint_executors"]


@hookimpl
def ftlint_executors() -> Sequence[type[Executor]]:
    return [RayExecutor]
