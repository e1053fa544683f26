"""Strict JSON and UTF-8 decoding, with errors that say what is wrong and where.

orjson does the parsing. It is fast and strict (RFC 8259: no ``NaN``, no
trailing commas, no comments), and its messages are good ("unexpected
character, expected ',' or '}'"). The slow path runs only when orjson refuses
a text, which is rare, and does two things orjson cannot: it names an invalid
UTF-8 byte by its offset in the file, and it accepts escaped lone surrogates
(``"\\ud800"``), which are valid JSON that orjson refuses. Such a record must
reach the rules (N002 reports invalid surrogates), not be called unparseable.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

#: The UTF-8 byte order mark. Readers skip it at the start of a file.
BOM = b"\xef\xbb\xbf"


class DecodeError(ValueError):
    """Why a text is not valid JSON (or not UTF-8), and where.

    ``byte`` is the 0-based index, in the bytes given to the decoder, of the
    first byte that is wrong; callers turn it into a line and column. Readers
    put ``message`` in a record's ``error``.
    """

    def __init__(self, message: str, byte: int) -> None:
        super().__init__(message)
        self.message = message
        self.byte = byte


def loads(data: bytes, offset: int = 0) -> Any:
    """Parse one JSON text, strictly; raise :class:`DecodeError` if it does not parse.

    ``offset`` is the file offset of ``data``; it only serves to name the
    absolute position of an invalid UTF-8 byte in the error message.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        return _loads_refused(data, offset, error)


def _loads_refused(data: bytes, offset: int, error: orjson.JSONDecodeError) -> Any:
    text = decode_utf8(data, offset)
    try:
        return STRICT_DECODER.decode(text)
    except (ValueError, RecursionError):
        pass  # invalid for both parsers: orjson's message and position are the better ones
    raise DecodeError(error.msg, len(text[: error.pos].encode()))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: The standard library's decoder, made as strict as orjson: it refuses
#: ``NaN`` and ``Infinity``, which ``json`` accepts by default.
STRICT_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def decode_utf8(data: bytes, offset: int = 0) -> str:
    """``data`` as text; raise :class:`DecodeError` at the first byte that is
    not UTF-8 (``offset`` is the file offset of ``data``, for the message)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise utf8_error(data, error.start, offset) from None


def utf8_error(data: bytes, byte: int, offset: int = 0) -> DecodeError:
    """The error for the invalid UTF-8 byte at ``data[byte]``."""
    message = f"invalid UTF-8: byte 0x{data[byte]:02x} at byte offset {offset + byte}"
    return DecodeError(message, byte)
