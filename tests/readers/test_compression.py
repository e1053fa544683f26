"""Decompression: multi-frame files read to the end, damaged files refused."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import zstandard

from ftlint.core.naming import COMPRESSION_SUFFIXES, with_compression
from ftlint.readers import ReadError
from ftlint.readers.compression import _CODECS, open_binary

LINES = b"".join(b'{"n": %d}\n' % n for n in range(5000))


def _frames(suffix: str, *parts: bytes) -> bytes:
    if suffix == ".gz":
        return b"".join(gzip.compress(part) for part in parts)
    return b"".join(zstandard.ZstdCompressor().compress(part) for part in parts)


def _read_all(path: Path) -> bytes:
    with open_binary(path, path.name) as stream:
        return b"".join(stream)


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_every_frame_is_read(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"train.jsonl{suffix}"
    path.write_bytes(_frames(suffix, LINES[:1000], LINES[1000:]))

    assert _read_all(path) == LINES


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_a_truncated_file_is_a_read_error(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"train.jsonl{suffix}"
    path.write_bytes(_frames(suffix, LINES)[:-20])

    with pytest.raises(ReadError, match="ends in the middle of a frame"):
        _read_all(path)


@pytest.mark.parametrize(("suffix", "codec"), [(".gz", "gzip"), (".zst", "zstd")])
def test_corrupt_data_is_a_read_error(tmp_path: Path, suffix: str, codec: str) -> None:
    path = tmp_path / f"train.jsonl{suffix}"
    path.write_bytes(b"this was never compressed\n")

    with pytest.raises(ReadError, match=rf"^train\.jsonl{suffix}: corrupt {codec} data"):
        _read_all(path)


@pytest.mark.parametrize("suffix", [".gz", ".zst"])
def test_an_empty_compressed_file_is_empty(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"train.jsonl{suffix}"
    path.write_bytes(b"")

    assert _read_all(path) == b""


def test_suffixes() -> None:
    assert with_compression((".csv",)) == (".csv", ".csv.gz", ".csv.zst")


def test_every_compression_suffix_has_a_codec() -> None:
    assert set(_CODECS) == set(COMPRESSION_SUFFIXES)
