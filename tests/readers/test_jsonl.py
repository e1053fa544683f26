"""JSON Lines: positions, bad lines, odd files, byte ranges."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from ftlint.core.records import Record
from ftlint.readers import JsonlReader, ReadError, read_range, split_ranges
from tests.readers.support import MakeFile, read

READER = JsonlReader()


def test_each_line_is_a_record_with_its_position(make_file: MakeFile) -> None:
    path = make_file("train.jsonl", '{"text": "héllo"}\n{"text": "b"}\n')

    first, second = read(READER, path)

    assert first == Record(
        "train.jsonl", 1, 1, 0, 0, '{"text": "héllo"}'.encode(), {"text": "héllo"}
    )
    # "é" is two bytes: the second line starts at byte 19, not 18.
    assert (second.line, second.column, second.offset, second.index) == (2, 1, 19, 1)
    assert second.raw == b'{"text": "b"}'
    assert second.ok


def test_blank_lines_are_skipped_but_counted(make_file: MakeFile) -> None:
    path = make_file("train.jsonl", '\n{"a": 1}\n   \n\t\r\n{"a": 2}\n\n')

    records = read(READER, path)

    assert [(r.line, r.index, r.offset, r.value) for r in records] == [
        (2, 0, 1, {"a": 1}),
        (5, 1, 17, {"a": 2}),
    ]


def test_crlf_line_endings_are_not_part_of_the_record(make_file: MakeFile) -> None:
    path = make_file("train.jsonl", '{"a": 1}\r\n{"a": 2}\r\n')

    first, second = read(READER, path)

    assert first.raw == b'{"a": 1}'
    assert (second.line, second.offset, second.raw) == (2, 10, b'{"a": 2}')


def test_the_last_line_needs_no_newline(make_file: MakeFile) -> None:
    path = make_file("train.jsonl", '{"a": 1}\n{"a": 2}')

    records = read(READER, path)

    assert [r.value for r in records] == [{"a": 1}, {"a": 2}]
    assert records[-1].raw == b'{"a": 2}'


def test_a_bom_is_skipped_and_still_counted_in_offsets(make_file: MakeFile) -> None:
    path = make_file("train.jsonl", b'\xef\xbb\xbf{"a": 1}\n{"a": 2}\n')

    first, second = read(READER, path)

    assert (first.line, first.column, first.offset, first.raw) == (1, 1, 3, b'{"a": 1}')
    assert first.value == {"a": 1}
    assert second.offset == 12


@pytest.mark.parametrize("content", ["", "\n\n  \n", "\ufeff"])
def test_a_file_without_content_has_no_records(make_file: MakeFile, content: str) -> None:
    assert read(READER, make_file("empty.jsonl", content)) == []


def test_a_malformed_line_is_an_error_record_and_reading_goes_on(make_file: MakeFile) -> None:
    path = make_file("train.jsonl", '{"a": 1}\n{"é": 1 "b": 2}\n{"a": 3}\n')

    records = read(READER, path)

    bad = records[1]
    assert not bad.ok
    assert bad.value is None
    assert bad.error == "unexpected character, expected ',' or '}'"
    # The fault is the 9th character of line 2 ("é" counts once, not twice).
    assert (bad.line, bad.error_line, bad.error_column) == (2, 2, 9)
    assert (bad.offset, bad.index, bad.raw) == (9, 1, '{"é": 1 "b": 2}'.encode())
    assert records[2].value == {"a": 3}
    assert records[2].index == 2


def test_invalid_utf8_is_an_error_naming_the_byte_offset(make_file: MakeFile) -> None:
    path = make_file("train.jsonl", b'{"a": 1}\n{"a": "x\xffy"}\n{"a": 3}\n')

    records = read(READER, path)

    bad = records[1]
    assert bad.error == "invalid UTF-8: byte 0xff at byte offset 17"
    assert (bad.error_line, bad.error_column) == (2, 9)
    assert bad.raw == b'{"a": "x\xffy"}'
    assert records[2].ok


@pytest.mark.parametrize(
    ("line", "value"),
    [("[1, 2]", [1, 2]), ('"text"', "text"), ("3.5", 3.5), ("null", None), ("true", True)],
)
def test_a_value_that_is_not_an_object_is_still_a_record(
    make_file: MakeFile, line: str, value: object
) -> None:
    (record,) = read(READER, make_file("train.jsonl", line + "\n"))

    assert record.ok
    assert record.value == value


def test_nan_is_not_json(make_file: MakeFile) -> None:
    (record,) = read(READER, make_file("train.jsonl", '{"score": NaN}\n'))

    assert record.error == "unexpected character, expected a JSON value"
    assert record.error_column == 11


def test_an_escaped_lone_surrogate_is_valid_json(make_file: MakeFile) -> None:
    (record,) = read(READER, make_file("train.jsonl", '{"text": "a\\ud800b"}\n'))

    assert record.ok
    assert record.value == {"text": "a\ud800b"}


def test_nesting_too_deep_for_the_parser_is_an_error_not_a_crash(make_file: MakeFile) -> None:
    (record,) = read(READER, make_file("train.jsonl", "[" * 5000 + "]" * 5000 + "\n"))

    assert record.error is not None
    assert record.error_line == 1


def test_a_50_mb_line_is_one_record(make_file: MakeFile) -> None:
    text = "x" * 50_000_000
    path = make_file("train.jsonl", '{"a": 1}\n{"text": "' + text + '"}\n{"a": 3}\n')

    records = read(READER, path)

    assert [r.line for r in records] == [1, 2, 3]
    assert records[1].value == {"text": text}
    assert len(records[1].raw) == len(text) + 12
    assert records[2].offset == 9 + len(text) + 13


@pytest.mark.parametrize("name", ["train.jsonl.gz", "train.jsonl.zst", "train.ndjson.gz"])
def test_compressed_files_read_like_plain_ones(make_file: MakeFile, name: str) -> None:
    content = b'\xef\xbb\xbf{"a": 1}\r\n\n{"a" 2}\n{"a": 3}'
    plain = read(READER, make_file("plain.jsonl", content))

    records = read(READER, make_file(name, content))

    assert len(records) == 3
    assert records == [replace(r, path=name) for r in plain]


def test_a_missing_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"^shown\.jsonl: cannot read"):
        list(READER.read(tmp_path / "missing.jsonl", "shown.jsonl"))


# --- byte ranges


def _content(lines: int) -> bytes:
    long = "y" * 3000
    rows = [f'{{"n": {n}, "pad": "{long if n % 7 == 0 else ""}"}}' for n in range(lines)]
    rows[5] = "not json"
    rows.insert(9, "")
    return ("\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("parts", [1, 2, 3, 7, 50])
def test_ranges_are_line_aligned_and_cover_the_file(tmp_path: Path, parts: int) -> None:
    path = tmp_path / "train.jsonl"
    data = _content(40)
    path.write_bytes(data)

    ranges = split_ranges(path, parts)

    assert ranges[0][0] == 0
    assert ranges[-1][1] == len(data)
    assert all(end == next_start for (_, end), (next_start, _) in itertools.pairwise(ranges))
    assert all(start < end for start, end in ranges)
    assert all(data[start - 1 : start] == b"\n" for start, _ in ranges[1:])
    assert len(ranges) <= parts


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_reading_every_range_gives_the_records_of_the_whole_file(
    tmp_path: Path, parts: int
) -> None:
    path = tmp_path / "train.jsonl"
    data = _content(40)
    path.write_bytes(data)
    whole = list(READER.read(path, "train.jsonl"))

    pieces: list[Record] = []
    for start, end in split_ranges(path, parts):
        first_line = data.count(b"\n", 0, start) + 1
        first_index = sum(1 for line in data[:start].splitlines() if line.strip())
        pieces += read_range(path, "train.jsonl", start, end, first_line, first_index)

    assert pieces == whole
    assert len(whole) == 40


def test_a_range_includes_a_line_that_runs_past_its_end(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b'{"a": 1}\n{"a": 2}\n{"a": 3}\n')

    records = list(read_range(path, "t", 9, 10, 2, 1))

    assert [(r.line, r.index, r.offset, r.value) for r in records] == [(2, 1, 9, {"a": 2})]


def test_an_empty_file_is_one_empty_range(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_bytes(b"")

    assert split_ranges(path, 4) == [(0, 0)]
