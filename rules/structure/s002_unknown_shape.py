"""S002 unknown-shape."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from ftlint.api import DatasetRule, FileState, Finding, Location, RecordContext, Severity

from .._sample import Sample
from .._wording import count, quote_all
from ._common import json_type

#: The keys that make each built-in shape, as the message lists them.
KNOWN_SHAPES = (
    "'messages' (chat)",
    "'conversations' (ShareGPT)",
    "'instruction'/'input'/'output' (Alpaca)",
    "'prompt'/'completion'",
    "'text'",
    "'chosen'/'rejected' (preference)",
    "'input' + 'preferred_output'/'non_preferred_output' (OpenAI preference)",
    "'messages' + 'label' (KTO)",
)


@dataclass(slots=True)
class ShapeTally:
    """Per file: how many records have a known shape, where the others are,
    and a short description of each located one (their keys), so a state
    stays bounded by the sample's cap."""

    shaped: int = 0
    unknown: Sample = field(default_factory=Sample)
    descriptions: list[str] = field(default_factory=list)


class UnknownShape(DatasetRule[ShapeTally]):
    """## What it does
    Checks that every record is in a format ftlint recognises: chat
    `messages`, ShareGPT `conversations`, Alpaca `instruction`/`input`/`output`,
    `prompt`/`completion`, `text`, preference `chosen`/`rejected` (also
    HH-RLHF transcripts), OpenAI preference `input` with `preferred_output`
    and `non_preferred_output`, or KTO
    `messages` with a boolean `label`. The message lists the record's keys.
    A file in which no record has a known shape (an evaluation question set,
    a format of its own) gets one finding, at its first record, instead of
    one a record.

    ## Why is this bad?
    A trainer maps columns to roles by name. A record whose keys match no
    format is dropped, fails the run, or is read with the wrong columns (a
    `question`/`answer` record fed to an Alpaca template trains on empty
    strings). It is often a sign of a renamed or misspelt key.

    ## Example
    ```jsonl
    {"question": "What is 2 + 2?", "answer": "4"}
    ```

    Use instead:
    ```jsonl
    {"prompt": "What is 2 + 2?", "completion": "4"}
    ```
    """

    code = "S002"
    name = "unknown-shape"
    summary = "A record matches no known record shape."
    severity = Severity.ERROR
    accepts_unshaped = True

    def start(self) -> ShapeTally:
        return ShapeTally()

    def add(self, state: ShapeTally, record: RecordContext) -> None:
        if record.view is not None:
            state.shaped += 1
            return
        state.unknown.add(record)
        if len(state.descriptions) < len(state.unknown.lines):
            state.descriptions.append(_describe(record.record.value))

    def merge(self, earlier: ShapeTally, later: ShapeTally) -> ShapeTally:
        unknown = earlier.unknown.merge(later.unknown)
        descriptions = (earlier.descriptions + later.descriptions)[: len(unknown.lines)]
        return ShapeTally(earlier.shaped + later.shaped, unknown, descriptions)

    def finish(self, files: Sequence[FileState[ShapeTally]]) -> Iterator[Finding]:
        expected = f"expected one of {', '.join(KNOWN_SHAPES)}"
        for file_state in files:
            tally, path = file_state.state, file_state.file.display
            unknown = tally.unknown
            if not unknown.count:
                continue
            if not tally.shaped and unknown.count > 1:
                location, key = next(unknown.locations(path))
                yield self.finding(
                    f"none of the {count(unknown.count, 'record')} in this file matches a "
                    f"known shape (the first is {_summarise(tally.descriptions[0])}); {expected}",
                    location,
                    content_key=key,
                )
                continue
            for (location, key), description in zip(
                unknown.locations(path), tally.descriptions, strict=True
            ):
                yield self.finding(f"{description}; {expected}", location, content_key=key)
            if unknown.unlisted:
                yield self.finding(
                    f"{count(unknown.unlisted, 'more record')} match no known shape",
                    Location(path),
                )


def _describe(value: object) -> str:
    if not isinstance(value, dict):
        return f"record is {json_type(value)} instead of an object"
    if not value:
        return "record is an empty object"
    return f"record with keys {quote_all(value)} matches no known shape"


def _summarise(description: str) -> str:
    """A description as a noun phrase: ``a record with keys 'a', 'b'``, ``a number
    instead of an object``."""
    if description.startswith("record is "):
        return description.removeprefix("record is ")
    return "a " + description.removesuffix(" matches no known shape")
