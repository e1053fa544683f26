"""Parquet: rows as records when pyarrow is there, a clear error when it is not."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest

from ftlint.readers import ParquetReader, ReadError
from tests.readers.support import read

READER = ParquetReader()


def test_without_pyarrow_the_error_names_the_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes ``import pyarrow`` fail
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    path = tmp_path / "train.parquet"
    path.write_bytes(b"PAR1")

    with pytest.raises(ReadError, match=r"train\.parquet: .*pip install 'ftlint\[parquet\]'"):
        read(READER, path)


def test_each_row_is_a_record_numbered_by_row(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "train.parquet"
    rows = [{"prompt": f"p{n}", "completion": f"c{n}", "score": n / 2} for n in range(2500)]
    parquet.write_table(pyarrow.Table.from_pylist(rows), path, row_group_size=1000)

    records = read(READER, path)

    assert [r.value for r in records] == rows
    assert [(r.line, r.column, r.offset, r.index) for r in records[1000:1002]] == [
        (1001, 1, 0, 1000),
        (1002, 1, 0, 1001),
    ]
    assert orjson.loads(records[7].raw) == rows[7]


def test_a_file_that_is_not_parquet_is_a_read_error(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "train.parquet"
    path.write_bytes(b"this is not parquet")

    with pytest.raises(ReadError, match=r"^train\.parquet: cannot read Parquet"):
        read(READER, path)
