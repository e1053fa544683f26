"""S004 unexpected-field."""

from __future__ import annotations

import difflib
import functools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    Location,
    RecordContext,
    RecordView,
    RuleOptions,
    Severity,
    Turn,
    join_tokens,
    pointer_tokens,
)

from .._sample import Sample, merge_samples, sample_in
from .._wording import count
from ._common import MESSAGE_KEYS, handed_over_messages, message_objects, shape_title

#: Optional top-level keys of the conversational shapes, fine however rare.
OPTIONAL_KEYS = frozenset({"tools", "functions", "system"})
#: A file with more distinct keys than this (top-level and unknown message keys)
#: keeps data in its keys (one key per id, say); stray keys mean nothing there
#: and are not tracked, which also bounds the state.
MAX_KEYS = 1000
#: How similar an unknown message key must be to a known one to be a misspelling.
TYPO_CUTOFF = 0.75
#: How similar a stray top-level key must be to a common one to be named beside it.
HINT_CUTOFF = 0.5


@dataclass(slots=True)
class FieldState:
    """Per file: records by shape; records having each top-level key, by
    (shape, key), counted for every key and located for the keys the shape
    does not read; records having each unknown message key."""

    records: Counter[str] = field(default_factory=Counter)
    key_counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    keys: dict[tuple[str, str], Sample] = field(default_factory=dict)
    message_keys: dict[str, Sample] = field(default_factory=dict)
    overflow: bool = False

    def check_overflow(self) -> None:
        """Past :data:`MAX_KEYS` distinct keys, stop tracking keys at all. Any
        shard past it makes the whole file past it, so merging agrees with
        one pass."""
        if len(self.key_counts) + len(self.message_keys) > MAX_KEYS:
            self.overflow = True
            self.keys.clear()
            self.key_counts.clear()
            self.message_keys.clear()


class UnexpectedFieldOptions(RuleOptions):
    max_share: float = Field(
        default=0.01,
        gt=0.0,
        lt=1.0,
        description="A key in fewer than this share of a file's records of one shape is a stray.",
    )
    min_records: int = Field(
        default=100,
        ge=1,
        description=(
            "In files with fewer records of a shape a stray key cannot be told from a rare "
            "one, so only misspelt message keys are reported there."
        ),
    )


