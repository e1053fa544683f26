"""What readers produce and rules consume: records, their normalised view, the
files they come from.

A reader turns bytes into :class:`Record` objects that remember where they came
from. A shape (``ftlint.shapes.builtin``) turns a record's parsed value into a
:class:`RecordView`: the conversation as turns with roles, whatever the record's
format. Rules work on the view and point back into the raw record with the
JSON Pointer each :class:`Turn` carries.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar


class Split(enum.StrEnum):
    """The role a file plays in a dataset."""

    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"

    @property
    def is_eval(self) -> bool:
        return self is not Split.TRAIN


@dataclass(frozen=True, slots=True)
class DatasetFile:
    """A dataset file as the engine sees it.

    ``display`` is the path shown to the user (relative to the working directory
    when possible). ``split`` is None when neither settings nor the file name say
    which split the file is; such a file is linted as a dataset of its own.
    ``dataset`` groups the files of one dataset (``ftlint.run.layouts`` says
    how: a folder, split folders, a dataset card, settings, training
    configs), so that cross-split rules compare ``train.jsonl`` with its own
    ``test.jsonl`` only; ``layout`` says how the file's dataset and split were
    found, for ``--show-files``. ``eval_split_by`` names the config setting
    that splits evaluation data off this train file when training
    (``val_set_size in config.yaml``), or is empty.
    """

    path: Path
    display: str
    split: Split | None
    dataset: str
    size: int = 0
    layout: str = ""
    eval_split_by: str = ""


# Not frozen: building frozen instances costs a third of JSONL reading time.
# Treat records as read-only all the same.
@dataclass(slots=True)
class Record:
    """One record as read, before any interpretation.

    ``line`` and ``column`` (1-based) are where the record starts, ``offset`` the
    byte offset of that start, ``index`` its 0-based position among the records
    of its file. ``raw`` is the record's source text (a JSONL line, a JSON array
    element). When the source does not parse, ``value`` is None and ``error``
    says why, with ``error_column`` the 1-based column of the fault.
    """

    path: str
    line: int
    column: int
    offset: int
    index: int
    raw: bytes
    value: Any = None
    error: str | None = None
    error_line: int = 0
    error_column: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None


class Role(enum.StrEnum):
    """Normalised speaker of a turn. ``TEXT`` is a raw-text record's single turn."""

    SYSTEM = "system"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    TEXT = "text"


# Not frozen, like Record: a run builds a few turns per record, and a frozen
# dataclass's __init__ costs twice as much. Treat turns as read-only all the same.
@dataclass(slots=True)
class Turn:
    """A piece of text with a role.

    ``text`` is the content exactly as stored (nothing stripped), or ``""`` when
    the content is missing or not a string; ``present`` tells those apart from an
    empty string, and ``is_string`` whether the stored value was a string.
    ``raw_role`` is the role as spelled in the record (``gpt``, ``human``).
    ``required`` is False for text a shape allows to be empty (Alpaca ``input``,
    a system prompt). ``message`` is the message object the text was read
    from (``{"role": ..., "content": ...}``), for a turn of a message list;
    rules that check a message's other keys read it there instead of
    following the pointer again.
    """

    role: Role
    text: str
    pointer: str
    raw_role: str = ""
    present: bool = True
    is_string: bool = True
    required: bool = True
    message: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    part: int = 0


@dataclass(slots=True)  # not frozen either, for the same reason as Turn
class RecordView:
    """A record normalised to one form, whatever its shape.

    ``turns`` is the conversation in order, ending with the response the model
    learns (for preference data, the chosen one). ``rejected`` holds the
    rejected response turns of preference data. ``prompt`` and ``response`` are
    the texts of the prompt side (every turn before the last assistant turn)
    and of the response side (that last turn), joined by newlines; rules that
    hash or compare records use them.

    ``rejected_prompt`` is set for preference data whose chosen and rejected
    sides each carry their own prompt (TRL's implicit prompt, HH-RLHF
    transcripts): the prompt turns of the rejected side, which should be the
    chosen side's ``prompt_turns`` (rule S010). None when one prompt serves
    both.
    """

    shape: str
    turns: tuple[Turn, ...]
    rejected: tuple[Turn, ...] = ()
    label: bool | None = None
    has_tools: bool = False
    rejected_prompt: tuple[Turn, ...] | None = None

    @property
    def prompt_turns(self) -> tuple[Turn, ...]:
        last = self._last_response_index()
        return self.turns if last is None else self.turns[:last]

    @property
    def response_turns(self) -> tuple[Turn, ...]:
        last = self._last_response_index()
        return () if last is None else self.turns[last:]

    @property
    def prompt(self) -> str:
        return "\n".join(t.text for t in self.prompt_turns if t.text)

    @property
    def response(self) -> str:
        return "\n".join(t.text for t in self.response_turns if t.text)

    def texts(self) -> tuple[Turn, ...]:
        """Every turn with text, rejected responses included."""
        return self.turns + self.rejected if self.rejected else self.turns

    def _last_response_index(self) -> int | None:
        for i in range(len(self.turns) - 1, -1, -1):
            if self.turns[i].role is Role.ASSISTANT:
                return i
        return None


StateT = TypeVar("StateT")


@dataclass(frozen=True, slots=True)
class FileState(Generic[StateT]):
    """The folded state of one file, handed to :meth:`DatasetRule.finish`."""

    file: DatasetFile
    state: StateT
