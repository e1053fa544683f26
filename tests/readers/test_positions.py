"""Locating the value a JSON Pointer names inside a record's raw text."""

from __future__ import annotations

import pytest

from ftlint.readers import locate_pointer

ALPACA_ELEMENT = b"""{
    "instruction": "Explain [brackets] and {braces}",
    "input": "a \\"quoted\\" word, a \\\\ backslash",
    "output": "ok"
  }"""

CHAT = (
    '{"messages": [{"role": "user", "content": "hi"}, '
    '{"role": "assistant", "content": "h\u00e9llo"}, {"role": "user", "content": "bye"}]}'
)


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ("", (0, 1)),
        ("/instruction", (1, 20)),
        ("/input", (2, 14)),
        ("/output", (3, 15)),
    ],
)
def test_members_of_a_multi_line_element(pointer: str, position: tuple[int, int]) -> None:
    assert locate_pointer(ALPACA_ELEMENT, pointer) == position


def test_array_items_and_nested_members() -> None:
    assert locate_pointer(CHAT, "/messages/2/content") == (0, CHAT.index('"bye"') + 1)
    assert locate_pointer(CHAT, "/messages/1") == (0, CHAT.index('{"role": "assistant"') + 1)
    assert locate_pointer(CHAT, "/messages/0/role") == (0, CHAT.index('"user"') + 1)


def test_columns_count_characters_in_bytes_input() -> None:
    raw = '{"a": "é€", "b": 1}'

    assert locate_pointer(raw.encode(), "/b") == (0, raw.index("1") + 1)


def test_escaped_pointer_tokens_and_escaped_keys() -> None:
    raw = '{"a/b": 1, "m~n": 2, "q\\"uote": 3, "\\u00e9": 4}'

    assert locate_pointer(raw, "/a~1b") == (0, raw.index("1") + 1)
    assert locate_pointer(raw, "/m~0n") == (0, raw.index("2") + 1)
    assert locate_pointer(raw, '/q"uote') == (0, raw.index("3") + 1)
    assert locate_pointer(raw, "/é") == (0, raw.index("4") + 1)


def test_a_repeated_key_is_located_at_its_last_occurrence() -> None:
    assert locate_pointer('{"a": 1, "a": 22}', "/a") == (0, 15)


def test_values_of_every_kind_are_skipped_correctly() -> None:
    raw = '{"n": -1.5e3, "t": true, "z": null, "l": [[], {}, "]"], "s": "}", "x": 0}'

    assert locate_pointer(raw, "/x") == (0, raw.index("0}") + 1)
    assert locate_pointer(raw, "/l/2") == (0, raw.index('"]"') + 1)


@pytest.mark.parametrize(
    "pointer",
    ["/missing", "/messages/3", "/messages/01", "/messages/-", "/messages/0/role/x", "messages"],
)
def test_what_is_not_there_is_none(pointer: str) -> None:
    assert locate_pointer(CHAT, pointer) is None


@pytest.mark.parametrize("raw", ["", "a,b,c", '{"a": ', '{"a" 1}', "[1, 2"])
def test_text_that_is_not_json_is_none_not_an_error(raw: str) -> None:
    assert locate_pointer(raw, "/a") is None
