"""EX001 missing-system-prompt: a dataset rule with a mergeable state."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pydantic import Field

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    Location,
    RecordContext,
    Role,
    RuleOptions,
    Severity,
)


class Options(RuleOptions):
    min_share: float = Field(
        default=0.9,
        gt=0.0,
        le=1.0,
        description=(
            "Report only when at least this share of the file's conversations has a system prompt."
        ),
    )


@dataclass
class State:
    """Per file: how many conversations there are, and the line and content hash
    of those without a system prompt. Small: two integers per such record, so
    that findings can be reported after the whole file was read."""

    conversations: int = 0
    without: array[int] = field(default_factory=lambda: array("q"))
    hashes: array[int] = field(default_factory=lambda: array("Q"))


class MissingSystemPrompt(DatasetRule[State]):
    """## What it does
    Reports conversations without a system prompt in a file where most
    conversations have one.

    ## Why is this bad?
    A model fine-tuned mostly with a system prompt learns to rely on it. The
    few records without one teach it a second, unintended behaviour, and are
    usually records a conversion script handled differently by mistake.

    ## Example
    ```json
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```
    in a file where the other records start with
    `{"role": "system", "content": "You are a helpful assistant."}`.

    Use instead:
    ```json
    {"messages": [{"role": "system", "content": "You are a helpful assistant."},
                  {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```
    """

    code = "EX001"
    name = "missing-system-prompt"
    summary = "A conversation lacks the system prompt most conversations of its file have."
    severity = Severity.WARNING
    Options = Options

    def start(self) -> State:
        return State()

    def add(self, state: State, record: RecordContext) -> None:
        view = record.view
        if view is None or not any(t.role is Role.ASSISTANT for t in view.turns):
            return
        state.conversations += 1
        if not any(t.role is Role.SYSTEM and t.text.strip() for t in view.turns):
            state.without.append(record.line)
            state.hashes.append(int(record.raw_hash, 16))

    def merge(self, earlier: State, later: State) -> State:
        # A new state: merge never changes its inputs (an executor may merge
        # the parts of a file in any grouping).
        return State(
            earlier.conversations + later.conversations,
            earlier.without + later.without,
            earlier.hashes + later.hashes,
        )

    def finish(self, files: Sequence[FileState[State]]) -> Iterable[Finding]:
        for file_state in files:
            state = file_state.state
            with_prompt = state.conversations - len(state.without)
            if not state.without or with_prompt < self.options.min_share * state.conversations:
                continue
            for line, content_hash in zip(state.without, state.hashes, strict=True):
                yield self.finding(
                    f"conversation has no system prompt, unlike {with_prompt:,} of "
                    f"{state.conversations:,} conversations in this file",
                    Location(file_state.file.display, line, 1),
                    # The record's hash, not its line: the fingerprint survives inserts above.
                    content_key=f"{content_hash:016x}",
                )
