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
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError

from ftlint.configs.document import ConfigDocument, RepeatedKey, parse_noqa
from ftlint.core.pointers import escape_token
from ftlint.readers.base import ReadError
from ftlint.readers.decoding import BOM, DecodeError, decode_utf8
from ftlint.readers.json_array import holds_one_object
from ftlint.readers.positions import char_column

_YAML_SUFFIXES = (".yaml", ".yml")


def read_config(path: Path, display: str, content: bytes | None = None) -> ConfigDocument:
    """Parse the config file ``path``; ``display`` is the path shown to users.
    With ``content`` (unsaved text from stdin or an editor), parse that as if
    it were the file's bytes.

    Raises :class:`ReadError`, with a message of the form
    ``path:line:column: could not parse YAML: ...``, when the file cannot be
    read, is not UTF-8 or does not parse (a repeated key included).
    """
    text = _read_text(path, display, content)
    yaml = YAML(typ="rt")
    yaml.Constructor = _LastValueWins
    try:
        data = yaml.load(text)
    except YAMLError as error:
        raise ReadError(_describe(error, text, display, _format_name(path))) from error
    except RecursionError:
        raise ReadError(
            f"{display}: could not parse {_format_name(path)}: nested too deeply"
        ) from None
    except _CONSTRUCTOR_ERRORS as error:
        # A tagged scalar its type refuses: ``!!int abc``, ``!!timestamp 2020-99-99``,
        # a 5000-digit integer (beyond Python's int-from-text limit).
        why = f"{type(error).__name__}: {error}"
        raise ReadError(f"{display}: could not parse {_format_name(path)}: {why}") from None
    _refuse_alias_bombs(text, display)
    assert isinstance(yaml.constructor, _LastValueWins)
    repeated = _located(data, yaml.constructor.repeated)
    return ConfigDocument(path, display, text, data, parse_noqa(text), repeated)


#: What ruamel's constructors raise on a scalar their type cannot hold (they
#: call ``int()``, ``float()``, ``datetime()``, ``base64`` on the text, index
#: it and look it up: ``!!int 0x`` is an IndexError, ``!!bool maybe`` a KeyError).
_CONSTRUCTOR_ERRORS = (ValueError, TypeError, ArithmeticError, LookupError)

#: The most values a config may hold once its aliases are expanded. Training
#: configs hold hundreds; nine levels of nine aliases ("billion laughs") hold
#: 387 million, and every walk over the data would take hours.
MAX_EXPANDED_VALUES = 100_000


def _refuse_alias_bombs(text: str, display: str) -> None:
    """Raise :class:`ReadError` when the document's aliases make it infinite (an
    alias inside its own anchor: ``x: &x [*x]``, which ruamel reads as None and
    PyYAML as a list that holds itself) or larger than :data:`MAX_EXPANDED_VALUES`
    once expanded. Works on the node graph, where an alias is its anchor's node:
    each node is visited once and its expanded size memoised, so this takes time
    in the size of the text. Only a text with an alias in it is composed again."""
    if "*" not in text:
        return
    try:
        root = YAML(typ="rt").compose(text)
    except (YAMLError, RecursionError):
        return  # loaded once already: whatever composing refuses here is harmless
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)] if root is not None else []
    while stack:
        node, done = stack.pop()
        children = _children(node)
        if done:
            open_.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            if sizes[id(node)] > MAX_EXPANDED_VALUES:
                raise ReadError(
                    f"{display}: its aliases expand to more than {MAX_EXPANDED_VALUES:,} "
                    "values (an alias bomb); not read"
                )
        elif id(node) in open_:
            raise ReadError(f"{display}: an alias refers to a value that contains it; not read")
        elif id(node) not in sizes and children:
            open_.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


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


def looks_like_config_file(path: Path, content: bytes | None = None) -> bool:
    """Whether ``path`` may be a training config by its name and first bytes
    (of ``content`` when given): any ``.yaml``/``.yml`` file, or a ``.json``
    file that holds one object (not an array, not JSON Lines). Which
    framework's config it is, if any, is for the config frameworks to recognise."""
    name = path.name.lower()
    if name.endswith(_YAML_SUFFIXES):
        return True
    return name.endswith(".json") and holds_one_object(path, content)


def _read_text(path: Path, display: str, content: bytes | None) -> str:
    try:
        data = path.read_bytes() if content is None else content
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
