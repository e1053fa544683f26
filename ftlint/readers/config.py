"""Reading training configs (YAML, JSON) into :class:`~ftlint.configs.document.ConfigDocument`.

ruamel.yaml's round-trip loader reads both formats (JSON is, near enough,
YAML's flow style) and keeps the line and column of every key, so a finding
points at the key it is about. It never constructs Python objects from tags:
``!!python/object/apply:os.system`` stays a tagged piece of data.

A key repeated in one mapping is read as the trainer reads it: PyYAML, and
``json.load``, keep the last value (ruamel would refuse the file, or keep the
first). The document holds the last value, located at its last occurrence,
and lists each repetition (:class:`RepeatedKey`) for the rule that reports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError

from ftlint.configs.document import ConfigDocument, RepeatedKey, parse_noqa
from ftlint.core.pointers import escape_token
from ftlint.readers.base import ReadError
from ftlint.readers.decoding import BOM, DecodeError, decode_utf8
from ftlint.readers.json_array import holds_one_object
from ftlint.readers.positions import char_column

_YAML_SUFFIXES = (".yaml", ".yml")


def read_config(path: Path, display: str) -> ConfigDocument:
    """Parse the config file ``path``; ``display`` is the path shown to users.

    Raises :class:`ReadError`, with a message of the form
    ``path:line:column: could not parse YAML: ...``, when the file cannot be
    read, is not UTF-8 or does not parse (a repeated key included).
    """
    text = _read_text(path, display)
    yaml = YAML(typ="rt")
    yaml.Constructor = _LastValueWins
    try:
        data = yaml.load(text)
    except YAMLError as error:
        raise ReadError(_describe(error, text, display, _format_name(path))) from error
    assert isinstance(yaml.constructor, _LastValueWins)
    repeated = _located(data, yaml.constructor.repeated)
    return ConfigDocument(path, display, text, data, parse_noqa(text), repeated)


@dataclass(frozen=True, slots=True)
class _Repetition:
    """A repeated key as the constructor sees it: the mapping, not yet its pointer."""

    mapping: Any
    key: Any
    line: int
    column: int
    first_line: int
    same_value: bool


class _LastValueWins(RoundTripConstructor):
    """ruamel's round-trip constructor, but a repeated key takes the later
    value and position, as PyYAML gives it to the trainer; each repetition is
    noted in ``repeated``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.repeated: list[_Repetition] = []

    def check_mapping_key(
        self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
    ) -> bool:
        if key not in mapping:
            return True
        value_node = next(v for k, v in node.value if k is key_node)
        start, value_start = key_node.start_mark, value_node.start_mark
        self.repeated.append(
            _Repetition(
                mapping,
                key,
                start.line + 1,
                start.column + 1,
                first_line=mapping.lc.key(key)[0] + 1,
                same_value=bool(mapping[key] == value),
            )
        )
        mapping[key] = value
        mapping._yaml_set_kv_line_col(
            key, [start.line, start.column, value_start.line, value_start.column]
        )
        return False


def _located(data: Any, repeated: list[_Repetition]) -> tuple[RepeatedKey, ...]:
    """Each noted repetition with the JSON Pointer of its key."""
    if not repeated:
        return ()
    pointers = {id(node): at for at, node in _mappings(data, "")}
    return tuple(
        RepeatedKey(
            f"{pointers.get(id(r.mapping), '')}/{escape_token(str(r.key))}",
            r.line,
            r.column,
            r.first_line,
            r.same_value,
        )
        for r in repeated
    )


def _mappings(node: Any, at: str) -> Iterator[tuple[str, Any]]:
    """(pointer, mapping) for every mapping in a parsed document."""
    if isinstance(node, dict):
        yield at, node
        for key, value in node.items():
            yield from _mappings(value, f"{at}/{escape_token(str(key))}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _mappings(item, f"{at}/{index}")


def looks_like_config_file(path: Path) -> bool:
    """Whether ``path`` may be a training config by its name and first bytes:
    any ``.yaml``/``.yml`` file, or a ``.json`` file that holds one object
    (not an array, not JSON Lines). Which framework's config it is, if any,
    is for the config frameworks to recognise."""
    name = path.name.lower()
    if name.endswith(_YAML_SUFFIXES):
        return True
    return name.endswith(".json") and holds_one_object(path)


def _read_text(path: Path, display: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(f"{display}: cannot read: {error.strerror or error}") from error
    base = len(BOM) if data.startswith(BOM) else 0
    try:
        return decode_utf8(data[base:], base)
    except DecodeError as error:
        byte = base + error.byte
        line = data.count(b"\n", 0, byte) + 1
        line_start = max(data.rfind(b"\n", 0, byte) + 1, base)
        column = char_column(data, line_start, byte)
        raise ReadError(f"{display}:{line}:{column}: {error.message}") from None


def _describe(error: YAMLError, text: str, display: str, format_name: str) -> str:
    """``path:line:column: could not parse YAML: why`` for a ruamel error."""
    line, column, why = 1, 1, str(error)
    if isinstance(error, MarkedYAMLError) and error.problem_mark is not None:
        line, column = error.problem_mark.line + 1, error.problem_mark.column + 1
        why = str(error.problem)
        if error.context and error.context_mark is not None:
            why += f" ({error.context} on line {error.context_mark.line + 1})"
    elif isinstance(error, ReaderError):
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        why = f"character U+{error.character:04X} is not allowed"
    return f"{display}:{line}:{column}: could not parse {format_name}: {why}"


def _format_name(path: Path) -> str:
    return "JSON" if path.name.lower().endswith(".json") else "YAML"
