"""P002 missing-stop-sequence."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import Field

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    FixSafety,
    Location,
    RecordContext,
    RuleOptions,
    Severity,
)

from .._sample import located
from .._wording import quote
from ._common import (
    EndingTable,
    Occurrences,
    Style,
    appending,
    field_turn,
    has_preformatted_texts,
    share,
)

#: Stop sequences to suggest, in order of preference; the first that occurs
#: in none of a file's completions is suggested.
SUGGESTED_STOPS = (" END", "\n###", " ###", "\n\nEND")


@dataclass(slots=True)
class CompletionEndings:
    """Per file: the endings of string completions and of texts, and which
    suggested stop sequences occur in completions."""

    completions: EndingTable = field(default_factory=EndingTable)
    texts: EndingTable = field(default_factory=EndingTable)
    seen: Occurrences = field(default_factory=Occurrences)
    style: Style = field(default_factory=Style)


class MissingStopSequenceOptions(RuleOptions):
    majority_share: float = Field(
        default=0.8,
        gt=0.5,
        le=1.0,
        description=(
            "The share of a file's completions (or texts) an ending needs to be taken for the"
            " stop sequence."
        ),
    )


class MissingStopSequence(DatasetRule[CompletionEndings]):
    """## What it does
    Checks that the completions of prompt/completion data, and the texts of
    `text` data, end with one common stop sequence or end-of-sequence
    marker (`\\n`, ` END`, `</s>`, `<|endoftext|>`). The stop sequence is
    inferred: the ending most of a file's completions (or texts) share, the
    longest of those shared by as many, when at least `majority-share` of them
    share it; each one without it is reported. A longer ending that fewer
    share is not taken (`' .<|endoftext|>'` when every completion ends with
    `<|endoftext|>`), and when the stop sequence ends with a special token
    (`</s>`, `<|endoftext|>`, `<|im_end|>`, `<|eot_id|>`), a completion that
    ends with that token is not reported, whatever precedes it. When the
    completions share none and the data is meant to be concatenated (its
    prompts end with a common separator or its completions start with a
    space), the file gets one finding that suggests a stop sequence
    occurring in none of them. Data without those conventions is meant for a
    trainer that applies a chat template, and texts are trained by trainers
    that append the end-of-sequence token themselves: neither is reported
    for sharing no stop sequence.

    ## Why is this bad?
    A model learns to stop where its training examples stop. Trained on the
    concatenation of prompt and completion with no common stop sequence, it
    runs on after its answer and inference cannot cut it; a few texts that
    lack the end-of-sequence marker the others have teach it to ramble on.

    ## Example
    ```jsonl
    {"prompt": "2+2 ->", "completion": " 4 END"}
    {"prompt": "3+3 ->", "completion": " 6 END"}
    {"prompt": "4+4 ->", "completion": " 8 END"}
    {"prompt": "5+5 ->", "completion": " 10 END"}
    {"prompt": "6+6 ->", "completion": " 12"}
    ```

    Use instead:
    ```jsonl
    {"prompt": "2+2 ->", "completion": " 4 END"}
    {"prompt": "3+3 ->", "completion": " 6 END"}
    {"prompt": "4+4 ->", "completion": " 8 END"}
    {"prompt": "5+5 ->", "completion": " 10 END"}
    {"prompt": "6+6 ->", "completion": " 12 END"}
    ```

    ## Fix safety
    With `--unsafe-fixes`, the stop sequence most completions (or
    texts) end with is appended to each one located without it. A file with
    no common stop sequence is not fixed: there is no majority to follow.
    Past the first findings of a file, each run fixes the next batch.
    """

    code = "P002"
    name = "missing-stop-sequence"
    summary = "Completions or texts do not end with the stop sequence most of them use."
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    Options = MissingStopSequenceOptions

    def start(self) -> CompletionEndings:
        return CompletionEndings()

    def add(self, state: CompletionEndings, record: RecordContext) -> None:
        if not has_preformatted_texts(record):
            return
        state.style.add(record)
        completion = field_turn(record, "/completion")
        if completion is not None and completion.text.strip():
            state.completions.add(completion.text, record, "/completion")
            state.seen.add(completion.text, SUGGESTED_STOPS)
        text = field_turn(record, "/text")
        if text is not None and text.text.strip():
            state.texts.add(text.text, record, "/text")

    def merge(self, earlier: CompletionEndings, later: CompletionEndings) -> CompletionEndings:
        return CompletionEndings(
            earlier.completions.merge(later.completions),
            earlier.texts.merge(later.texts),
            earlier.seen.merge(later.seen),
            earlier.style.merge(later.style),
        )

    def finish(self, files: Sequence[FileState[CompletionEndings]]) -> Iterator[Finding]:
        for file_state in files:
            path, state = file_state.file.display, file_state.state
            if state.completions.total:
                concatenated = state.style.concatenated(self.options.majority_share)
                seen = state.seen if concatenated else None
                yield from self._check(path, state.completions, "completion", seen)
            if state.texts.total:
                yield from self._check(path, state.texts, "text", None)

    def _check(
        self, path: str, table: EndingTable, noun: str, seen: Occurrences | None
    ) -> Iterator[Finding]:
        common = table.most_shared(self.options.majority_share)
        if common is None:
            if seen is not None:
                yield self.finding(_none_shared(table, seen), Location(path))
            return
        stop, number = common
        like = f"like {share(number, table.total)} {noun}s"
        yield from located(
            self,
            table.lacking_stop(stop),
            path,
            f"{noun} does not end with {quote(stop)} {like}",
            f"{{count}} more {noun}s do not end with {quote(stop)} {like}",
            appending(stop),
        )


def _none_shared(table: EndingTable, seen: Occurrences) -> str:
    suggestion = seen.first_absent(SUGGESTED_STOPS)
    such_as = f", such as {quote(suggestion)}" if suggestion else ""
    return (
        f"the {table.total:,} completions share no stop sequence; unless the trainer "
        "appends an end-of-sequence token, end every completion with one that occurs "
        f"in none of them{such_as}"
    )
