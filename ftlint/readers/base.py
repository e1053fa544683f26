"""The reader interface: bytes in, positioned records out."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

from ftlint.core.records import Record


class Reader(abc.ABC):
    """Turns a dataset file into :class:`~ftlint.core.records.Record` objects.

    A reader never raises on bad content: a record that does not parse is
    yielded with ``error`` set (rule S001 reports it) and reading goes on.
    It raises :class:`ReadError` only when the file as a whole cannot be read
    (missing, unreadable, a compressed stream that is corrupt).
    """

    #: Short name, shown in errors and used in settings (``format = "jsonl"``).
    name: ClassVar[str]
    #: File name endings this reader handles, lower case, with the dot: ``.jsonl``.
    suffixes: ClassVar[tuple[str, ...]]
    #: Whether a record's ``raw`` is the file's own JSON text, so that a JSON
    #: Pointer can be located in it to give a finding its line and column.
    #: False for formats whose ``raw`` is made by the reader (CSV, Parquet).
    raw_is_json_source: ClassVar[bool] = False

    def accepts(self, path: Path) -> bool:
        name = path.name.lower()
        return any(name.endswith(suffix) for suffix in self.suffixes)

    @abc.abstractmethod
    def read(self, path: Path, display: str) -> Iterator[Record]:
        """Yield the records of ``path`` in file order; ``display`` is the path
        to put in each record."""


class ReadError(Exception):
    """A whole file could not be read. The message names the file and the cause."""


def reader_for(path: Path, readers: Iterable[Reader]) -> Reader | None:
    """The reader that reads ``path``: the first of ``readers`` (in order of
    precedence, plugin readers before the built-ins) whose ``accepts`` is
    true; None when no reader takes it.

    The one place that decides which reader reads a file: discovery (is it a
    dataset file?), the engine (read it) and reference files (``--reference``)
    all ask here."""
    return next((reader for reader in readers if reader.accepts(path)), None)
