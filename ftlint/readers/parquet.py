"""Parquet, through pyarrow, which is an optional dependency (``ftlint[parquet]``).

pyarrow is imported when a Parquet file is read, not before: it is large,
and most datasets are JSON Lines.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ftlint.core.records import Record
from ftlint.readers.base import Reader, ReadError

#: Rows converted to Python objects at a time: enough to amortise the
#: conversion, few enough to keep memory flat.
_BATCH_ROWS = 1024


class ParquetReader(Reader):
    """Reads ``.parquet`` files, one record per row, the value a dict of column
    name to Python value.

    A Parquet file has no lines, so positions are the row's: ``line`` is the
    1-based row number (``index + 1``), ``column`` 1 and ``offset`` 0.
    ``raw`` is the row serialised as JSON (there is no source text; this gives
    the record stable bytes for hashes and fingerprints). Without pyarrow,
    reading raises :class:`ReadError` naming the extra to install.
    """

    name = "parquet"
    suffixes = (".parquet",)

    def read(self, path: Path, display: str) -> Iterator[Record]:
        pyarrow = _import_pyarrow(display)
        try:
            batches = pyarrow.parquet.ParquetFile(path).iter_batches(batch_size=_BATCH_ROWS)
            index = 0
            for batch in batches:
                for row in batch.to_pylist():
                    yield Record(display, index + 1, 1, 0, index, _row_bytes(row), row)
                    index += 1
        except (OSError, pyarrow.ArrowException) as error:
            raise ReadError(f"{display}: cannot read Parquet: {error}") from error


def _import_pyarrow(display: str) -> Any:
    """The ``pyarrow`` module, with its ``parquet`` submodule loaded."""
    try:
        importlib.import_module("pyarrow.parquet")
    except ImportError as error:
        raise ReadError(
            f"{display}: reading Parquet needs pyarrow: pip install 'ftlint[parquet]'"
        ) from error
    return importlib.import_module("pyarrow")


def _row_bytes(row: dict[str, Any]) -> bytes:
    return orjson.dumps(row, default=str)
