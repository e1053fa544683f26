"""Readers that parse a binary stream, so that a file and an unsaved buffer
(stdin, an editor's text) are read by the same code."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ftlint.core.records import Record
from ftlint.readers.base import Reader
from ftlint.readers.compression import open_binary


class StreamReader(Reader):
    """A reader whose records come from one buffered binary stream, decompressed
    as the file's name says (``.gz``, ``.zst``): :meth:`read` opens the file,
    :meth:`read_content` wraps the bytes it is given."""

    def read(self, path: Path, display: str) -> Iterator[Record]:
        with open_binary(path, display) as stream:
            yield from self.read_stream(stream, path, display)

    def read_content(self, content: bytes, path: Path, display: str) -> Iterator[Record]:
        with open_binary(path, display, content=content) as stream:
            yield from self.read_stream(stream, path, display)

    @abc.abstractmethod
    def read_stream(self, stream: BinaryIO, path: Path, display: str) -> Iterator[Record]:
        """Yield the records of ``stream``, the bytes of ``path`` (its name tells
        the dialect, such as CSV's delimiter), in order."""
