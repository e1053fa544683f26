"""Reading training configs (YAML, JSON) into :class:`~ftlint.configs.document.ConfigDocument`.

ruamel.yaml's round-trip loader reads both formats (JSON is, near enough,
YAML's flow style) and keeps the line and column of every key, so a finding
points at the key it is about. It never constructs Python objects from tags:
``!!python/object/apply:os.system`` stays a tagged piece of data.

A key repeated in one mapping is a read error, not a warning: trainers built
on PyYAML silently keep the last value while ruamel would keep the first, so
no rule could say which value the run will use. The error names the line and
column of the repetition.
"""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode
from ruamel.yaml.reader import ReaderError

from ftlint.configs.document import ConfigDocument, parse_noqa
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
    try:
        data = YAML(typ="rt").load(text)
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
    return ConfigDocument(path, display, text, data, parse_noqa(text))


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
