"""Record shapes: recognise what format a record is in and normalise it.

Each :class:`Shape` looks at a parsed JSON value and, when it recognises it,
returns a :class:`~ftlint.core.records.RecordView`. The engine asks the shapes in
``priority`` order (lower first) and takes the first match, so the more
specific shapes (preference data with ``conversations``) come before the more
general ones (ShareGPT ``conversations``).

The built-in shapes are *tolerant*: a record that is recognisably meant to be
a format matches it even when it is broken, so that the structure rules can
say what is wrong instead of only "unknown shape". Conventions every built-in
shape follows:

- A missing or ``null`` text is a turn with ``present=False`` (rule S005).
- A text of the wrong JSON type is a turn with ``is_string=False`` (rule
  S008). A chat ``content`` that is a list of well-formed parts
  (``[{"type": "text", "text": ...}]``) counts as a string: its text parts
  are joined with newlines.
- A speaker whose role is not recognised gets :attr:`Role.TEXT` and keeps its
  spelling in ``raw_role`` (rule S007); an element of a message list that is
  not an object becomes a ``Role.TEXT`` turn pointing at the element itself,
  with ``is_string=False``.
- ``required=False`` marks text that may be empty: Alpaca ``input``, system
  prompts, an assistant turn that carries tool calls, a turn with image or
  audio parts.
- Every turn's ``pointer`` is the RFC 6901 JSON Pointer to where its text is
  (or would be) in the record: ``/messages/2/content``, ``/output``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ftlint.core.pointers import pointer
from ftlint.core.records import RecordView, Role, Turn
from ftlint.shapes.base import Shape
from ftlint.shapes.transcripts import is_transcript, split_transcript

# --- Building blocks -------------------------------------------------------------

#: Speaker names as spelled by OpenAI, ShareGPT/FastChat, LLaMA-Factory, Gemini,
#: OpenAssistant and Llama 3.1 (``ipython``), lower case.
ROLE_ALIASES: Mapping[str, Role] = {
    "system": Role.SYSTEM,
    "developer": Role.SYSTEM,
    "user": Role.USER,
    "human": Role.USER,
    "prompter": Role.USER,
    "assistant": Role.ASSISTANT,
    "gpt": Role.ASSISTANT,
    "model": Role.ASSISTANT,
    "function_call": Role.ASSISTANT,
    "tool": Role.TOOL,
    "function": Role.TOOL,
    "observation": Role.TOOL,
    "ipython": Role.TOOL,
}

#: Content part types whose text is part of what the model reads or learns.
TEXT_PART_TYPES = frozenset({"text", "input_text", "output_text", "reasoning", "thinking"})
#: Content part types that are tool calls (LLaMA-Factory v1 ``tool_call`` parts).
TOOL_CALL_PART_TYPES = frozenset({"tool_call", "function_call"})

_MISSING: Any = object()


def parse_role(raw: Any) -> Role:
    """The normalised role of a speaker name; ``Role.TEXT`` when not recognised."""
    if not isinstance(raw, str):
        return Role.TEXT
    return ROLE_ALIASES.get(raw.strip().lower(), Role.TEXT)


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


@dataclass(frozen=True, slots=True)
class _Text:
    """A text value as found: its string form and what kind of value it was."""

    text: str = ""
    present: bool = True
    is_string: bool = True
    may_be_empty: bool = False
    has_tool_calls: bool = False

    @classmethod
    def of(cls, value: Any, *, parts: bool = False) -> _Text:
        """Read a text value; ``parts`` allows a list of content parts (chat)."""
        if value is _MISSING or value is None:
            return cls(present=False, is_string=False)
        if isinstance(value, str):
            return cls(value)
        if parts and isinstance(value, list):
            return cls._of_parts(value)
        return cls(is_string=False)

    @classmethod
    def _of_parts(cls, parts: list[Any]) -> _Text:
        texts: list[str] = []
        other = tool_calls = False
        for part in parts:
            if not isinstance(part, dict):
                return cls(is_string=False)
            kind = part.get("type", "text")
            if not isinstance(kind, str):
                return cls(is_string=False)
            if kind in TEXT_PART_TYPES:
                text = part.get("text", part.get("value"))
                if not isinstance(text, str):
                    return cls(is_string=False)
                texts.append(text)
            else:
                other = True
                tool_calls = tool_calls or kind in TOOL_CALL_PART_TYPES
        return cls("\n".join(texts), may_be_empty=other, has_tool_calls=tool_calls)

    def turn(
        self,
        role: Role,
        at: str,
        *,
        raw_role: str = "",
        required: bool = True,
        message: dict[str, Any] | None = None,
    ) -> Turn:
        return Turn(
            role=role,
            text=self.text,
            pointer=at,
            raw_role=raw_role,
            present=self.present,
            is_string=self.is_string,
            required=required and not self.may_be_empty,
            message=message,
        )


@dataclass(slots=True)  # not frozen: built for every record (see records.Turn)
class _Turns:
    """Turns read from part of a record, and whether they involve tools."""

    turns: tuple[Turn, ...] = ()
    tools: bool = False

    def __add__(self, other: _Turns) -> _Turns:
        return _Turns(self.turns + other.turns, self.tools or other.tools)


def _message(message: Any, at: str) -> tuple[Turn, bool]:
    """One message object, OpenAI style (``role``/``content``) or ShareGPT style
    (``from``/``value``), whichever keys it uses (LLaMA-Factory lets a dataset
    mix them: ``role``/``value``); and whether it involves tools."""
    if not isinstance(message, dict):
        return Turn(Role.TEXT, "", at, present=True, is_string=False), False
    raw = message.get("role", message.get("from"))
    raw_role = raw if isinstance(raw, str) else ""
    role = parse_role(raw)
    text_key = _text_key(message)
    calls = bool(message.get("tool_calls") or message.get("function_call"))
    text = _Text.of(message.get(text_key, _MISSING), parts=text_key == "content")
    calls = calls or text.has_tool_calls
    turn = text.turn(
        role,
        f"{at}/{text_key}",
        raw_role=raw_role,
        required=role is not Role.SYSTEM and not (calls and role is Role.ASSISTANT),
        message=message,
    )
    tools = calls or role is Role.TOOL or raw_role.lower() == "function_call"
    return turn, tools


#: Roles the fast path of :func:`_messages` reads as spelled (no stripping or case folding).
_PLAIN_ROLES = {"system": Role.SYSTEM, "user": Role.USER, "assistant": Role.ASSISTANT}


def _text_key(message: dict[str, Any]) -> str:
    """``content`` or ``value``, whichever the message has; when it has
    neither, the one that goes with its role key."""
    for key in ("content", "value"):
        if key in message:
            return key
    return "value" if "from" in message else "content"


def _messages(messages: Sequence[Any], at: str) -> _Turns:
    turns = []
    tools = False
    for index, message in enumerate(messages):
        # The common case, read here in one step (this runs for every message
        # of every record): a usual role and string content, no tool calls.
        if message.__class__ is dict:
            raw = message.get("role")
            content = message.get("content")
            if (
                content.__class__ is str
                and raw.__class__ is str  # a list or object as the role is data, not a key
                and raw in _PLAIN_ROLES
                and "tool_calls" not in message
                and "function_call" not in message
            ):
                role = _PLAIN_ROLES[raw]
                required = role is not Role.SYSTEM
                pointer = f"{at}/{index}/content"
                turns.append(Turn(role, content, pointer, raw, True, True, required, message))
                continue
        turn, uses_tools = _message(message, f"{at}/{index}")
        turns.append(turn)
        tools = tools or uses_tools
    return _Turns(tuple(turns), tools)


def _field(record: Mapping[str, Any], key: str, role: Role, *, required: bool = True) -> Turn:
    """A top-level text field as one turn."""
    return _Text.of(record.get(key, _MISSING)).turn(role, pointer(key), required=required)


def _system(record: Mapping[str, Any]) -> _Turns:
    """The optional top-level ``system`` prompt that LLaMA-Factory allows beside
    a conversation; absent or blank, it adds no turn."""
    if _is_blank(record.get("system")):
        return _Turns()
    return _Turns((_field(record, "system", Role.SYSTEM, required=False),))


@functools.lru_cache(maxsize=64)
def _key_pointer(key: str) -> str:
    """:func:`pointer` of one top-level key, remembered: shapes ask for the
    same few keys (``messages``) for every record."""
    return pointer(key)


def _declares_tools(record: Mapping[str, Any]) -> bool:
    if "tools" not in record and "functions" not in record:
        return False
    return not (_is_blank(record.get("tools")) and _is_blank(record.get("functions")))


def _conversation(record: Mapping[str, Any], key: str) -> _Turns:
    """A message list under ``key`` with the record's system prompt and tools."""
    messages = _messages(record[key], _key_pointer(key))
    if "system" in record and not _is_blank(record["system"]):
        messages = _system(record) + messages
    messages.tools = messages.tools or _declares_tools(record)
    return messages


