"""ftlint's own readers, record shapes and reporters, registered through the
same hooks a third-party plugin implements. (The built-in rules are a plugin
of their own, ``ftlint_rules``, found through the entry-point group.)"""

from __future__ import annotations

from collections.abc import Sequence

from ftlint.api.execution import Executor
from ftlint.api.hookspecs import hookimpl
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.frameworks import BUILTIN_FRAMEWORKS
from ftlint.readers import BUILTIN_READERS
from ftlint.readers.base import Reader
from ftlint.reporters import BUILTIN_REPORTERS
from ftlint.reporters.base import Reporter
from ftlint.run.executors.local import LocalExecutor
from ftlint.shapes.base import Shape
from ftlint.shapes.builtin import BUILTIN_SHAPES


@hookimpl
def ftlint_readers() -> Sequence[Reader]:
    return BUILTIN_READERS


@hookimpl
def ftlint_record_shapes() -> Sequence[Shape]:
    return BUILTIN_SHAPES


@hookimpl
def ftlint_reporters() -> Sequence[type[Reporter]]:
    return BUILTIN_REPORTERS


@hookimpl
def ftlint_config_frameworks() -> Sequence[ConfigFramework]:
    return BUILTIN_FRAMEWORKS


@hookimpl
def ftlint_executors() -> Sequence[type[Executor]]:
    return [LocalExecutor]
