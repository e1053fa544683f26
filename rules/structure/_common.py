"""Helpers shared by the structure rules: naming turns and shapes in messages,
reading the raw record behind a JSON Pointer, and a small, mergeable sample of
record locations for dataset rules."""

from __future__ import annotations

import functools
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ftlint import Finding, Location, RecordContext, RecordView, Role, Rule, Turn

#: Shapes whose turns are a conversation with speakers; the role rules apply to them.
CONVERSATIONAL_SHAPES = frozenset({"chat", "sharegpt", "kto", "preference"})

#: How the built-in shapes are called in messages; other shapes by their name.
SHAPE_TITLES = {
    "chat": "chat",
    "sharegpt": "ShareGPT",
    "alpaca": "Alpaca",
    "prompt-completion": "prompt/completion",
    "text": "text",
    "preference": "preference",
    "kto": "KTO",
}

#: Keys of the objects inside message lists that the chat formats define:
#: OpenAI (``weight``, ``refusal``, ``audio``), tool calling, reasoning traces
#: (vLLM and DeepSeek ``reasoning_content``), Mistral's ``prefix``,
#: LLaMA-Factory v1's ``loss_weight``, and ShareGPT's ``from``/``value``. The
#: shapes read either spelling of role and text, so both are known everywhere.
MESSAGE_KEYS = frozenset(
    {
        "role",
        "content",
        "from",
        "value",
        "name",
        "tool_calls",
        "tool_call_id",
        "function_call",
        "weight",
        "loss_weight",
        "refusal",
        "audio",
        "annotations",
        "reasoning",
        "reasoning_content",
        "thinking",
        "prefix",
    }
)
#: The keys that hold a message's text, one for each message style.
CONTENT_KEYS = frozenset({"content", "value"})

MISSING: Any = object()


def shape_title(name: str) -> str:
    return SHAPE_TITLES.get(name, name)


def count(number: int, noun: str) -> str:
    """``1 record``, ``1,000 records``."""
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def quoted(items: Iterator[str] | list[str], limit: int = 5) -> str:
    """``'a', 'b', 'c'`` and ``... (9 in all)`` past ``limit``."""
    names = list(items)
    shown = ", ".join(f"'{name}'" for name in names[:limit])
    return shown if len(names) <= limit else f"{shown}, ... ({len(names)} in all)"


@functools.lru_cache(maxsize=4096)
def split_pointer(pointer: str) -> tuple[str, ...]:
    """The unescaped reference tokens of an RFC 6901 pointer. Cached: the
    pointers of a file repeat (``/messages/1/content``) and rules parse them
    for every turn."""
    if not pointer:
        return ()
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/"))


def join_pointer(tokens: Sequence[str]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def resolve(value: Any, pointer: str) -> Any:
    """The value a pointer designates in ``value``, or :data:`MISSING`."""
    for token in split_pointer(pointer):
        if isinstance(value, dict):
            value = value.get(token, MISSING)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


def json_type(value: Any) -> str:
    """The JSON name of a value's type, with an article: ``a number``."""
    if value is None or value is MISSING:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list) else "an object"


@functools.lru_cache(maxsize=4096)
def message_pointer(text_pointer: str) -> str | None:
    """The pointer to the message object holding a text (``/messages/2`` for
    ``/messages/2/content``), or None when the text is not in one."""
    tokens = split_pointer(text_pointer)
    if len(tokens) >= 2 and tokens[-1] in CONTENT_KEYS:
        return join_pointer(tokens[:-1])
    return None


def message_objects(view: RecordView, value: Any) -> Iterator[tuple[Turn, str, dict[str, Any]]]:
    """Each turn that is the text of a message object, with the object's
    pointer and the object itself."""
    for turn in view.texts():
        at = message_pointer(turn.pointer)
        message = resolve(value, at) if at is not None else None
        if isinstance(message, dict):
            yield turn, at or "", message


