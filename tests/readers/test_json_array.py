"""JSON files: arrays streamed with positions, single values, JSON Lines in disguise."""

from __future__ import annotations

import json

import pytest

from ftlint.readers import JsonReader
from ftlint.readers.json_array import holds_one_object
from tests.readers.support import MakeFile, read

READER = JsonReader()

ALPACA = """\
[
  {
    "instruction": "Say hé",
    "output": "hé"
  },
  {"instruction": "Count", "output": "1 2 3"}, {"instruction": "Stop", "output": ""}
]
"""


def test_each_element_knows_its_position_and_source(make_file: MakeFile) -> None:
    records = read(READER, make_file("alpaca.json", ALPACA))

    assert [(r.line, r.column, r.index) for r in records] == [(2, 3, 0), (6, 3, 1), (6, 48, 2)]
    data = ALPACA.encode()
    for record in records:
        assert record.ok
        assert data[record.offset : record.offset + len(record.raw)] == record.raw
        assert json.loads(record.raw) == record.value
    assert records[0].raw.startswith(b'{\n    "instruction"')
    assert records[0].value == {"instruction": "Say hé", "output": "hé"}
    # Two "é" on the lines before: byte offsets run two ahead of characters.
    assert records[1].offset == ALPACA.index('{"instruction": "Count"') + 2


def test_columns_count_characters_and_offsets_count_bytes(make_file: MakeFile) -> None:
    records = read(READER, make_file("a.json", '["é€", "x"]'))

    assert [(r.column, r.offset, r.raw) for r in records] == [
        (2, 1, '"é€"'.encode()),
        (8, 10, b'"x"'),
    ]


def test_a_bom_is_skipped_and_counted_in_offsets(make_file: MakeFile) -> None:
    records = read(READER, make_file("a.json", b'\xef\xbb\xbf[\n {"a": 1}]'))

    assert [(r.line, r.column, r.offset, r.value) for r in records] == [(2, 2, 6, {"a": 1})]


@pytest.mark.parametrize("content", ["", "  \n\n", "[]", " [ \n ] \n", "\ufeff"])
def test_an_empty_document_has_no_records(make_file: MakeFile, content: str) -> None:
    assert read(READER, make_file("a.json", content)) == []


def test_an_error_inside_an_element_ends_the_file_with_one_error_record(
    make_file: MakeFile,
) -> None:
    content = '[\n  {"a": 1},\n  {\n    "b": 2\n    "c": 3\n  },\n  {"d": 4}\n]\n'

    records = read(READER, make_file("a.json", content))

    assert [r.ok for r in records] == [True, False]
    error = records[1]
    assert error.error == "unexpected character, expected ',' or '}'"
    assert (error.error_line, error.error_column) == (5, 5)
    # The error record stands for the line of the fault.
    assert (error.line, error.column, error.index) == (5, 1, 1)
    assert error.offset == content.index('    "c"')
    assert error.raw == b'    "c": 3'
    assert error.value is None


@pytest.mark.parametrize(
    ("content", "message", "line", "column"),
    [
        ('[{"a": 1}\n {"b": 2}]', "unexpected character, expected ',' or ']'", 2, 2),
        ('[{"a": 1},\n]', "trailing comma is not allowed", 1, 10),
        ('[{"a": 1},\n {"b": 2}', "unexpected end of data", 2, 10),
        ('[{"a": 1}]\n[{"b": 2}]', "unexpected content after document", 2, 1),
        ('[{"a": 1}, {"b": NaN}]', "unexpected character, expected a JSON value", 1, 18),
        ("[\n  }", "unexpected character, expected a JSON value", 2, 3),
        ("[", "unexpected end of data", 1, 2),
    ],
)
def test_structural_errors_are_located(
    make_file: MakeFile, content: str, message: str, line: int, column: int
) -> None:
    records = read(READER, make_file("a.json", content))

    error = records[-1]
    assert error.error == message
    assert (error.error_line, error.error_column) == (line, column)
    assert all(r.ok for r in records[:-1])


