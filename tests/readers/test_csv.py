"""CSV and TSV: rows as records, positions of multi-line rows, bad rows."""

from __future__ import annotations

import pytest

from ftlint.readers import CsvReader
from tests.readers.support import MakeFile, read

READER = CsvReader()


def test_each_row_is_a_record_keyed_by_the_header(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", "prompt,completion\nhé,b\nc,d\n"))

    assert [(r.line, r.column, r.offset, r.index) for r in records] == [
        (2, 1, 18, 0),
        (3, 1, 24, 1),
    ]
    assert records[0].value == {"prompt": "hé", "completion": "b"}
    assert records[0].raw == "hé,b".encode()


def test_a_row_with_a_quoted_multi_line_field_starts_on_its_first_line(
    make_file: MakeFile,
) -> None:
    content = 'prompt,completion\r\n"line one\r\nline two",x\r\nnext,y\r\n'

    first, second = read(READER, make_file("train.csv", content))

    assert first.value == {"prompt": "line one\r\nline two", "completion": "x"}
    assert (first.line, first.offset, first.raw) == (2, 19, b'"line one\r\nline two",x')
    assert (second.line, second.offset) == (4, 43)
    assert second.value == {"prompt": "next", "completion": "y"}


def test_blank_lines_are_skipped_but_counted(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", "\na,b\n\n1,2\n  \n3,4"))

    assert [(r.line, r.index, r.value) for r in records] == [
        (4, 0, {"a": "1", "b": "2"}),
        (6, 1, {"a": "3", "b": "4"}),
    ]


def test_a_bom_is_not_part_of_the_first_column_name(make_file: MakeFile) -> None:
    (record,) = read(READER, make_file("train.csv", b"\xef\xbb\xbfa,b\n1,2\n"))

    assert record.value == {"a": "1", "b": "2"}
    assert record.offset == 7


@pytest.mark.parametrize("content", ["", "a,b\n", "\n\n"])
def test_no_rows_no_records(make_file: MakeFile, content: str) -> None:
    assert read(READER, make_file("train.csv", content)) == []


def test_a_row_of_the_wrong_width_is_an_error_record(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", "a,b\n1,2,3\n4\n5,6\n"))

    assert [r.error for r in records] == [
        "the row has 3 fields, the header 2",
        "the row has 1 fields, the header 2",
        None,
    ]
    assert (records[0].line, records[0].error_line, records[0].raw) == (2, 2, b"1,2,3")
    assert [r.index for r in records] == [0, 1, 2]


def test_broken_quoting_is_an_error_record_and_reading_goes_on(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", 'a,b\n1,"x"y\n3,4\n'))

    assert records[0].error == "',' expected after '\"'"
    assert (records[0].line, records[0].error_line) == (2, 2)
    assert records[1].value == {"a": "3", "b": "4"}


def test_a_quote_left_open_swallows_the_rest_of_the_file(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", 'a,b\n1,2\n3,"open\n5,6\n'))

    assert records[1].error == "a quoted field is still open at the end of the file"
    assert (records[1].line, records[1].raw) == (3, b'3,"open\n5,6')


def test_invalid_utf8_spoils_only_its_row(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", b"a,b\n1,\xc3\xa9\nx\xff,2\n3,4\n"))

    assert [r.ok for r in records] == [True, False, True]
    bad = records[1]
    assert bad.error == "invalid UTF-8: byte 0xff at byte offset 10"
    assert (bad.line, bad.error_line, bad.error_column, bad.raw) == (3, 3, 2, b"x\xff,2")


def test_a_header_the_csv_module_cannot_split_is_the_only_record(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", 'a,"b"c\n1,2\n3,4\n'))

    assert [(r.line, r.error) for r in records] == [(1, "',' expected after '\"'")]


def test_a_repeated_column_name_is_an_error_record(make_file: MakeFile) -> None:
    records = read(READER, make_file("train.csv", "text,label,text\n1,2,3\n"))

    assert records[0].error == "the header names column 'text' twice"
    assert (records[0].line, records[0].index) == (1, 0)
    assert (records[1].index, records[1].value) == (1, {"text": "3", "label": "2"})


@pytest.mark.parametrize("name", ["train.tsv", "train.TSV.gz"])
def test_tsv_splits_on_tabs(make_file: MakeFile, name: str) -> None:
    (record,) = read(READER, make_file(name, "a\tb\nx, y\tz\n"))

    assert record.value == {"a": "x, y", "b": "z"}


def test_a_compressed_csv_splits_on_commas(make_file: MakeFile) -> None:
    (record,) = read(READER, make_file("train.csv.zst", "a,b\nx\ty,z\n"))

    assert record.value == {"a": "x\ty", "b": "z"}


def test_a_field_longer_than_the_csv_module_default_limit(make_file: MakeFile) -> None:
    text = "w" * 300_000

    (record,) = read(READER, make_file("train.csv", f'text\n"{text}"\n'))

    assert record.value == {"text": text}
