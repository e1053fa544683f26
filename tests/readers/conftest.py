"""Fixtures for the reader tests: small files written into ``tmp_path``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.readers.support import MakeFile, compress


@pytest.fixture
def make_file(tmp_path: Path) -> MakeFile:
    """Write a file into ``tmp_path`` (text as UTF-8), compressed when its name
    ends in ``.gz`` or ``.zst``, and return its path."""

    def make(name: str, content: bytes | str) -> Path:
        data = content.encode() if isinstance(content, str) else content
        path = tmp_path / name
        path.write_bytes(compress(data, path.suffix))
        return path

    return make
