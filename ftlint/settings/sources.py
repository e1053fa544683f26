"""Where each setting of a run came from, for ``ftlint check --show-settings``.

A setting's value comes from the command line, else from the settings file
(``ftlint.toml``, ``.ftlint.toml`` or ``pyproject.toml``'s ``[tool.ftlint]``),
else it is the default. Tables (``tokens``, ``splits``) are shown key by key.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from ftlint.settings.schema import Settings

DEFAULT = "default"
COMMAND_LINE = "command line"


def describe_settings(file_settings: Settings, overrides: Mapping[str, Any]) -> list[str]:
    """One ``key = value  # source`` line a setting (keys as in the settings
    file), for the settings read from a file (or the defaults) with the
    command line's ``overrides`` (values that are not None) applied."""
    from_file = str(file_settings.source) if file_settings.source else DEFAULT
    given = {key for key, value in overrides.items() if value is not None}
    resolved = file_settings.with_overrides(**overrides)
    lines = [f"# settings file: {file_settings.source or 'none found'}"]
    lines.append(f"# globs are relative to: {resolved.root}")
    for key, value, set_in_file in _entries(resolved, file_settings):
        top = key.split(".", 1)[0].replace("-", "_")
        source = COMMAND_LINE if top in given else from_file if set_in_file else DEFAULT
        lines.append(f"{key} = {_toml(value)}  # {source}")
    return lines


def _entries(
    model: BaseModel, file_model: BaseModel, prefix: str = ""
) -> Iterator[tuple[str, Any, bool]]:
    """(dotted kebab-case key, value, whether the file set it), nested tables
    key by key."""
    for name, field in type(model).model_fields.items():
        if field.exclude:
            continue
        key = prefix + (field.alias or name)
        value = getattr(model, name)
        in_file = name in file_model.model_fields_set
        if isinstance(value, BaseModel):
            yield from _entries(value, getattr(file_model, name), f"{key}.")
        else:
            yield key, value, in_file


def _toml(value: Any) -> str:
    """A value written as TOML would (near enough: JSON for lists and tables)."""
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return json.dumps(value, default=str)
