"""Helpers shared by the reader tests."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import zstandard

from ftlint.core.records import Record
from ftlint.readers.base import Reader

#: The ``make_file`` fixture: ``make_file(name, content) -> path``.
MakeFile = Callable[[str, bytes | str], Path]


def compress(data: bytes, suffix: str) -> bytes:
    """``data`` compressed as a file ending in ``suffix`` would be."""
    if suffix == ".gz":
        return gzip.compress(data)
    if suffix == ".zst":
        return zstandard.ZstdCompressor().compress(data)
    return data


def read(reader: Reader, path: Path) -> list[Record]:
    return list(reader.read(path, path.name))