def _side(record: Mapping[str, Any], key: str, role: Role) -> _Turns:
    """One side of prompt/completion data: a string, or a message list (TRL's
    conversational format)."""
    value = record.get(key, _MISSING)
    if isinstance(value, list):
        return _messages(value, pointer(key))
    return _Turns((_Text.of(value).turn(role, pointer(key)),))


def _transcript(record: Mapping[str, Any], key: str) -> _Turns:
    """An HH-RLHF transcript string under ``key`` as turns; they share the
    string's pointer and are told apart by ``part``."""
    at = _key_pointer(key)
    return _Turns(
        tuple(
            Turn(turn.role, turn.text, at, raw_role=turn.speaker, part=number)
            for number, turn in enumerate(split_transcript(record[key]), start=1)
        )
    )


def _before_response(turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
    """The turns before the last assistant turn: a conversation's prompt."""
    for index in range(len(turns) - 1, -1, -1):
        if turns[index].role is Role.ASSISTANT:
            return turns[:index]
    return turns


def _alpaca_prompt(record: Mapping[str, Any]) -> tuple[Turn, ...]:
    """System, ``history`` pairs, instruction and input of an Alpaca record.

    The instruction may be empty when the input carries the request, since
    trainers join the two.
    """
    turns = list(_system(record).turns)
    history = record.get("history")
    if isinstance(history, list):
        for index, pair in enumerate(history):
            turns.extend(_history_pair(pair, index))
    has_input = isinstance(record.get("input"), str) and bool(record["input"].strip())
    turns.append(_field(record, "instruction", Role.USER, required=not has_input))
    if "input" in record:
        turns.append(_field(record, "input", Role.USER, required=False))
    return tuple(turns)


def _history_pair(pair: Any, index: int) -> Iterator[Turn]:
    if not isinstance(pair, list):
        yield Turn(Role.TEXT, "", pointer("history", index), present=True, is_string=False)
        return
    for position, role in enumerate((Role.USER, Role.ASSISTANT)):
        value = pair[position] if position < len(pair) else _MISSING
        yield _Text.of(value).turn(role, pointer("history", index, position))


def _bool_like(value: Any) -> bool:
    """A KTO label: a boolean, or one spelled as a string or 0/1 (rule S008
    reports those)."""
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        return value.strip().lower() in ("true", "false")
    return isinstance(value, int) and value in (0, 1)


# --- The shapes --------------------------------------------------------------------


class PreferenceShape(Shape):
    """Pairwise preference data (DPO, ORPO, reward models): ``chosen`` and
    ``rejected`` responses to one prompt.

    The prompt comes from ``conversations`` or ``messages`` (LLaMA-Factory's
    ShareGPT DPO format, where chosen and rejected are single ``{from, value}``
    messages), from ``prompt`` (a string or a message list: TRL's explicit
    prompt), or from ``instruction``/``input`` (LLaMA-Factory's Alpaca DPO
    format). Without any of those, chosen and rejected are whole conversations
    (TRL's implicit prompt) whose shared opening is the prompt: message lists,
    or HH-RLHF transcripts (``"\n\nHuman: ...\n\nAssistant: ..."`` strings,
    :mod:`ftlint.shapes.transcripts`). Such a view keeps the rejected side's
    own prompt in ``rejected_prompt`` (rule S010 compares the two).
    """

    name = "preference"
    priority = 10

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict) or not ("chosen" in value or "rejected" in value):
            return None
        prompt = self._prompt(value)
        if prompt is None:
            return self._implicit(value)
        chosen = self._response(value, "chosen")
        rejected = self._response(value, "rejected")
        return RecordView(
            shape=self.name,
            turns=prompt.turns + chosen.turns,
            rejected=rejected.turns,
            has_tools=prompt.tools or chosen.tools or rejected.tools or _declares_tools(value),
        )

    @staticmethod
    def _prompt(value: dict[str, Any]) -> _Turns | None:
        for key in ("conversations", "messages"):
            if isinstance(value.get(key), list):
                return _conversation(value, key)
        if "prompt" in value:
            return _side(value, "prompt", Role.USER)
        if "instruction" in value:
            return _Turns(_alpaca_prompt(value))
        return None

    @staticmethod
    def _response(value: dict[str, Any], key: str) -> _Turns:
        response = value.get(key, _MISSING)
        if isinstance(response, dict):
            turn, tools = _message(response, pointer(key))
            return _Turns((turn,), tools)
        return _side(value, key, Role.ASSISTANT)

    def _implicit(self, value: dict[str, Any]) -> RecordView:
        side = (
            _transcript_side
            if is_transcript(value.get("chosen")) or is_transcript(value.get("rejected"))
            else self._response
        )
        chosen, rejected = side(value, "chosen"), side(value, "rejected")
        shared = 0
        for mine, theirs in zip(chosen.turns[:-1], rejected.turns[:-1], strict=False):
            if (mine.role, mine.text) != (theirs.role, theirs.text):
                break
            shared += 1
        return RecordView(
            shape=self.name,
            turns=chosen.turns,
            rejected=rejected.turns[shared:],
            has_tools=chosen.tools or rejected.tools or _declares_tools(value),
            rejected_prompt=_before_response(rejected.turns),
        )


