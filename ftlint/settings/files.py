"""Finding, reading and validating the settings file (the keys are in
:mod:`ftlint.settings.schema`)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ftlint.settings.schema import Settings, SettingsError

OptionsT = TypeVar("OptionsT", bound=BaseModel)


SETTINGS_FILE_NAMES = ("ftlint.toml", ".ftlint.toml", "pyproject.toml")


def find_settings_file(start: Path) -> Path | None:
    """The first settings file at or above ``start``."""
    folder = start if start.is_dir() else start.parent
    for candidate_folder in (folder.resolve(), *folder.resolve().parents):
        for name in SETTINGS_FILE_NAMES:
            candidate = candidate_folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or _has_tool_table(candidate):
                return candidate
    return None


def _has_tool_table(pyproject: Path) -> bool:
    try:
        tool = _read_toml(pyproject).get("tool", {})
    except tomllib.TOMLDecodeError:
        return False  # a broken pyproject.toml is no business of ours, unless it is ours
    return isinstance(tool, dict) and "ftlint" in tool


def _read_toml(path: Path) -> dict[str, Any]:
    """The TOML document in ``path``. Raises SettingsError, naming the file,
    when it cannot be read or is not UTF-8 (TOML's only encoding)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SettingsError(f"{path}: cannot read settings: {error.strerror}") from error
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise SettingsError(
            f"{path}:{line}: not UTF-8 (byte 0x{data[error.start]:02x} at byte offset "
            f"{error.start}); TOML files must be UTF-8"
        ) from None
    return tomllib.loads(text)


def common_folder(paths: Sequence[Path]) -> Path:
    """The deepest folder that holds every path (the working directory for none)."""
    if not paths:
        return Path.cwd()
    resolved = [_resolved(p) for p in paths]
    folders = [p if p.is_dir() else p.parent for p in resolved]
    common = folders[0]
    for folder in folders[1:]:
        while common != folder and common not in folder.parents:
            common = common.parent
    return common


def _resolved(path: Path) -> Path:
    """``path`` resolved; absolute as it is when it is a symlink loop (which
    discovery reports)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: a symlink loop, before Python 3.13
        return path.absolute()


def load_settings(path: Path) -> Settings:
    """Read and validate the settings in ``path`` (``ftlint.toml`` or ``pyproject.toml``)."""
    try:
        document = _read_toml(path)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: invalid TOML: {error}") from error
    table: Any = document
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        table = tool.get("ftlint", {}) if isinstance(tool, dict) else {}
        if not isinstance(table, dict):
            raise SettingsError(f"{path}: 'tool.ftlint' must be a table ([tool.ftlint])")
    return parse_settings(table, source=path)


def parse_settings(table: dict[str, Any], *, source: Path | None = None) -> Settings:
    """Validate a settings table; errors name the key and the file."""
    where, prefix = _file_and_prefix(source)
    root = source.parent.resolve() if source else Path.cwd()
    try:
        return Settings.model_validate({**table, "root": root, "source": source})
    except ValidationError as error:
        raise SettingsError(_describe(error, where, prefix)) from None


def resolve_settings(paths: Sequence[Path], explicit: Path | None = None) -> Settings:
    """The settings for a run over ``paths``: ``explicit`` if given, else discovered."""
    if explicit is not None:
        if not explicit.is_file():
            raise SettingsError(f"{explicit}: settings file not found")
        return load_settings(explicit)
    found = find_settings_file(common_folder(paths))
    return load_settings(found) if found else Settings()


def validate_rule_options(
    settings: Settings, rule_options: Iterable[tuple[str, str, type[OptionsT]]]
) -> dict[str, OptionsT]:
    """Validate ``[rules.<code-or-name>]`` tables against each rule's ``Options``.

    ``rule_options`` yields (code, name, Options model) for every known rule.
    Returns the validated options by code. A table for no known rule, or an
    invalid option, is a :class:`SettingsError`.
    """
    known = {}
    for code, name, model in rule_options:
        known[code.upper()] = (code, model)
        known[name.lower()] = (code, model)
    where, prefix = _file_and_prefix(settings.source)
    validated: dict[str, OptionsT] = {}
    for key, table in settings.rules.items():
        entry = known.get(key.upper()) or known.get(key.lower())
        if entry is None:
            raise SettingsError(f"{where}: unknown rule '{prefix}rules.{key}'")
        code, model = entry
        try:
            validated[code] = model.model_validate(table)
        except ValidationError as error:
            raise SettingsError(_describe(error, where, f"{prefix}rules.{key}.")) from None
    return validated


def describe_key(source: Path | None, key: str) -> str:
    """How an error message names a settings key (a dotted path such as
    ``severity.S005``): the file, then the key as written there, under
    ``tool.ftlint.`` in ``pyproject.toml``."""
    where, prefix = _file_and_prefix(source)
    return f"{where}: '{prefix}{key}'"


def _file_and_prefix(source: Path | None) -> tuple[str, str]:
    """The settings file as error messages name it, and the prefix of its keys."""
    where = str(source) if source else "settings"
    prefix = "tool.ftlint." if source is not None and source.name == "pyproject.toml" else ""
    return where, prefix


def validate_engine_options(settings: Settings, model: type[OptionsT]) -> OptionsT:
    """Validate the options of ``[engine]`` (its keys but ``name``) against the
    chosen executor's ``Options``; an unknown or invalid option is a
    :class:`SettingsError` naming the key."""
    where, prefix = _file_and_prefix(settings.source)
    try:
        return model.model_validate(settings.engine.options)
    except ValidationError as error:
        raise SettingsError(_describe(error, where, f"{prefix}engine.")) from None


def _describe(error: ValidationError, where: str, prefix: str) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        if problem["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown key '{prefix}{key}'")
        else:
            lines.append(f"{where}: '{prefix}{key}': {problem['msg']}")
    return "\n".join(lines)
