"""Helpers for testing rules, for ftlint's own tests and for plugin authors.

:func:`check_files` writes a small dataset (or config) into a folder, checks
it with only the rules under test enabled, through the pipeline
``ftlint check`` runs (:mod:`ftlint.run.pipeline`), and returns the findings
it would report, with paths relative to that folder.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ftlint.core.findings import Finding
from ftlint.run.pipeline import CheckRequest, Pipeline
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings

FileContent = str | Sequence[Any]


def write_files(root: Path, files: Mapping[str, FileContent]) -> list[Path]:
    """Write each file under ``root``. A string is written as is; a list is
    written as JSON Lines (``.jsonl``) or as an indented JSON array (``.json``)."""
    written = []
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        elif name.endswith(".json"):
            path.write_text(json.dumps(list(content), indent=2, ensure_ascii=False) + "\n")
        else:
            lines = (json.dumps(value, ensure_ascii=False) for value in content)
            path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        written.append(path)
    return written


@contextlib.contextmanager
def working_directory(path: Path) -> Iterator[None]:
    previous = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def check_files(
    root: Path,
    files: Mapping[str, FileContent],
    *,
    select: Sequence[str],
    options: Mapping[str, Mapping[str, Any]] | None = None,
    settings: Mapping[str, Any] | None = None,
    extra_plugins: Sequence[Any] = (),
    paths: Sequence[str] = (".",),
) -> list[Finding]:
    """Lint ``files`` written under ``root`` with only ``select`` enabled.

    ``options`` maps a rule code or name to its options; ``settings`` holds any
    other settings keys (kebab-case, as in ``ftlint.toml``). ``paths`` are the
    command-line paths, relative to ``root`` (default: the whole folder; name
    files to lint them as the command line names them).
    """
    write_files(root, files)
    table: dict[str, Any] = dict(settings or {})
    table.update(select=list(select), rules={k: dict(v) for k, v in (options or {}).items()})
    table.setdefault("jobs", 1)
    resolved = Settings.model_validate({**table, "root": root.resolve()})
    registry = load_plugins(extra=extra_plugins)
    request = CheckRequest(paths=[Path(p) for p in paths])
    with working_directory(root):
        return Pipeline(registry, resolved, request).check().collected.findings