def _transcript_side(value: dict[str, Any], key: str) -> _Turns:
    """One side of an HH-RLHF record: its transcript's turns, or, when that side
    is no transcript, what the side holds as a response."""
    if is_transcript(value.get(key)):
        return _transcript(value, key)
    return _side(value, key, Role.ASSISTANT)


class OpenAIPreferenceShape(Shape):
    """OpenAI's preference (DPO) fine-tuning format: ``input`` with the prompt
    ``messages`` (and optional ``tools``), and the responses as lists of
    assistant messages in ``preferred_output`` and ``non_preferred_output``.
    """

    name = "openai-preference"
    priority = 5

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict) or not (
            "preferred_output" in value or "non_preferred_output" in value
        ):
            return None
        request = value.get("input")
        prompt = _Turns()
        if isinstance(request, dict) and isinstance(request.get("messages"), list):
            prompt = _messages(request["messages"], pointer("input", "messages"))
            prompt.tools = prompt.tools or _declares_tools(request)
        preferred = self._output(value, "preferred_output")
        rejected = self._output(value, "non_preferred_output")
        return RecordView(
            shape=self.name,
            turns=prompt.turns + preferred.turns,
            rejected=rejected.turns,
            has_tools=prompt.tools or preferred.tools or rejected.tools,
        )

    @staticmethod
    def _output(value: dict[str, Any], key: str) -> _Turns:
        """A list of assistant messages; anything else is one turn that the
        structure rules report (missing, or of the wrong type)."""
        output = value.get(key, _MISSING)
        if isinstance(output, list) and output:
            return _messages(output, _key_pointer(key))
        return _Turns((_Text.of(output).turn(Role.ASSISTANT, _key_pointer(key)),))


