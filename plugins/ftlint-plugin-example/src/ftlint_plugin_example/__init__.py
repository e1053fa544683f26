"""An example ftlint plugin: one dataset rule, registered through the
``ftlint`` entry-point group (see this package's pyproject.toml)."""

from __future__ import annotations

from collections.abc import Sequence

from ftlint.api import Rule, hookimpl
from ftlint_plugin_example.missing_system_prompt import MissingSystemPrompt

__all__ = ["MissingSystemPrompt", "ftlint_rules"]


@hookimpl
def ftlint_rules() -> Sequence[type[Rule]]:
    return [MissingSystemPrompt]
