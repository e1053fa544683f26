"""Conversations written as one string: Anthropic's HH-RLHF transcripts.

The HH-RLHF preference data (and the many sets made in its image) store each
side of a comparison as a single string of turns::

    "\\n\\nHuman: What is 2 + 2?\\n\\nAssistant: 4."

A turn starts with a blank line and a speaker label (the first turn may omit
the blank line). This module cuts such a string into its turns, so that the
structure rules see the roles and the empty final answer a broken transcript
has; the preference shape (:mod:`ftlint.shapes.builtin`) turns them into
:class:`~ftlint.core.records.Turn` objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ftlint.core.records import Role

#: The speaker labels of HH-RLHF transcripts and the roles they stand for.
SPEAKERS = {"Human": Role.USER, "Assistant": Role.ASSISTANT}

_LABEL = re.compile(r"(?:\A|\n\n)(Human|Assistant):[ \t]?")


@dataclass(frozen=True, slots=True)
class TranscriptTurn:
    """One turn of a transcript: its speaker label as written (``""`` for text
    before the first label) and its text, without the label."""

    speaker: str
    text: str

    @property
    def role(self) -> Role:
        return SPEAKERS.get(self.speaker, Role.TEXT)


def is_transcript(value: object) -> bool:
    """Whether ``value`` is a string of labelled turns with an assistant turn:
    what HH-RLHF stores in ``chosen`` and ``rejected``."""
    return (
        isinstance(value, str)
        and "\n\nAssistant:" in value
        and _LABEL.search(value) is not None
        and "Human:" in value
    )


def split_transcript(text: str) -> list[TranscriptTurn]:
    """The turns of a transcript, in order. Text before the first label (other
    than whitespace) is a turn with no speaker; a label with nothing after it
    is a turn with empty text."""
    labels = list(_LABEL.finditer(text))
    turns = []
    preamble = text[: labels[0].start()] if labels else text
    if preamble.strip():
        turns.append(TranscriptTurn("", preamble))
    for label, following in zip(labels, [*labels[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        turns.append(TranscriptTurn(label.group(1), text[label.end() : end]))
    return turns
