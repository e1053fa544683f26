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

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ftlint.core.findings import Severity


class SettingsError(Exception):
    """Settings cannot be used. The message names the file and the key."""


def kebab_case(name: str) -> str:
    """A settings key as users write it: ``min_train`` is ``min-train``. Every
    model read from settings (ftlint's, a rule's options, an executor's)
    spells its keys with this."""
    return name.replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=kebab_case, populate_by_name=True)


class SplitPatterns(_Model):
    """Globs that say which files are which split, when file names do not.

    A file matching none of them falls back to its name (``train.jsonl``,
    ``valid.jsonl``, ``data/test-00000-of-00002.parquet``).
    """

    train: list[str] = Field(default_factory=list)
    validation: list[str] = Field(default_factory=list)
    test: list[str] = Field(default_factory=list)


class TokenSettings(_Model):
    """The ``[tokens]`` table: how records are tokenised (see ``ftlint.text.tokens``).

    ``encoding`` names a tiktoken encoding; ``model`` picks one by model name
    when ``encoding`` is unset (default ``o200k_base``). ``max-tokens`` is the
    longest record the training run takes (default 4096; see
    ``TokenCounter.with_sequence_length`` for a config's sequence length).
    """

    encoding: str | None = None
    model: str | None = None
    max_tokens: int | None = Field(default=None, ge=1)


class EngineSettings(BaseModel):
    """The ``engine`` key: the executor that lints the files (``local``, the
    process pool, by default; plugins add others, see
    :mod:`ftlint.api.execution`), as a name (``engine = "ray"``) or as a
    table with its options (``[tool.ftlint.engine]``, ``name = "ray"``,
    ``address = "ray://head:10001"``). The executor validates its options."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str = "local"

    @model_validator(mode="before")
    @classmethod
    def _a_name(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value

    @property
    def options(self) -> dict[str, Any]:
        """The executor's options: the table's keys but ``name``."""
        return dict(self.model_extra or {})


class Settings(_Model):
    """Everything a run can be told, from a settings file or the command line."""

    select: list[str] | None = Field(
        default=None,
        description="Rules to run, by code, prefix or name; unset means the default set.",
    )
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Glob -> rules (codes, prefixes or names) not reported in matching files.",
    )
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="Rule code, prefix or name -> severity override."
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
        default=".ftlint_cache",
        description="Where per-file results are cached (see ftlint.run.cache).",
    )
    quarantine_dir: str = Field(
        default=".ftlint/removed",
        description=(
            "Where --fix keeps every record it removes and the original of every record it "
            "changes: <quarantine-dir>/<dataset path>.jsonl (see ftlint.run.dataset_fixes)."
        ),
    )
    shard_size: int = Field(
        default=16 << 20,
        ge=1,
        description="Bytes: a JSON Lines file larger than this is linted in ranges of this size.",
    )
    references: list[str] = Field(
        default_factory=list,
        description="Reference files (benchmark test sets) training data must not contain (L004).",
    )
    tokens: TokenSettings = Field(default_factory=TokenSettings)
    engine: EngineSettings = Field(default_factory=EngineSettings)

    #: The folder relative globs are resolved against (the settings file's folder).
    root: Path = Field(default_factory=Path.cwd, exclude=True)
    #: The settings file these came from, if any.
    source: Path | None = Field(default=None, exclude=True)
    #: What :attr:`from_command_line` returns; private, so no settings file sets it.
    _from_command_line: frozenset[str] = PrivateAttr(default_factory=frozenset)

    @field_validator("select", "extend_select", "ignore", "references", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("cache_dir", "references")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # The operating system refuses a path with a NUL in it; say so here,
        # naming the key, rather than when the path is first opened.
        paths = [value] if isinstance(value, str) else value
        if any("\0" in path for path in paths):
            raise ValueError("a path cannot contain a NUL character")
        return value

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with command-line values (those not None) applied."""
        changes = {key: value for key, value in overrides.items() if value is not None}
        copy = self.model_copy(update=changes)
        copy._from_command_line = self._from_command_line | {kebab_case(key) for key in changes}
        return copy

    @property
    def from_command_line(self) -> frozenset[str]:
        """The keys (kebab-case) whose value the command line set
        (:meth:`with_overrides`), so that an error in one names the flag, not
        the file."""
        return self._from_command_line


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
