"""From command-line paths to the files a run lints.

Folders are walked recursively, skipping hidden folders, virtual environments,
caches and the ``exclude`` globs. A file is a *dataset file* when a reader
accepts it, and a *config candidate* when it is YAML, or JSON holding one
object; which framework a config belongs to is decided later, by content.

Each dataset file gets its dataset and split from :mod:`ftlint.run.layouts`
(settings globs, a dataset card, split folders, split names; else it is a
dataset of its own).

When a dataset file is named on the command line (as pre-commit does with
the changed files), the other files of its dataset are read too, as
*companions*: cross-split rules need them, but their own findings are not
reported. (The engine adds the companions that training configs bring.)
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ftlint.core.records import DatasetFile
from ftlint.readers.base import Reader, reader_for
from ftlint.readers.config import looks_like_config_file
from ftlint.run.layouts import Layouts
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
    #: Files found but not read, with why (for ``--show-files``).
    skipped: list[tuple[str, str]] = field(default_factory=list)


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
        self.layouts = Layouts(settings, self.is_lintable, self._walk, display_path)

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

    def _companions(self, files: Sequence[Path], found: dict[Path, bool]) -> list[Path]:
        """The other files of the datasets of explicitly named dataset files."""
        companions: set[Path] = set()
        for file in files:
            if self.is_lintable(file):
                companions.update(m for m in self.layouts.members(file) if m not in found)
        return sorted(companions)

    def is_lintable(self, path: Path) -> bool:
        """Whether ``path`` is a dataset file to lint: a reader accepts it, no
        exclude matches, and it is no config."""
        return (
            path.is_file()
            and not self.is_excluded(path)
            and reader_for(path, self.readers) is not None
            and not looks_like_config_file(path)
        )

    def dataset_file(self, path: Path) -> DatasetFile:
        """``path`` as a dataset file, with its dataset and split."""
        membership = self.layouts.membership(path)
        return DatasetFile(
            path,
            display_path(path),
            membership.split,
            membership.dataset,
            path.stat().st_size,
            layout=membership.how,
        )

    def config_candidates(self, folder: Path) -> Iterator[ConfigCandidate]:
        """The config candidates a run over ``folder`` would find."""
        for file in self._walk(folder):
            if self._is_config_candidate(file, explicit=False):
                yield ConfigCandidate(file.resolve(), display_path(file), explicit=False)

    def _classify(self, path: Path, explicit: bool, result: Discovery) -> None:
        if looks_like_config_file(path):
            if self._is_config_candidate(path, explicit):
                result.configs.append(ConfigCandidate(path, display_path(path), explicit))
            else:
                result.skipped.append((display_path(path), "a JSON object over 1 MiB: no config"))
            return
        if reader_for(path, self.readers) is not None:
            result.datasets.append(self.dataset_file(path))
        else:
            result.skipped.append((display_path(path), "no reader for this file type"))

    @staticmethod
    def _is_config_candidate(path: Path, explicit: bool) -> bool:
        # Training configs are a few kilobytes; a large JSON object found in a
        # folder is data (a ground-truth file, a dataset_info map) and parsing
        # it with positions would cost a minute for nothing.
        return looks_like_config_file(path) and (
            explicit or path.stat().st_size <= MAX_DISCOVERED_CONFIG_BYTES
        )
