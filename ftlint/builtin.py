"""ftlint's own readers, record shapes and reporters, registered through the
same hooks a third-party plugin implements. (The built-in rules are a plugin
of their own, ``ftlint_rules``, found through the entry-point group.)"""

from __future__ import annotations

from collections.abc import Sequence

from ftlint.configs import ConfigFramework
from ftlint.frameworks import BUILTIN_FRAMEWORKS
from ftlint.hookspecs import hookimpl
from ftlint.readers import BUILTIN_READERS
from ftlint.readers.base import Reader
from ftlint.reporters import BUILTIN_REPORTERS
from ftlint.reporters.base import Reporter
from ftlint.shapes import BUILTIN_SHAPES, Shape


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
