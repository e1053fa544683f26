"""Helpers shared by the key and YAML rules: what the recognised framework
declares (its key schema, its YAML dialect), the mappings a key schema covers,
and the YAML 1.1/1.2 differences of a document (computed once per text,
whichever rules ask)."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from ftlint.api import ConfigContext, Edit, escape_token
from ftlint.api.configs import (
    KeySchema,
    ScalarDifference,
    YamlDialect,
    scalar_differences,
)


def key_schema(config: ConfigContext) -> KeySchema | None:
    """The keys the recognised framework knows; None, and the key rules stay
    silent, when no framework was recognised or it declares none."""
    return config.spec.key_schema() if config.spec is not None else None


def yaml_dialect(config: ConfigContext) -> YamlDialect | None:
    """How the recognised framework's loader reads this config; None, and the
    YAML rules stay silent, when no framework was recognised or it does not say."""
    return config.spec.yaml_dialect(config.document) if config.spec is not None else None


@functools.lru_cache(maxsize=32)
def differences(text: str) -> tuple[ScalarDifference, ...]:
    """The plain scalars YAML 1.1 and 1.2 read differently (cached by text)."""
    return tuple(scalar_differences(text))


#: More unknown top-level keys than this, and a config is more likely another
#: framework's than the recognised one's with typos (K001's default; K002 then
#: keeps the recognised framework's renames to itself).
FOREIGN_UNKNOWN_KEYS = 3


def unknown_keys(schema: KeySchema, section: str, mapping: dict[str, Any]) -> list[str]:
    """The keys of ``mapping`` (at pointer pattern ``section``) that the schema
    does not know, nor lists as renamed; keys left empty are not counted."""
    known = schema.known(section)
    if known is None:
        return []
    prefixes = (schema.prefixes or ("\0",)) if section == "" else ("\0",)
    return [
        name
        for name, value in ((str(key), value) for key, value in mapping.items())
        if value is not None
        and name not in known
        and f"{section}/{name}" not in schema.deprecated
        and not name.startswith(prefixes)
    ]


def looks_foreign(config: ConfigContext, schema: KeySchema) -> bool:
    """Whether more than :data:`FOREIGN_UNKNOWN_KEYS` top-level keys are
    unknown to the recognised framework."""
    data = config.document.data
    top = unknown_keys(schema, "", data) if isinstance(data, dict) else []
    return len(top) > FOREIGN_UNKNOWN_KEYS


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
        yield from _walk(node[head], rest, f"{pointer}/{escape_token(head)}")


def split_pattern(pattern: str) -> tuple[str, str]:
    """``/a/b`` -> (``/a``, ``b``)."""
    parent, _, key = pattern.rpartition("/")
    return parent, key


def replace_scalar(difference: ScalarDifference, replacement: str) -> Edit:
    """The edit that writes ``replacement`` over the scalar of ``difference``."""
    return Edit(
        difference.line, difference.column, difference.end_line, difference.end_column, replacement
    )
