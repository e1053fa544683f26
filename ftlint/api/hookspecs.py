"""The whole plugin API of ftlint, one documented stub per hook.

A plugin is a module or object with functions marked ``@ftlint.hookimpl`` and
named after the stubs below, registered through the ``ftlint`` entry-point
group::

    [project.entry-points.ftlint]
    my-plugin = "my_plugin"

ftlint's own built-in readers, shapes, reporters and rules use the same hooks.
Hooks are grouped by the phase of a run in which they are called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ftlint.api.execution import Executor
    from ftlint.api.rules import Rule
    from ftlint.configs.framework import ConfigFramework
    from ftlint.configs.model_catalog import ModelSpec
    from ftlint.readers.base import Reader
    from ftlint.reporters.base import Reporter
    from ftlint.settings.schema import Settings
    from ftlint.shapes.base import Shape

PROJECT_NAME = "ftlint"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


# --- Registration: called once when the plugins are loaded, before settings are read.


@hookspec
def ftlint_rules() -> Sequence[type[Rule]]:
    """Return the rule classes this plugin provides.

    Called once at start-up. Every code and name must be unique across all
    plugins: two plugins claiming one code stop the run with an error naming
    both.
    """
    raise NotImplementedError


@hookspec
def ftlint_record_shapes() -> Sequence[Shape]:
    """Return record shapes (formats) this plugin recognises.

    Called once at start-up. The engine tries all shapes of all plugins in
    ``priority`` order and normalises each record with the first that matches.
    """
    raise NotImplementedError


@hookspec
def ftlint_readers() -> Sequence[Reader]:
    """Return readers for dataset file formats.

    Called once at start-up. For each file, the first reader (in plugin
    registration order, built-ins last) whose ``accepts(path)`` is true reads it,
    so a plugin can take over a format ftlint already reads.
    """
    raise NotImplementedError


@hookspec
def ftlint_reporters() -> Sequence[type[Reporter]]:
    """Return reporter classes; each ``name`` becomes an ``--output-format`` value.

    Called once at start-up. A name already taken is an error at load time.
    """
    raise NotImplementedError


@hookspec
def ftlint_config_frameworks() -> Sequence[ConfigFramework]:
    """Return training-config frameworks this plugin recognises.

    Called once at start-up. A YAML or JSON file that some framework
    recognises is linted as a config by the config rules.
    """
    raise NotImplementedError


@hookspec
def ftlint_models() -> Sequence[ModelSpec]:
    """Return facts about base models: :class:`~ftlint.configs.model_catalog.ModelSpec`
    entries (a pattern over the model id; family, context length, chat
    template family, size).

    Called once at start-up. Config rules look a config's model up in these
    before ftlint's built-in table, so a plugin can add a model family or
    correct a built-in entry. A local model folder's ``config.json`` still
    comes first.
    """
    raise NotImplementedError


@hookspec
def ftlint_executors() -> Sequence[type[Executor]]:
    """Return executor classes (:class:`~ftlint.api.execution.Executor`); each
    ``name`` becomes an ``--engine`` value (``engine`` in settings).

    Called once at start-up. An executor lints the units of a run's files
    wherever it likes (processes, a cluster) and hands back each file's
    merged outcome in file order; its options are the keys of
    ``[tool.ftlint.engine]`` besides ``name``, validated by its ``Options``.
    The built-in ``local`` executor is the process pool. A name already
    taken is an error at load time.
    """
    raise NotImplementedError


# --- Configuration: called once per run, after settings are resolved.


@hookspec
def ftlint_configure(settings: Settings) -> None:
    """Called once per run with the resolved settings, before any file is read.

    A plugin reads its own settings here (per-rule options are validated by
    the rule's ``Options`` model and need no hook). The result is ignored.
    """