class UnexpectedField(DatasetRule[FieldState]):
    """## What it does
    Checks for keys that do not belong:

    - a top-level key that only a small minority of a file's records of one
      shape have (under `max-share` of them, in files of at least
      `min-records` such records), such as a stray `example_input` beside
      `input`. Keys that every record carries (`id`, `source`, `category`)
      are metadata and fine; keys the shape reads (`system`, `history`,
      `tools`) are fine however rare;
    - a key inside a message object that the message format does not define,
      when it is a near-miss of a known key (`contnet` for `content`), or
      when only a small minority of records have it. A non-standard key that
      most records use (a `metadata` object on every message) is a
      deliberate extension and not reported.

    ## Why is this bad?
    Trainers ignore keys they do not know. A stray or misspelt key means its
    text is silently not trained on, and the field it was meant to be (the
    `content` next to a `contnet`) is missing or empty.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "contnet": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```

    Use instead:
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```
    """

    code = "S004"
    name = "unexpected-field"
    summary = "A key only a few records have, or a message key the format does not define."
    severity = Severity.WARNING
    Options = UnexpectedFieldOptions

    def start(self) -> FieldState:
        return FieldState()

    def add(self, state: FieldState, record: RecordContext) -> None:
        view, value = record.view, record.record.value
        assert view is not None  # only shaped records come here
        state.records[view.shape] += 1
        if state.overflow or not isinstance(value, dict):
            return
        texts = view.texts()
        key_counts = state.key_counts
        shape = view.shape
        for key in value:
            key_counts[shape, key] += 1
            if not _is_read(key, texts):
                sample_in(state.keys, (shape, key)).add(record, join_tokens([key]))
        if not _plain_messages(texts):
            for key, at in _unknown_message_keys(view, value):
                sample_in(state.message_keys, key).add(record, at)
        state.check_overflow()

    def merge(self, earlier: FieldState, later: FieldState) -> FieldState:
        merged = FieldState(records=earlier.records + later.records)
        merged.overflow = earlier.overflow or later.overflow
        if not merged.overflow:
            merged.key_counts = earlier.key_counts + later.key_counts
            merged.keys = merge_samples(earlier.keys, later.keys)
            merged.message_keys = merge_samples(earlier.message_keys, later.message_keys)
        merged.check_overflow()
        return merged

    def finish(self, files: Sequence[FileState[FieldState]]) -> Iterator[Finding]:
        for file_state in files:
            path, state = file_state.file.display, file_state.state
            yield from self._stray_keys(path, state)
            yield from self._message_keys(path, state)

    def _is_rare(self, records: int, total: int) -> bool:
        options: UnexpectedFieldOptions = self.options
        return total >= options.min_records and records / total < options.max_share

    def _stray_keys(self, path: str, state: FieldState) -> Iterator[Finding]:
        for (shape, key), sample in state.keys.items():
            total = state.records[shape]
            if not self._is_rare(sample.count, total):
                continue
            common = [
                other
                for (other_shape, other), records in state.key_counts.items()
                if other_shape == shape and not self._is_rare(records, total)
            ]
            hint = _closest(key, common, HINT_CUTOFF)
            among = count(total, f"{shape_title(shape)} record")
            message = f"stray key '{key}': only {sample.count:,} of {among} in this file have it"
            message += f" (the others have '{hint}')" if hint else ""
            yield from self._report(path, sample, message)

    def _message_keys(self, path: str, state: FieldState) -> Iterator[Finding]:
        total = state.records.total()
        for key, sample in state.message_keys.items():
            hint = _closest(key, sorted(MESSAGE_KEYS), TYPO_CUTOFF)
            if hint is None and not self._is_rare(sample.count, total):
                continue
            where = f"in {sample.count:,} of {count(total, 'record')}"
            message = f"unknown message key '{key}'"
            message += f"; did you mean '{hint}'? ({where})" if hint else f" ({where})"
            yield from self._report(path, sample, message)

    def _report(self, path: str, sample: Sample, message: str) -> Iterator[Finding]:
        for location, content_key in sample.locations(path):
            yield self.finding(message, location, content_key=content_key)
        if sample.unlisted:
            yield self.finding(f"{message}; {sample.unlisted:,} more not listed", Location(path))


def _is_read(key: str, turns: Sequence[Turn]) -> bool:
    """Whether the record's shape reads a top-level key (one its turns point
    into), or the key is an optional one."""
    if key in OPTIONAL_KEYS:
        return True
    # A loop, not any() over a generator: this runs for every key of every record.
    for turn in turns:  # noqa: SIM110
        if _top_key(turn.pointer) == key:
            return True
    return False


@functools.lru_cache(maxsize=4096)
def _top_key(pointer: str) -> str | None:
    return pointer_tokens(pointer)[0] if pointer else None


def _plain_messages(turns: Sequence[Turn]) -> bool:
    """A quick pass that clears most records: every message has only keys
    some chat format defines."""
    messages = handed_over_messages(turns)
    return messages is not None and all(m.keys() <= MESSAGE_KEYS for m in messages)


def _unknown_message_keys(view: RecordView, value: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, pointer) of each key of a message object that no chat format
    defines, once per key per record."""
    seen: set[str] = set()
    for _, at, message in message_objects(view, value):
        if message.keys() <= MESSAGE_KEYS:
            continue  # the usual message: nothing to look at
        for key in message:
            if key in MESSAGE_KEYS or key in seen:
                continue
            seen.add(key)
            yield key, f"{at}{join_tokens([key])}"


def _closest(key: str, candidates: Sequence[str], cutoff: float) -> str | None:
    """The candidate most like ``key`` (case-insensitive), if any is close enough."""
    lowered = {candidate.lower(): candidate for candidate in candidates}
    found = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[found[0]] if found else None