class KTOShape(Shape):
    """Unpaired preference data (KTO): one conversation and a boolean saying
    whether it is desirable.

    ``messages`` or ``conversations`` with ``label`` (TRL, LLaMA-Factory's
    demo) or ``kto_tag`` (LLaMA-Factory's ShareGPT KTO), or TRL's
    ``prompt``/``completion``/``label``. A label that is not a boolean but is
    one in disguise (``"true"``, ``1``) still makes a KTO record so that rule
    S008 can report it; any other ``label`` is a class label of some other
    format, not KTO.
    """

    name = "kto"
    priority = 20

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict):
            return None
        key = "kto_tag" if "kto_tag" in value else "label" if "label" in value else None
        if key is None or not _bool_like(value[key]):
            return None
        turns = self._turns(value)
        if turns is None:
            return None
        label = value[key] if isinstance(value[key], bool) else None
        return RecordView(shape=self.name, turns=turns.turns, label=label, has_tools=turns.tools)

    @staticmethod
    def _turns(value: dict[str, Any]) -> _Turns | None:
        for key in ("messages", "conversations"):
            if isinstance(value.get(key), list):
                return _conversation(value, key)
        if "prompt" in value and "completion" in value:
            return _side(value, "prompt", Role.USER) + _side(value, "completion", Role.ASSISTANT)
        return None