def is_element(turn: Turn) -> bool:
    """Whether a turn is a list element itself (a message that is not an
    object, a malformed history pair) rather than a text inside one."""
    tokens = split_pointer(turn.pointer)
    return bool(tokens) and tokens[-1].isdigit()


#: Where a problem is in a record (a JSON Pointer), and what it is.
Problem = tuple[str, str]


def report(rule: Rule, record: RecordContext, problems: Iterable[Problem]) -> Iterator[Finding]:
    """A finding of ``rule`` for each problem of one record."""
    for at, message in problems:
        yield rule.finding(message, record.location(at), content_key=record.raw_hash)


def turn_label(turn: Turn) -> str:
    """How to name a turn in a message: ``'output'``, ``assistant message 3``,
    ``gpt message 2 of 'chosen'``, ``response of history pair 1``."""
    tokens = split_pointer(turn.pointer)
    if len(tokens) == 1:
        return f"'{tokens[0]}'"
    if tokens and tokens[0] == "history" and len(tokens) == 3:
        part = "query" if tokens[2] == "0" else "response"
        return f"{part} of history pair {int(tokens[1]) + 1}"
    who = turn.raw_role or ("" if turn.role is Role.TEXT else turn.role.value)
    speaker = f"{who} message" if who else "message"
    container = tokens[0] if tokens else ""
    index = next((t for t in reversed(tokens) if t.isdigit()), None)
    if index is None:
        return f"'{container}' {speaker}"
    numbered = f"{speaker} {int(index) + 1}"
    if container in ("messages", "conversations"):
        return numbered
    return f"{numbered} of '{container}'"


def raw_hash_int(record: RecordContext) -> int:
    return int(record.raw_hash, 16)


#: How many record locations a :class:`Sample` keeps; findings past it are summed up.
SAMPLE_CAP = 1000


@dataclass(slots=True)
class Sample:
    """How many records have some property, and where the first
    :data:`SAMPLE_CAP` of them are: line, column, raw hash and a pointer into
    each. Fixed-size numbers in arrays, so that a state stays small and
    pickles fast; merging two samples in file order keeps the first ones, as
    one pass over the file would."""

    count: int = 0
    lines: array[int] = field(default_factory=lambda: array("q"))
    columns: array[int] = field(default_factory=lambda: array("q"))
    hashes: array[int] = field(default_factory=lambda: array("Q"))
    pointers: list[str] = field(default_factory=list)

    def add(self, record: RecordContext, pointer: str = "") -> None:
        self.count += 1
        if len(self.lines) < SAMPLE_CAP:
            self.lines.append(record.record.line)
            self.columns.append(record.record.column)
            self.hashes.append(raw_hash_int(record))
            self.pointers.append(pointer)

    def merge(self, later: Sample) -> Sample:
        """This sample followed by ``later`` (this one is updated and returned)."""
        room = max(0, SAMPLE_CAP - len(self.lines))
        self.count += later.count
        self.lines.extend(later.lines[:room])
        self.columns.extend(later.columns[:room])
        self.hashes.extend(later.hashes[:room])
        self.pointers.extend(later.pointers[:room])
        return self

    @property
    def unlisted(self) -> int:
        """Records counted but not located (past the cap)."""
        return self.count - len(self.lines)

    def locations(self, path: str) -> Iterator[tuple[Location, str]]:
        """Each kept record's location and content key (its raw hash)."""
        for line, column, digest, at in zip(
            self.lines, self.columns, self.hashes, self.pointers, strict=True
        ):
            yield Location(path, line, column, pointer=at), f"{digest:016x}"


def merge_samples(earlier: dict[Any, Sample], later: dict[Any, Sample]) -> dict[Any, Sample]:
    """Merge two keyed sample tables in file order (``earlier`` is updated)."""
    for key, sample in later.items():
        if key in earlier:
            earlier[key].merge(sample)
        else:
            earlier[key] = sample
    return earlier
