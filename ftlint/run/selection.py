"""Rule selectors: the rules ``select``, ``extend-select``, ``ignore``,
``per-file-ignores`` and ``severity`` name, resolved to rule codes.

A selector is ``ALL``, a rule code (any case), a rule name (``empty-content``)
or a code prefix (``S``, ``S00``). :func:`codes_of` is the one place that reads
one; :meth:`Selection.resolve` reads every selector of the settings once, before
any file is read. As in ruff, a selector that names no rule stops the run
(a :class:`~ftlint.settings.schema.SettingsError`, exit 2) wherever it is
written, naming where: the settings file and key, or the command-line flag.
A typo must not silently select, ignore or re-grade nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ftlint.core.findings import Severity
from ftlint.run.registry import Registry
from ftlint.settings.files import describe_key
from ftlint.settings.schema import Settings, SettingsError

#: The selection keys the command line can set, and the flag that sets each.
_FLAGS = {"select": "--select", "extend-select": "--extend-select", "ignore": "--ignore"}


def codes_of(selector: str, registry: Registry) -> frozenset[str]:
    """The codes ``selector`` names: every rule for ``ALL``, one for a code or
    a name, every code that starts with a prefix; empty when it names none."""
    key = selector.strip()
    if key.upper() == "ALL":
        return frozenset(registry.rules)
    rule = registry.rule(key)
    if rule is not None:
        return frozenset({rule.code})
    prefix = key.upper()
    return frozenset(code for code in registry.rules if code.startswith(prefix))


@dataclass(frozen=True, slots=True)
class Selection:
    """What the settings select, in rule codes.

    ``enabled``: the rules the run runs. ``severities``: code -> the severity
    its findings are reported with, where settings override the rule's.
    ``per_file_ignores``: (glob, codes) pairs, in the settings' order.
    """

    enabled: frozenset[str]
    severities: Mapping[str, Severity]
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def resolve(cls, registry: Registry, settings: Settings) -> Selection:
        """Resolve every selector of ``settings``. ``select`` (default: every
        default-enabled rule) plus ``extend-select``, minus ``ignore``, is
        enabled; a later ``severity`` entry wins over an earlier one for a
        code both name. Raises a :class:`SettingsError` listing every selector
        that names no rule."""
        resolver = _Resolver(registry, settings)
        if settings.select is None:
            selected = frozenset(c for c, r in registry.rules.items() if r.default_enabled)
        else:
            selected = resolver.codes("select", settings.select)
        selected |= resolver.codes("extend-select", settings.extend_select)
        enabled = selected - resolver.codes("ignore", settings.ignore)
        severities = {
            code: severity
            for selector, severity in settings.severity.items()
            for code in resolver.codes(f"severity.{selector}", [selector])
        }
        per_file_ignores = tuple(
            (pattern, resolver.codes(f"per-file-ignores.{pattern}", selectors))
            for pattern, selectors in settings.per_file_ignores.items()
        )
        if resolver.unknown:
            raise SettingsError("\n".join(resolver.unknown))
        return cls(enabled, severities, per_file_ignores)


class _Resolver:
    """Resolves the selectors of one settings key at a time, noting each one
    that names no rule with where it was written."""

    def __init__(self, registry: Registry, settings: Settings) -> None:
        self.registry = registry
        self.settings = settings
        self.unknown: list[str] = []

    def codes(self, key: str, selectors: Iterable[str]) -> frozenset[str]:
        """The codes the ``selectors`` written under ``key`` (a dotted settings
        key, ``severity.S005``) name together."""
        found: frozenset[str] = frozenset()
        for selector in selectors:
            codes = codes_of(selector, self.registry)
            if not codes:
                self.unknown.append(f"{self._where(key)}: unknown rule or prefix '{selector}'")
            found |= codes
        return found

    def _where(self, key: str) -> str:
        if key in _FLAGS and key in self.settings.from_command_line:
            return _FLAGS[key]
        return describe_key(self.settings.source, key)
