"""Readers: dataset files in, positioned records out; config files in, documents out.

``BUILTIN_READERS`` lists one instance of each built-in dataset reader, in
order of precedence: :func:`reader_for` gives a file to the first whose
``accepts`` is true (plugin readers come before all of these). Configs are
not records: :func:`read_config` reads them whole into a
:class:`~ftlint.configs.document.ConfigDocument`.
"""

from __future__ import annotations

from ftlint.readers.base import Reader, ReadError, reader_for
from ftlint.readers.config import looks_like_config_file, read_config
from ftlint.readers.csv import CsvReader
from ftlint.readers.json_array import JsonReader
from ftlint.readers.jsonl import JsonlReader, count_lines, read_range, split_ranges
from ftlint.readers.parquet import ParquetReader
from ftlint.readers.positions import locate_pointer

BUILTIN_READERS: tuple[Reader, ...] = (JsonlReader(), JsonReader(), CsvReader(), ParquetReader())

__all__ = [
    "BUILTIN_READERS",
    "CsvReader",
    "JsonReader",
    "JsonlReader",
    "ParquetReader",
    "ReadError",
    "Reader",
    "count_lines",
    "locate_pointer",
    "looks_like_config_file",
    "read_config",
    "read_range",
    "reader_for",
    "split_ranges",
]
