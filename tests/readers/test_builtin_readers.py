"""Which built-in reader takes which file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftlint.readers import BUILTIN_READERS, reader_for


def test_one_reader_per_format_in_order() -> None:
    assert [r.name for r in BUILTIN_READERS] == ["jsonl", "json", "csv", "parquet"]


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("train.jsonl", "jsonl"),
        ("train.NDJSON", "jsonl"),
        ("train.jsonl.gz", "jsonl"),
        ("train.ndjson.zst", "jsonl"),
        ("alpaca.json", "json"),
        ("alpaca.json.gz", "json"),
        ("rows.csv", "csv"),
        ("rows.tsv.zst", "csv"),
        ("data/train-00000-of-00003.parquet", "parquet"),
        ("notes.txt", None),
        ("train.jsonl.bz2", None),
        ("config.yaml", None),
    ],
)
def test_file_names_pick_a_reader(name: str, reader: str | None) -> None:
    chosen = reader_for(Path(name), BUILTIN_READERS)
    assert (chosen.name if chosen else None) == reader