def test_invalid_utf8_is_one_error_record_naming_the_byte_offset(make_file: MakeFile) -> None:
    records = read(READER, make_file("a.json", b'[\n {"a": "\xc3\xa9"},\n {"a": "x\xfe"}\n]'))

    (error,) = records
    assert error.error == "invalid UTF-8: byte 0xfe at byte offset 25"
    assert (error.error_line, error.error_column) == (3, 10)
    assert (error.line, error.offset, error.raw) == (3, 16, b' {"a": "x\xfe"}')


def test_a_single_object_is_one_record(make_file: MakeFile) -> None:
    content = '\n{\n  "model": "llama",\n  "lr": 2e-5\n}\n'

    (record,) = read(READER, make_file("config.json", content))

    assert (record.line, record.column, record.offset, record.index) == (2, 1, 1, 0)
    assert record.value == {"model": "llama", "lr": 2e-5}
    assert record.raw == content.strip().encode()


def test_a_broken_single_object_is_one_error_record(make_file: MakeFile) -> None:
    (record,) = read(READER, make_file("config.json", '{\n  "model": "llama",\n  "lr" 2e-5\n}'))

    assert record.error == "unexpected character, expected ':' after key"
    assert (record.line, record.error_line, record.error_column) == (3, 3, 8)


def test_a_scalar_document_is_one_record(make_file: MakeFile) -> None:
    (record,) = read(READER, make_file("a.json", " 42 \n"))

    assert (record.value, record.column, record.raw) == (42, 2, b"42")


def test_json_lines_in_a_json_file_are_read_as_json_lines(make_file: MakeFile) -> None:
    content = '\n{"a": 1}\n{"a": 2}\r\n{"a" 3}\n\n{"a": 4}'

    records = read(READER, make_file("data.json", content))

    assert [(r.line, r.index, r.value) for r in records] == [
        (2, 0, {"a": 1}),
        (3, 1, {"a": 2}),
        (4, 2, None),
        (6, 3, {"a": 4}),
    ]
    assert records[2].error_column == 6
    assert records[1].raw == b'{"a": 2}'


def test_json_lines_after_a_bom_keep_their_offsets(make_file: MakeFile) -> None:
    records = read(READER, make_file("data.json", b'\xef\xbb\xbf{"a": 1}\n{"a": 2}\n'))

    assert [(r.line, r.offset) for r in records] == [(1, 3), (2, 12)]


def test_a_large_array_keeps_its_line_numbers(make_file: MakeFile) -> None:
    elements = [{"n": n, "text": "ü" * (n % 5)} for n in range(20_000)]
    content = json.dumps(elements, indent=1, ensure_ascii=False)

    records = read(READER, make_file("big.json", content))

    assert len(records) == 20_000
    lines = content.splitlines()
    data = content.encode()
    for record in records[::997]:
        assert lines[record.line - 1][record.column - 1] == "{"
        assert data[record.offset : record.offset + len(record.raw)] == record.raw


@pytest.mark.parametrize("name", ["a.json.gz", "a.json.zst"])
def test_compressed_json_reads_like_plain_json(make_file: MakeFile, name: str) -> None:
    records = read(READER, make_file(name, ALPACA))

    assert [(r.line, r.column, r.value) for r in records] == [
        (r.line, r.column, r.value) for r in read(READER, make_file("plain.json", ALPACA))
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{\n  "lr": 1\n}\n', True),
        ('\ufeff\n  {"lr": 1}\n\n', True),
        ('{"a": 1}\n{"a": 2}\n', False),
        ("[{}]", False),
        ("", False),
        ("42", False),
    ],
)
def test_holds_one_object(make_file: MakeFile, content: str, expected: bool) -> None:
    assert holds_one_object(make_file("x.json", content)) is expected
