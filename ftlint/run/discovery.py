"""From command-line paths to the files a run lints.

Folders are walked recursively, skipping hidden folders, virtual environments,
caches and the ``exclude`` globs. A file is a *dataset file* when a reader
accepts it, and a *config candidate* when it is YAML, or JSON holding one
object; which framework a config belongs to is decided later, by content.

Each dataset file gets a split from the ``splits`` globs in settings, else from
its name: the words of its name (``gsm_8k_train``, ``train-00000-of-00003``)
or, failing that, of its folder (``valid/part-0.jsonl``). The files of one
folder that have a split form one dataset, so leakage is looked for between a
folder's ``train.jsonl`` and its own ``test.jsonl``; a file whose split is
unknown is a dataset of its own.

When a file with a split is named on the command line (as pre-commit does
with the changed files), its sibling splits are read too, as *companions*:
cross-split rules need them, but their own findings are not reported.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ftlint.core.naming import split_from_name
from ftlint.core.records import DatasetFile, Split
from ftlint.readers.base import Reader, reader_for
from ftlint.readers.config import looks_like_config_file
from ftlint.settings.schema import DEFAULT_EXCLUDES, Settings

#: Config candidates found by walking a folder are read only up to this size.
MAX_DISCOVERED_CONFIG_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class ConfigCandidate:
    """A file that may be a training config. ``explicit``: named on the command line."""

    path: Path
    display: str
    explicit: bool


@dataclass
class Discovery:
    """What a run will read. ``report_only`` is the set of display paths whose
    findings are reported, or None for all of them."""

    datasets: list[DatasetFile] = field(default_factory=list)
    configs: list[ConfigCandidate] = field(default_factory=list)
    report_only: set[str] | None = None
    missing: list[str] = field(default_factory=list)


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the working directory when under it, with forward slashes."""
    base = (cwd or Path.cwd()).resolve()
    resolved = path.resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix()


class Discoverer:
    """Walks paths with one set of settings and readers."""

    def __init__(self, settings: Settings, readers: Sequence[Reader]) -> None:
        self.settings = settings
        self.readers = readers
        self.excludes = [*DEFAULT_EXCLUDES, *settings.exclude, *settings.extend_exclude]

    def discover(self, paths: Sequence[Path]) -> Discovery:
        result = Discovery()
        explicit_files: list[Path] = []
        found: dict[Path, bool] = {}  # path -> named explicitly
        for path in paths or [Path(".")]:
            if not path.exists():
                result.missing.append(str(path))
            elif path.is_dir():
                for file in self._walk(path):
                    found.setdefault(file.resolve(), False)
            else:
                found[path.resolve()] = True
                explicit_files.append(path.resolve())

        companions = self._companions(explicit_files, found) if explicit_files else []
        if explicit_files and not any(p.is_dir() for p in paths):
            result.report_only = {display_path(p) for p in found}
        for file in companions:
            found.setdefault(file, False)

        for file in sorted(found, key=lambda p: display_path(p)):
            self._classify(file, found[file], result)
        return result

    def _walk(self, folder: Path) -> Iterable[Path]:
        for current, dirs, files in os.walk(folder):
            base = Path(current)
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not self.is_excluded(base / d)
            )
            for name in sorted(files):
                file = base / name
                if not self.is_excluded(file):
                    yield file

    def is_excluded(self, path: Path) -> bool:
        relative = self._relative_to_root(path)
        return any(
            fnmatch.fnmatch(path.name, pattern)
            or fnmatch.fnmatch(relative, pattern)
            or fnmatch.fnmatch(relative, f"{pattern.rstrip('/')}/*")
            for pattern in self.excludes
        )

    def _relative_to_root(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.settings.root).as_posix()
        except ValueError:
            return path.resolve().as_posix()

    def split_of(self, path: Path) -> Split | None:
        relative = self._relative_to_root(path)
        patterns = self.settings.splits
        for split, globs in (
            (Split.TRAIN, patterns.train),
            (Split.VALIDATION, patterns.validation),
            (Split.TEST, patterns.test),
        ):
            if any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(path.name, g) for g in globs):
                return split
        return split_from_name(path)

    def _companions(self, files: Sequence[Path], found: dict[Path, bool]) -> list[Path]:
        """Sibling split files of explicitly named dataset files."""
        siblings: list[Path] = []
        folders = {f.parent for f in files if reader_for(f, self.readers) and self.split_of(f)}
        for folder in sorted(folders):
            for candidate in sorted(folder.iterdir()):
                if (
                    candidate.is_file()
                    and candidate not in found
                    and not self.is_excluded(candidate)
                    and reader_for(candidate, self.readers)
                    and self.split_of(candidate) is not None
                ):
                    siblings.append(candidate)
        return siblings

    def _classify(self, path: Path, explicit: bool, result: Discovery) -> None:
        display = display_path(path)
        if looks_like_config_file(path):
            # Training configs are a few kilobytes; a large JSON object found
            # in a folder is data (a ground-truth file, a dataset_info map) and
            # parsing it with positions would cost a minute for nothing.
            if explicit or path.stat().st_size <= MAX_DISCOVERED_CONFIG_BYTES:
                result.configs.append(ConfigCandidate(path, display, explicit))
            return
        if reader_for(path, self.readers) is None:
            return
        split = self.split_of(path)
        dataset = display_path(path.parent) if split is not None else display
        size = path.stat().st_size
        result.datasets.append(DatasetFile(path, display, split, dataset, size))
