"""Helpers shared by the key and YAML rules: the mappings a key schema
covers, and the YAML 1.1/1.2 differences of a document (computed once per
text, whichever rules ask)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from ftlint.yaml_compat import ScalarDifference, scalar_differences


@functools.lru_cache(maxsize=32)
def differences(text: str) -> tuple[ScalarDifference, ...]:
    """The plain scalars YAML 1.1 and 1.2 read differently (cached by text)."""
    return tuple(scalar_differences(text))


def mappings_at(data: Any, pattern: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, mapping) for every mapping a pointer pattern names; ``*``
    stands for every item of a list (``/datasets/*``); ``""`` is the top level."""
    tokens = [t for t in pattern.split("/") if t] if pattern else []
    yield from _walk(data, tokens, "")


def _walk(node: Any, tokens: list[str], pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if not tokens:
        if isinstance(node, dict):
            yield pointer, node
        return
    head, rest = tokens[0], tokens[1:]
    if head == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _walk(item, rest, f"{pointer}/{index}")
        return
    if isinstance(node, dict) and head in node:
        yield from _walk(node[head], rest, f"{pointer}/{escape(head)}")


def escape(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def split_pattern(pattern: str) -> tuple[str, str]:
    """``/a/b`` -> (``/a``, ``b``)."""
    parent, _, key = pattern.rpartition("/")
    return parent, key
