"""What YAML 1.2 and YAML 1.1 read differently from the same text.

ftlint reads configs with ruamel.yaml, a YAML 1.2 parser. Most trainers read
them with PyYAML, a YAML 1.1 parser, and the two disagree on plain scalars:
``2e-5`` is a float in 1.2 and a string in 1.1 (PyYAML's float needs a dot
and a signed exponent); ``yes``/``no``/``on``/``off`` are booleans in 1.1
only; ``010`` is 8 in 1.1 and 10 in 1.2; ``1:30`` is 90 in 1.1;
``0o10`` is 8 in 1.2 and a string in 1.1.

:func:`scalar_differences` composes the document with both parsers (node
graphs only: no tag constructs a Python object), walks the two graphs in
step, and reports every plain scalar whose resolved type or value differs,
with the span of its text so a fix can rewrite it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.nodes import MappingNode as RMapping
from ruamel.yaml.nodes import Node as RNode
from ruamel.yaml.nodes import ScalarNode as RScalar
from ruamel.yaml.nodes import SequenceNode as RSequence

from ftlint.core.pointers import escape_token

_FLOAT = "tag:yaml.org,2002:float"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_TAG_NAMES = {
    _FLOAT: "float",
    _INT: "integer",
    _BOOL: "boolean",
    _STR: "string",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "date",
}


class Difference(enum.Enum):
    """How the readings differ."""

    #: A float in YAML 1.2, a string in YAML 1.1 (``2e-5``, ``1.0e5``).
    FLOAT_AS_STRING = "float-as-string"
    #: Anything else (booleans, octals, sexagesimals, ...).
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ScalarDifference:
    """One plain scalar that the two YAML versions read differently.

    ``pointer`` is the JSON Pointer of the value (of the key itself when
    ``is_key``); ``line``/``column`` and ``end_line``/``end_column`` (1-based,
    end exclusive) span its text.
    """

    pointer: str
    text: str
    yaml12: Any
    yaml11: Any
    tag12: str
    tag11: str
    line: int
    column: int
    end_line: int
    end_column: int
    is_key: bool = False

    @property
    def kind(self) -> Difference:
        if self.tag12 == _FLOAT and self.tag11 == _STR:
            return Difference.FLOAT_AS_STRING
        return Difference.OTHER

    @property
    def type12(self) -> str:
        return _TAG_NAMES.get(self.tag12, self.tag12)

    @property
    def type11(self) -> str:
        return _TAG_NAMES.get(self.tag11, self.tag11)


def scalar_differences(text: str) -> list[ScalarDifference]:
    """Every plain scalar of ``text`` that YAML 1.2 (ruamel) and YAML 1.1
    (PyYAML) read as a different type or value. Empty when either parser
    rejects the text or the document starts with a ``%YAML`` directive (it
    then says which version it is)."""
    if text.lstrip().startswith("%YAML"):
        return []
    try:
        node12 = YAML(typ="rt").compose(text)
        node11 = yaml.compose(text, Loader=yaml.SafeLoader)
    except (RuamelError, yaml.YAMLError, ValueError, RecursionError):
        return []
    if node12 is None or node11 is None:
        return []
    return list(_walk(node12, node11, "", set()))


def _walk(
    node12: RNode, node11: yaml.Node, pointer: str, seen: set[int]
) -> Iterator[ScalarDifference]:
    """The differences under a pair of nodes. An alias is the very node of its
    anchor: each node is walked once (``seen``), where the anchor is, so that
    neither an alias bomb (nine levels of nine aliases) nor an alias inside its
    own anchor (``x: &x [*x]``) is expanded."""
    if id(node12) in seen:
        return
    seen.add(id(node12))
    if isinstance(node12, RScalar) and isinstance(node11, yaml.ScalarNode):
        difference = _compare(node12, node11, pointer, is_key=False)
        if difference is not None:
            yield difference
    elif isinstance(node12, RSequence) and isinstance(node11, yaml.SequenceNode):
        for index, (item12, item11) in enumerate(zip(node12.value, node11.value, strict=False)):
            yield from _walk(item12, item11, f"{pointer}/{index}", seen)
    elif isinstance(node12, RMapping) and isinstance(node11, yaml.MappingNode):
        for (key12, value12), (key11, value11) in zip(node12.value, node11.value, strict=False):
            token = escape_token(key12.value) if isinstance(key12, RScalar) else "?"
            child = f"{pointer}/{token}"
            if isinstance(key12, RScalar) and isinstance(key11, yaml.ScalarNode):
                difference = _compare(key12, key11, child, is_key=True)
                if difference is not None:
                    yield difference
            yield from _walk(value12, value11, child, seen)


def _compare(
    node12: RScalar, node11: yaml.ScalarNode, pointer: str, *, is_key: bool
) -> ScalarDifference | None:
    if node12.style is not None or node11.style is not None:
        return None  # quoted or block scalars are strings to both
    tag12, tag11 = str(node12.tag), str(node11.tag)
    value12, value11 = _value12(node12.value, tag12), _value11(node11)
    if tag12 == tag11 and (tag12 not in (_INT, _FLOAT) or value12 == value11 or value11 != value11):
        return None  # same type, and for numbers the same value (NaN is not equal to itself)
    if {tag12, tag11} <= {_STR, "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}:
        return None  # ``<<`` and ``=`` in a value position: strings to both
    start, end = node12.start_mark, node12.end_mark
    return ScalarDifference(
        pointer=pointer,
        text=str(node12.value),
        yaml12=value12,
        yaml11=value11,
        tag12=tag12,
        tag11=tag11,
        line=start.line + 1,
        column=start.column + 1,
        end_line=end.line + 1,
        end_column=end.column + 1,
        is_key=is_key,
    )


_LOADER = yaml.SafeLoader("")


def _value11(node: yaml.ScalarNode) -> Any:
    """The value PyYAML constructs for a scalar node (safe constructors only)."""
    try:
        return _LOADER.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError):
        return node.value


_UNDERSCORES = re.compile(r"_")
_NAN = "nan"


def _value12(text: str, tag: str) -> Any:
    """The value YAML 1.2 gives a plain scalar of ``tag``, for comparison."""
    try:
        if tag == _INT:
            cleaned = _UNDERSCORES.sub("", text).lower()
            sign = -1 if cleaned.startswith("-") else 1
            digits = cleaned.lstrip("+-")
            for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
                if digits.startswith(prefix):
                    return sign * int(digits[2:], base)
            return sign * int(digits, 10)
        if tag == _FLOAT:
            lowered = text.lower().replace("_", "")
            if lowered.lstrip("+-") in (".inf", "inf"):
                return float("-inf") if lowered.startswith("-") else float("inf")
            if lowered in (".nan", "nan"):
                return _NAN
            return float(lowered)
        if tag == _BOOL:
            return text.lower() == "true"
        if tag == "tag:yaml.org,2002:null":
            return None
    except ValueError:
        return text
    return text


def float_for_both(text: str) -> str | None:
    """``text`` rewritten so that YAML 1.1 and 1.2 both read the same float:
    ``2e-5`` -> ``2.0e-5``, ``1E5`` -> ``1.0E+5``. None when it is not a
    number of that form."""
    match = re.fullmatch(r"([-+]?)(\d[\d_]*)(?:\.([\d_]*))?([eE])([-+]?)(\d+)", text)
    if not match:
        return None
    sign, whole, fraction, e, exp_sign, exponent = match.groups()
    return f"{sign}{whole}.{fraction or '0'}{e}{exp_sign or '+'}{exponent}"