class ChatShape(Shape):
    """OpenAI chat fine-tuning format: ``messages``, a list of ``{role, content}``.

    ``content`` may be a list of parts; ``tool_calls``/``function_call`` on an
    assistant message (whose content may then be null) and top-level
    ``tools``/``functions`` mark tool use.
    """

    name = "chat"
    priority = 30

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict) or not isinstance(value.get("messages"), list):
            return None
        turns = _conversation(value, "messages")
        return RecordView(shape=self.name, turns=turns.turns, has_tools=turns.tools)


class ShareGPTShape(Shape):
    """ShareGPT/FastChat format: ``conversations``, a list of ``{from, value}``
    (``human``, ``gpt``, ``system``, ``function_call``, ``observation``), with
    LLaMA-Factory's optional top-level ``system`` and ``tools``."""

    name = "sharegpt"
    priority = 40

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict) or not isinstance(value.get("conversations"), list):
            return None
        turns = _conversation(value, "conversations")
        return RecordView(shape=self.name, turns=turns.turns, has_tools=turns.tools)


class AlpacaShape(Shape):
    """Alpaca format: ``instruction``, optional ``input``, ``output``; with
    LLaMA-Factory's optional ``system`` and ``history`` (``[[q, a], ...]``).

    A record matches with two of the three main keys, or with ``instruction``
    and nothing but Alpaca keys, so a record that lost its ``output`` is still
    Alpaca (and rule S005 says what is missing), while a record that merely has
    an ``instruction`` among unrelated keys (Self-Instruct seed tasks) is not.
    """

    name = "alpaca"
    priority = 50
    MAIN_KEYS: ClassVar[frozenset[str]] = frozenset({"instruction", "input", "output"})
    KEYS: ClassVar[frozenset[str]] = MAIN_KEYS | {"system", "history"}

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict) or not self._is_alpaca(value):
            return None
        output = _field(value, "output", Role.ASSISTANT)
        return RecordView(shape=self.name, turns=(*_alpaca_prompt(value), output))

    def _is_alpaca(self, value: dict[str, Any]) -> bool:
        if len(self.MAIN_KEYS.intersection(value)) >= 2:
            return True
        return "instruction" in value and self.KEYS.issuperset(value)


class PromptCompletionShape(Shape):
    """Prompt/completion format (OpenAI legacy, MLX-LM, TRL): ``prompt`` and
    ``completion``, each a string or, in TRL's conversational format, a
    message list. Either key alone still matches (the other is missing)."""

    name = "prompt-completion"
    priority = 60

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict) or not ("prompt" in value or "completion" in value):
            return None
        turns = _side(value, "prompt", Role.USER) + _side(value, "completion", Role.ASSISTANT)
        return RecordView(shape=self.name, turns=turns.turns, has_tools=turns.tools)


class TextShape(Shape):
    """Raw text for continued pre-training or pre-formatted prompts: ``text``."""

    name = "text"
    priority = 70

    def match(self, value: Any) -> RecordView | None:
        if not isinstance(value, dict) or "text" not in value:
            return None
        return RecordView(shape=self.name, turns=(_field(value, "text", Role.TEXT),))


BUILTIN_SHAPES: tuple[Shape, ...] = tuple(
    sorted(
        (
            OpenAIPreferenceShape(),
            PreferenceShape(),
            KTOShape(),
            ChatShape(),
            ShareGPTShape(),
            AlpacaShape(),
            PromptCompletionShape(),
            TextShape(),
        ),
        key=lambda shape: shape.priority,
    )
)


def recognise(value: Any, shapes: Sequence[Shape] = BUILTIN_SHAPES) -> RecordView | None:
    """The view of the first of ``shapes`` that matches; give them in priority
    order, as :data:`BUILTIN_SHAPES` and the plugin registry have them."""
    for shape in shapes:
        view = shape.match(value)
        if view is not None:
            return view
    return None
