"""Config tests that need token counts count with the tiny test encoding."""

from __future__ import annotations

from ftlint.text.tokens import register_encoding
from tests.tiny_encoding import BYTES, byte_encoding

register_encoding(BYTES, byte_encoding)
