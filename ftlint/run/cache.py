"""The content-addressed cache of per-file results (``.ftlint_cache/``).

Linting a file produces its record-rule findings and every dataset rule's
state (see :class:`~ftlint.run.engine.FileOutcome`). Both depend only on the
file's bytes, where it is (its display path, split and dataset, which
findings and cross-split rules use), and what runs: the ftlint version, the
enabled rules and their options, shapes, readers, token settings, reference
files, and the source files of the code that runs. The cache keys an outcome
by a hash of all of these, so an unchanged file is never read again: after
an edit of ``valid.jsonl``, leakage against an unchanged 1 GB
``train.jsonl`` costs hashing ``train.jsonl`` (about 0.4 s a GB) and loading
its states.

Entries are pickles written to a temporary file and renamed into place
(atomic on POSIX and Windows), so two runs sharing the cache never see a
half-written entry: at worst both compute the same entry and the last
rename wins. An entry that cannot be read (truncated, from another Python)
counts as a miss. Each file keeps its :data:`KEEP` most recent entries,
older ones are removed when a new one is written.

The folder holds pickles, which run code when loaded: it is created with a
``.gitignore`` and a ``CACHEDIR.TAG`` so that it is neither committed nor
backed up, and should never be shared with people you do not trust.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import xxhash

from ftlint.core.records import DatasetFile

#: Bump when the layout of cached outcomes changes.
FORMAT = 1
#: Entries kept per linted file.
KEEP = 4
#: A file's digest is remembered only when it was last changed this long before.
SETTLE_NS = 2_000_000_000
_CHUNK = 8 << 20
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by ftlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


def content_digest(path: Path) -> str:
    """xxh3-128 of a file's bytes (about 3 GB/s from the page cache)."""
    hasher = xxhash.xxh3_128()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def code_signature(module_prefixes: Iterable[str]) -> str:
    """A hash of the size and modification time of the source of every
    loaded module under ``module_prefixes``: editing a rule (or ftlint)
    invalidates the cache even when the version number stays the same."""
    prefixes = tuple(module_prefixes)
    hasher = xxhash.xxh3_64()
    for name in sorted(sys.modules):
        if not name.startswith(prefixes):
            continue
        source = getattr(sys.modules[name], "__file__", None)
        if not source:
            continue
        with contextlib.suppress(OSError):
            stat = os.stat(source)
            hasher.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


class OutcomeCache:
    """Cached outcomes under ``folder``, for one run configuration (``fingerprint``).

    Hashing a 1 GB file takes 0.3 s; to spare it, the digest of each file is
    remembered with the file's size, modification and change times and inode
    (as git's index does), and reused while they are unchanged. A file
    modified less than :data:`SETTLE_NS` before it was hashed is not
    remembered, since a later write in the same clock tick could leave its
    times unchanged.
    """

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self._digests: dict[str, tuple[tuple[int, ...], str]] | None = None
        self._changed = False

    def key(self, file: DatasetFile) -> str:
        """The key of ``file``'s outcome: its content, place and the run's fingerprint.
        Raises OSError when the file cannot be read."""
        parts = (
            str(FORMAT),
            self.fingerprint,
            self._digest(file.path),
            file.display,
            str(file.split),
            file.dataset,
        )
        # surrogatepass: a file name that is not UTF-8 reaches Python as surrogates.
        return xxhash.xxh3_128_hexdigest("\0".join(parts).encode("utf-8", "surrogatepass"))

    def _digest(self, path: Path) -> str:
        digests = self._known_digests()
        stat = path.stat()
        signature = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        name = str(path.resolve())
        known = digests.get(name)
        if known is not None and known[0] == signature:
            return known[1]
        digest = content_digest(path)
        if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLE_NS:
            digests[name] = (signature, digest)
            self._changed = True
        return digest

    def _known_digests(self) -> dict[str, tuple[tuple[int, ...], str]]:
        if self._digests is None:
            try:
                with (self.folder / f"v{FORMAT}" / "digests.pickle").open("rb") as stream:
                    loaded = pickle.load(stream)
                self._digests = _valid_digests(loaded)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
                self._digests = {}
        return self._digests

    def save_digests(self) -> None:
        """Remember the digests computed by :meth:`key` for the next run; never raises."""
        if not self._changed or self._digests is None:
            return
        with contextlib.suppress(OSError, pickle.PicklingError):
            self._write(self.folder / f"v{FORMAT}" / "digests.pickle", self._digests)
        self._changed = False

    def load(self, file: DatasetFile, key: str) -> Any | None:
        """The outcome stored under ``key``, or None."""
        try:
            with self._entry(file, key).open("rb") as stream:
                stored_key, outcome = pickle.load(stream)
        except (
            OSError,
            EOFError,
            pickle.UnpicklingError,
            AttributeError,
            ImportError,
            ValueError,
            TypeError,
            IndexError,
        ):
            return None
        return outcome if stored_key == key else None

    def store(self, file: DatasetFile, key: str, outcome: Any) -> None:
        """Store ``outcome`` under ``key``; never raises (a cache that cannot be
        written is a slower run, not a failed one)."""
        target = self._entry(file, key)
        try:
            self._write(target, (key, outcome))
            self._evict(target)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            return

    def _write(self, target: Path, value: Any) -> None:
        """Pickle ``value`` to a temporary file beside ``target``, then rename it
        into place: readers see the old file or the new one, never half of one."""
        self._prepare()
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    def _entry(self, file: DatasetFile, key: str) -> Path:
        place = xxhash.xxh3_64_hexdigest(file.display.encode("utf-8", "surrogatepass"))
        return self.folder / f"v{FORMAT}" / place / f"{key}.pickle"

    def _prepare(self) -> None:
        if (self.folder / "CACHEDIR.TAG").exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("# Created by ftlint.\n*\n", encoding="utf-8")
        (self.folder / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")

    @staticmethod
    def _evict(newest: Path) -> None:
        entries = []
        for entry in newest.parent.glob("*.pickle"):
            with contextlib.suppress(OSError):
                entries.append((entry.stat().st_mtime_ns, entry))
        entries.sort(reverse=True)
        for _, stale in entries[KEEP:]:
            if stale != newest:
                with contextlib.suppress(OSError):
                    stale.unlink()


def _valid_digests(loaded: Any) -> dict[str, tuple[tuple[int, ...], str]]:
    """The entries of a loaded digests file that have the shape :meth:`OutcomeCache._digest`
    writes; a file of another shape (another version, a stray pickle) is a miss, not an error."""
    if not isinstance(loaded, dict):
        return {}
    return {
        name: entry
        for name, entry in loaded.items()
        if isinstance(name, str)
        and isinstance(entry, tuple)
        and len(entry) == 2
        and isinstance(entry[0], tuple)
        and isinstance(entry[1], str)
    }
