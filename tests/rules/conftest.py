"""The token rules' cases count with the tiny encoding the tests build
(``tokens: {encoding: test-bytes}`` in a case's settings), never a
downloaded one."""

from __future__ import annotations

from ftlint.text.tokens import register_encoding
from tests.tiny_encoding import BYTES, byte_encoding

register_encoding(BYTES, byte_encoding)
