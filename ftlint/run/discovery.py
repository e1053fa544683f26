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

A path may come with *unsaved content* (stdin, an editor's buffer): it is
discovered as a named file whether or not it exists on disk, its split and
dataset are the path's, and its content stands in for the file's bytes.

Only regular files are read. FIFOs, devices and sockets (reading them blocks
or never ends), dangling symlinks and symlink loops found in a folder are
skipped with a warning; named on the command line, they are errors, and so
is a named file that ftlint reads nothing from (``notes.txt``), and a folder
that cannot be listed. A symlink is known by its own name, not its
target's: the Hugging Face cache links ``snapshots/main/train.jsonl`` to
``blobs/<sha>``, whose name says nothing of what it holds.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    """A file that may be a training config. ``explicit``: named on the command
    line; ``content``: its unsaved text, read in place of the file's."""

    path: Path
    display: str
    explicit: bool
    content: bytes | None = field(default=None, repr=False, compare=False)


@dataclass
class Discovery:
    """What a run will read. ``report_only`` is the set of display paths whose
    findings are reported, or None for all of them."""

    datasets: list[DatasetFile] = field(default_factory=list)
    configs: list[ConfigCandidate] = field(default_factory=list)
    report_only: set[str] | None = None
    missing: list[str] = field(default_factory=list)
    #: Files that looked lintable (YAML, JSON) but are not read, with why: the
    #: summary counts them and ``--show-files`` lists them.
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: Files of a type no reader takes (a README, source code), with why: only
    #: ``--show-files`` lists them; they are no news in a summary.
    unread: list[tuple[str, str]] = field(default_factory=list)
    #: Named paths that cannot be read (or hold nothing ftlint reads), and
    #: folders that cannot be listed: errors.
    errors: list[str] = field(default_factory=list)
    #: Files skipped in folders, and folders that hold nothing to lint.
    warnings: list[str] = field(default_factory=list)


#: The file types that are never read, by name (reading a FIFO waits for a
#: writer; a character device such as /dev/zero never ends).
_SPECIAL_FILES = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def unreadable_reason(path: Path) -> str | None:
    """Why ``path`` is not a regular file or folder that can be read: a
    dangling symlink, a symlink loop, a FIFO, a device, a socket; None when
    it is one."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a dangling symlink" if path.is_symlink() else "no such file or folder"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symlink loop"
        return f"cannot be read: {error.strerror}"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _SPECIAL_FILES.get(stat.S_IFMT(mode), "not a regular file")


def canonical(path: Path) -> Path:
    """``path`` absolute, with the symlinks of its folders resolved but not its
    own name: a symlinked file is known by its name (and read through it)."""
    if path.name in ("", ".", ".."):
        return path.resolve()
    return path.parent.resolve() / path.name


def display_path(path: Path, cwd: Path | None = None) -> str:
    """``path`` relative to the working directory when under it, with forward slashes."""
    base = (cwd or Path.cwd()).resolve()
    resolved = canonical(path)
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

    def discover(
        self, paths: Sequence[Path], buffers: Mapping[Path, bytes] | None = None
    ) -> Discovery:
        """What ``paths`` hold. ``buffers`` maps resolved paths (each also in
        ``paths``) to unsaved content linted in place of the file's."""
        buffers = buffers or {}
        result = Discovery()
        explicit_files: list[Path] = []
        found: dict[Path, bool] = {}  # path -> named explicitly
        for path in paths or [Path(".")]:
            if buffers and path.resolve() in buffers:
                found[path.resolve()] = True
                explicit_files.append(path.resolve())
                continue
            reason = unreadable_reason(path)
            if reason == "no such file or folder":
                result.missing.append(str(path))
            elif reason is not None:
                result.errors.append(f"{path}: {reason}; not read")
            elif path.is_dir():
                for file in self._walk(path, result):
                    found.setdefault(canonical(file), False)
            else:
                found[canonical(path)] = True
                explicit_files.append(canonical(path))

        companions = self._companions(explicit_files, found) if explicit_files else []
        if explicit_files and not any(p.is_dir() for p in paths):
            result.report_only = {display_path(p) for p in found}
        for file in companions:
            found.setdefault(file, False)

        for file in sorted(found, key=lambda p: display_path(p)):
            classified = self._classify(file, found[file], result, buffers.get(file))
            if not classified and found[file]:
                result.errors.append(
                    f"{display_path(file)}: not a dataset or config file ftlint reads; not read"
                )
        self._warn_about_empty_folders(paths, result)
        return result

    def _walk(self, folder: Path, result: Discovery | None = None) -> Iterable[Path]:
        """The files under ``folder`` to classify; what cannot be listed or
        read goes to ``result``'s errors and warnings (when it is given: a
        walk for dataset layouts or companions reports nothing)."""

        def unlistable(error: OSError) -> None:
            if result is not None:
                result.errors.append(f"{error.filename}: cannot list the folder: {error.strerror}")

        for current, dirs, files in os.walk(folder, onerror=unlistable):
            base = Path(current)
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and not self.is_excluded(base / d)
            )
            for name in sorted(files):
                file = base / name
                if self.is_excluded(file):
                    continue
                reason = unreadable_reason(file)
                if reason is None:
                    yield file
                elif result is not None:
                    result.warnings.append(f"{display_path(file)}: {reason}; skipped")

    @staticmethod
    def _warn_about_empty_folders(paths: Sequence[Path], result: Discovery) -> None:
        """Warn about each named folder in which no dataset or config file was found."""
        read = [d.path for d in result.datasets] + [c.path for c in result.configs]
        for path in paths or [Path(".")]:
            if path.is_dir() and not any(p.is_relative_to(canonical(path)) for p in read):
                result.warnings.append(f"{path}: no dataset or config file found")

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
            return canonical(path).relative_to(self.settings.root).as_posix()
        except ValueError:
            return canonical(path).as_posix()

    def _companions(self, files: Sequence[Path], found: dict[Path, bool]) -> list[Path]:
        """The other files of the datasets of explicitly named dataset files."""
        companions: set[Path] = set()
        for file in files:
            if self.is_lintable(file, named=True):
                companions.update(m for m in self.layouts.members(file) if m not in found)
        return sorted(companions)

    def is_lintable(self, path: Path, *, named: bool = False) -> bool:
        """Whether ``path`` is a dataset file to lint: a reader accepts it, no
        exclude matches, and it is no config. A ``named`` path may not exist on
        disk (its content is unsaved: stdin, an editor's buffer)."""
        return (
            (named or path.is_file())
            and not self.is_excluded(path)
            and reader_for(path, self.readers) is not None
            and not looks_like_config_file(path)
        )

    def dataset_file(self, path: Path, content: bytes | None = None) -> DatasetFile:
        """``path`` as a dataset file, with its dataset and split; ``content``
        is its unsaved text, read in place of the file's bytes."""
        membership = self.layouts.membership(path)
        return DatasetFile(
            path,
            display_path(path),
            membership.split,
            membership.dataset,
            path.stat().st_size if content is None else len(content),
            layout=membership.how,
            content=content,
        )

    def config_candidates(self, folder: Path) -> Iterator[ConfigCandidate]:
        """The config candidates a run over ``folder`` would find."""
        for file in self._walk(folder):
            if self._is_config_candidate(file, explicit=False):
                yield ConfigCandidate(file.resolve(), display_path(file), explicit=False)

    def _classify(
        self, path: Path, explicit: bool, result: Discovery, content: bytes | None
    ) -> bool:
        """Add ``path`` to the datasets or configs, or to what was skipped;
        False when ftlint reads nothing from it."""
        display = display_path(path)
        if looks_like_config_file(path, content):
            if explicit or self._is_config_candidate(path, explicit):
                result.configs.append(ConfigCandidate(path, display, explicit, content))
            else:
                result.skipped.append((display, "a JSON object over 1 MiB: no config"))
            return True
        if reader_for(path, self.readers) is None:
            result.unread.append((display, "no reader for this file type"))
            return False
        result.datasets.append(self.dataset_file(path, content))
        return True

    @staticmethod
    def _is_config_candidate(path: Path, explicit: bool) -> bool:
        # Training configs are a few kilobytes; a large JSON object found in a
        # folder is data (a ground-truth file, a dataset_info map) and parsing
        # it with positions would cost a minute for nothing.
        return looks_like_config_file(path) and (
            explicit or path.stat().st_size <= MAX_DISCOVERED_CONFIG_BYTES
        )
