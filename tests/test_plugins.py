"""Plugin loading: built-ins, broken plugins, conflicts."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

import ftlint.run.registry
from ftlint import RecordRule, Severity, hookimpl
from ftlint.run.registry import PluginError, load_plugins


class _Clash(RecordRule):
    code = "S005"
    name = "not-empty-content"
    summary = "Claims a built-in code."
    severity = Severity.INFO


class _ClashingPlugin:
    @staticmethod
    @hookimpl
    def ftlint_rules() -> Sequence[type[RecordRule]]:
        return [_Clash]


def test_builtins_are_registered() -> None:
    registry = load_plugins()
    assert {"text", "concise", "json", "jsonl", "sarif", "github"} <= set(registry.reporters)
    assert registry.readers
    assert registry.shapes
    assert registry.rule("S005") is registry.rule("empty-content") is not None


def test_two_plugins_claiming_one_code_fail_naming_both() -> None:
    with pytest.raises(PluginError) as error:
        load_plugins(extra=[_ClashingPlugin])
    message = str(error.value)
    assert "S005" in message
    assert "_ClashingPlugin" in message
    assert "'ftlint'" in message


def _broken_entry_point() -> Any:
    def fail() -> Any:
        raise ImportError("No module named 'ftlint_plugin_broken'")

    return SimpleNamespace(name="broken", load=fail)


def test_a_broken_plugin_is_reported_and_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ftlint.run.registry.importlib.metadata.entry_points

    def entry_points(*, group: str) -> list[Any]:
        return [*real(group=group), _broken_entry_point()]

    monkeypatch.setattr(ftlint.run.registry.importlib.metadata, "entry_points", entry_points)
    registry = load_plugins()
    assert [(f.plugin, "ftlint_plugin_broken" in f.error) for f in registry.failures] == [
        ("broken", True)
    ]
    assert registry.rule("S001") is not None
    with pytest.raises(PluginError, match="plugin 'broken' failed to load"):
        load_plugins(strict=True)
