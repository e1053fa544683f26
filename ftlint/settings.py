"""Settings: the ``[tool.ftlint]`` table of ``pyproject.toml`` or an ``ftlint.toml``.

Discovery works as in ruff: starting from the linted paths' common folder
(the working directory when none is given) and walking up, the first
``ftlint.toml`` (or ``.ftlint.toml``), or ``pyproject.toml`` with a
``[tool.ftlint]`` table, is the settings file. Globs in it (``exclude``,
``per-file-ignores``, ``splits``) are relative to the folder that holds it.
Command-line flags override what the file says.

Keys are kebab-case. An unknown key or a value of the wrong type is a
:class:`SettingsError` naming the key and the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ftlint.model import Severity

OptionsT = TypeVar("OptionsT", bound=BaseModel)

SETTINGS_FILE_NAMES = ("ftlint.toml", ".ftlint.toml", "pyproject.toml")


class SettingsError(Exception):
    """Settings cannot be used. The message names the file and the key."""


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)


class SplitPatterns(_Model):
    """Globs that say which files are which split, when file names do not.

    A file matching none of them falls back to its name (``train.jsonl``,
    ``valid.jsonl``, ``data/test-00000-of-00002.parquet``).
    """

    train: list[str] = Field(default_factory=list)
    validation: list[str] = Field(default_factory=list)
    test: list[str] = Field(default_factory=list)


class TokenSettings(_Model):
    """The ``[tokens]`` table: how records are tokenised (see ``ftlint.tokens``).

    ``encoding`` names a tiktoken encoding; ``model`` picks one by model name
    when ``encoding`` is unset (default ``o200k_base``). ``max-tokens`` is the
    longest record the training run takes (default 4096; see
    ``TokenCounter.with_sequence_length`` for a config's sequence length).
    """

    encoding: str | None = None
    model: str | None = None
    max_tokens: int | None = Field(default=None, ge=1)


class Settings(_Model):
    """Everything a run can be told, from a settings file or the command line."""

    select: list[str] | None = Field(
        default=None,
        description="Rules to run, by code, prefix or name; unset means the default set.",
    )
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, description="Glob -> rules not reported in matching files."
    )
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="Rule code or name -> severity override."
    )
    fail_on: Severity = Severity.ERROR
    exclude: list[str] = Field(default_factory=list)
    extend_exclude: list[str] = Field(default_factory=list)
    splits: SplitPatterns = Field(default_factory=SplitPatterns)
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Rule code or name -> that rule's options."
    )
    output_format: str | None = None
    max_findings: int | None = Field(default=None, ge=1)
    jobs: int | None = Field(default=None, ge=1)
    devices: int = Field(
        default=1, ge=1, description="Devices (GPUs) a training config runs on, for its batch size."
    )
    cache: bool = True
    cache_dir: str = Field(
        default=".ftlint_cache", description="Where per-file results are cached (see ftlint.cache)."
    )
    shard_size: int = Field(
        default=32 << 20,
        ge=1,
        description="Bytes: a JSON Lines file larger than this is linted in ranges of this size.",
    )
    references: list[str] = Field(
        default_factory=list,
        description="Reference files (benchmark test sets) training data must not contain (L004).",
    )
    tokens: TokenSettings = Field(default_factory=TokenSettings)

    #: The folder relative globs are resolved against (the settings file's folder).
    root: Path = Field(default_factory=Path.cwd, exclude=True)
    #: The settings file these came from, if any.
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("select", "extend_select", "ignore", "references", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with command-line values (those not None) applied."""
        changes = {key: value for key, value in overrides.items() if value is not None}
        return self.model_copy(update=changes)


DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".ftlint_cache",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
)


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
        with pyproject.open("rb") as handle:
            return "ftlint" in tomllib.load(handle).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        return False


def common_folder(paths: Sequence[Path]) -> Path:
    """The deepest folder that holds every path (the working directory for none)."""
    if not paths:
        return Path.cwd()
    resolved = [p.resolve() for p in paths]
    folders = [p if p.is_dir() else p.parent for p in resolved]
    common = folders[0]
    for folder in folders[1:]:
        while common != folder and common not in folder.parents:
            common = common.parent
    return common


def load_settings(path: Path) -> Settings:
    """Read and validate the settings in ``path`` (``ftlint.toml`` or ``pyproject.toml``)."""
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except OSError as error:
        raise SettingsError(f"{path}: cannot read settings: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: invalid TOML: {error}") from error
    table = (
        document.get("tool", {}).get("ftlint", {}) if path.name == "pyproject.toml" else document
    )
    return parse_settings(table, source=path)


def parse_settings(table: dict[str, Any], *, source: Path | None = None) -> Settings:
    """Validate a settings table; errors name the key and the file."""
    where = str(source) if source else "settings"
    prefix = "tool.ftlint." if source is not None and source.name == "pyproject.toml" else ""
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


def _describe(error: ValidationError, where: str, prefix: str) -> str:
    lines = []
    for problem in error.errors():
        key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        if problem["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown key '{prefix}{key}'")
        else:
            lines.append(f"{where}: '{prefix}{key}': {problem['msg']}")
    return "\n".join(lines)


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
    where = str(settings.source) if settings.source else "settings"
    prefix = "tool.ftlint." if settings.source and settings.source.name == "pyproject.toml" else ""
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
