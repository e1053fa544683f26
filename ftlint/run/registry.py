"""Loading plugins and indexing what they provide.

Plugins come from the ``ftlint`` entry-point group; ftlint's own readers,
shapes and reporters are registered the same way, directly. A plugin that
fails to import is recorded with its name and error and the run goes on
without it (``strict=True`` makes that fatal). Two plugins claiming one rule
code or name, or one output-format name, is always fatal, naming both.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import pluggy

from ftlint.api import hookspecs
from ftlint.api.documentation import BUILTIN_PLUGIN
from ftlint.api.execution import Executor
from ftlint.api.rules import CODE_PATTERN, NAME_PATTERN, Rule
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.model_catalog import ModelSpec
from ftlint.readers.base import Reader
from ftlint.reporters.base import Reporter
from ftlint.shapes.base import Shape

ENTRY_POINT_GROUP = "ftlint"


class PluginError(Exception):
    """A plugin cannot be used: it failed to load, or it conflicts with another."""


@dataclass(frozen=True, slots=True)
class PluginLoadFailure:
    plugin: str
    error: str


@dataclass
class Registry:
    """Everything the loaded plugins provide, indexed for the engine and the CLI."""

    rules: dict[str, type[Rule]] = field(default_factory=dict)
    rule_names: dict[str, str] = field(default_factory=dict)
    shapes: list[Shape] = field(default_factory=list)
    readers: list[Reader] = field(default_factory=list)
    reporters: dict[str, type[Reporter]] = field(default_factory=dict)
    frameworks: list[ConfigFramework] = field(default_factory=list)
    models: list[ModelSpec] = field(default_factory=list)
    executors: dict[str, type[Executor]] = field(default_factory=dict)
    failures: list[PluginLoadFailure] = field(default_factory=list)
    manager: pluggy.PluginManager | None = None

    def rule(self, code_or_name: str) -> type[Rule] | None:
        """The rule with this code (any case) or kebab-case name."""
        key = code_or_name.strip()
        code = key.upper()
        if code in self.rules:
            return self.rules[code]
        found = self.rule_names.get(key.lower())
        return self.rules[found] if found else None

    def add_rules(self, plugin: str, rules: Iterable[type[Rule]]) -> None:
        for rule in rules:
            _check_rule_metadata(plugin, rule)
            clash = self.rules.get(rule.code) or self.rule(rule.name)
            if clash is not None and clash is not rule:
                raise PluginError(
                    f"rule {rule.code} ({rule.name}) from plugin '{plugin}' clashes with "
                    f"{clash.code} ({clash.name}) from plugin '{clash.plugin}'"
                )
            rule.plugin = plugin
            self.rules[rule.code] = rule
            self.rule_names[rule.name] = rule.code

    def add_reporters(self, plugin: str, reporters: Iterable[type[Reporter]]) -> None:
        _add_named(self.reporters, "output format", plugin, reporters)

    def add_executors(self, plugin: str, executors: Iterable[type[Executor]]) -> None:
        _add_named(self.executors, "engine", plugin, executors)


Named = TypeVar("Named", type[Reporter], type[Executor])


def _add_named(table: dict[str, Named], kind: str, plugin: str, classes: Iterable[Named]) -> None:
    """Index ``classes`` by their ``name``; a name another class took is an error."""
    for named in classes:
        clash = table.get(named.name)
        if clash is not None and clash is not named:
            raise PluginError(
                f"{kind} '{named.name}' from plugin '{plugin}' is already "
                f"provided by {clash.__module__}"
            )
        table[named.name] = named


def _check_rule_metadata(plugin: str, rule: type[Rule]) -> None:
    for attribute in ("code", "name", "summary", "severity"):
        if not hasattr(rule, attribute):
            raise PluginError(f"rule {rule.__qualname__} from plugin '{plugin}' has no {attribute}")
    if not CODE_PATTERN.match(rule.code):
        raise PluginError(
            f"rule {rule.__qualname__} from plugin '{plugin}' has code {rule.code!r}; "
            "codes are 1-4 capital letters and three digits"
        )
    if not NAME_PATTERN.match(rule.name):
        raise PluginError(
            f"rule {rule.code} from plugin '{plugin}' has name {rule.name!r}; names are kebab-case"
        )


def load_plugins(*, strict: bool = False, extra: Iterable[Any] = ()) -> Registry:
    """Load the built-ins, every installed ``ftlint`` plugin and ``extra`` plugin
    objects (for tests), and index what they provide."""
    from ftlint.run import builtin_plugin as builtin

    manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager=manager)
    manager.register(builtin, name=BUILTIN_PLUGIN)

    for entry_point in sorted(
        importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name
    ):
        try:
            plugin = entry_point.load()
        except Exception as error:  # a broken plugin must not take ftlint down
            failure = PluginLoadFailure(entry_point.name, f"{type(error).__name__}: {error}")
            if strict:
                raise PluginError(
                    f"plugin '{entry_point.name}' failed to load: {failure.error}"
                ) from error
            registry.failures.append(failure)
            continue
        if manager.is_registered(plugin):
            continue
        manager.register(plugin, name=entry_point.name)
    for number, plugin in enumerate(extra):
        if not manager.is_registered(plugin):
            manager.register(plugin, name=getattr(plugin, "__name__", f"extra-{number}"))

    hook = manager.hook
    # Each implementation is called on its own, so that every rule and reporter
    # is known by the plugin that provides it (for listings and clash messages).
    for impl in hook.ftlint_rules.get_hookimpls():
        registry.add_rules(_plugin_label(impl), cast("Iterable[type[Rule]]", impl.function()))
    for impl in hook.ftlint_reporters.get_hookimpls():
        reporters = cast("Iterable[type[Reporter]]", impl.function())
        registry.add_reporters(_plugin_label(impl), reporters)
    for impl in hook.ftlint_executors.get_hookimpls():
        executors = cast("Iterable[type[Executor]]", impl.function())
        registry.add_executors(_plugin_label(impl), executors)
    # pluggy calls the last registered first, so plugins come before built-ins.
    registry.readers = [r for group in hook.ftlint_readers() for r in group]
    registry.shapes = sorted(
        (s for group in hook.ftlint_record_shapes() for s in group), key=lambda s: s.priority
    )
    registry.frameworks = [f for group in hook.ftlint_config_frameworks() for f in group]
    registry.models = [m for group in hook.ftlint_models() for m in group]
    return registry


def _plugin_label(impl: Any) -> str:
    name = str(impl.plugin_name)
    return BUILTIN_PLUGIN if name in (BUILTIN_PLUGIN, "builtin-rules") else name
