"""Decompression bombs stream in bounded memory."""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard

from ftlint.readers.jsonl import JsonlReader

#: 128 MB of blank lines: a few kilobytes compressed.
_BLANK_LINES = (b" " * 1023 + b"\n") * (128 * 1024)


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [
        (".jsonl.zst", lambda data: zstandard.ZstdCompressor(level=19).compress(data)),
        (".jsonl.gz", lambda data: gzip.compress(data, 9)),
    ],
)
def test_a_decompression_bomb_streams_in_bounded_memory(
    tmp_path: Path, suffix: str, compress: Callable[[bytes], bytes]
) -> None:
    path = tmp_path / f"bomb{suffix}"
    path.write_bytes(compress(_BLANK_LINES))
    assert path.stat().st_size < len(_BLANK_LINES) // 200
    tracemalloc.start()
    try:
        records = list(JsonlReader().read(path, path.name))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert records == []
    # Decompressed whole, the data alone would take 128 MB.
    assert peak < 48 << 20
