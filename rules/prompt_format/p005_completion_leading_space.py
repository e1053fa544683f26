"""P005 completion-leading-space."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import Field

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    Location,
    RecordContext,
    RuleOptions,
    Severity,
)

from .._sample import Sample, located
from ._common import Style, field_turn, has_preformatted_texts, share


@dataclass(slots=True)
class LeadingSpace:
    """Per file: the completions that do not start with whitespace (located),
    and how the data is meant to be trained."""

    unspaced: Sample = field(default_factory=Sample)
    style: Style = field(default_factory=Style)


class CompletionLeadingSpaceOptions(RuleOptions):
    majority_share: float = Field(
        default=0.8,
        gt=0.5,
        le=1.0,
        description=(
            "The share of a file's completions that must start with whitespace for the others"
            " to be reported one by one."
        ),
    )


class CompletionLeadingSpace(DatasetRule[LeadingSpace]):
    """## What it does
    Checks that the string completions of prompt/completion data start with
    whitespace (` positive`, not `positive`). When at least `majority-share`
    of a file's completions do, each one that does not is reported. When
    most do not, the file gets one finding if its prompts end with a common
    separator (the data is meant to be concatenated); without one, the data
    is meant for a trainer that applies a chat template, and is not
    reported.

    ## Why is this bad?
    BPE tokenizers (tiktoken, Llama's) fold the space before a word into
    the word's token: ` positive` is one token, `positive` another. A model
    trained on the concatenation of prompt and completion learns the first
    completion token as it appears in training; completions without the
    space teach a token that inference, where text follows a space, rarely
    produces. Trainers that apply a chat template (MLX-LM) are not affected.

    ## Example
    ```jsonl
    {"prompt": "Great product! ->", "completion": " positive"}
    {"prompt": "Broke in a day. ->", "completion": " negative"}
    {"prompt": "Works well. ->", "completion": " positive"}
    {"prompt": "Never again. ->", "completion": " negative"}
    {"prompt": "Love it! ->", "completion": "positive"}
    ```

    Use instead:
    ```jsonl
    {"prompt": "Great product! ->", "completion": " positive"}
    {"prompt": "Broke in a day. ->", "completion": " negative"}
    {"prompt": "Works well. ->", "completion": " positive"}
    {"prompt": "Never again. ->", "completion": " negative"}
    {"prompt": "Love it! ->", "completion": " positive"}
    ```
    """

    code = "P005"
    name = "completion-leading-space"
    summary = "Completions of prompt/completion data do not start with whitespace."
    severity = Severity.INFO
    Options = CompletionLeadingSpaceOptions

    def start(self) -> LeadingSpace:
        return LeadingSpace()

    def add(self, state: LeadingSpace, record: RecordContext) -> None:
        if not has_preformatted_texts(record):
            return
        state.style.add(record)
        completion = field_turn(record, "/completion")
        text = completion.text if completion is not None else ""
        if text.strip() and not text[0].isspace():
            state.unspaced.add(record, "/completion")

    def merge(self, earlier: LeadingSpace, later: LeadingSpace) -> LeadingSpace:
        return LeadingSpace(
            earlier.unspaced.merge(later.unspaced), earlier.style.merge(later.style)
        )

    def finish(self, files: Sequence[FileState[LeadingSpace]]) -> Iterator[Finding]:
        for file_state in files:
            state, path = file_state.state, file_state.file.display
            style, majority = state.style, self.options.majority_share
            if not state.unspaced.count:
                continue
            if style.spaced_completions(majority):
                like = f"unlike {share(style.spaced, style.completions)} completions"
                yield from located(
                    self,
                    [state.unspaced],
                    path,
                    f"completion does not start with whitespace, {like}",
                    f"{{count}} more completions do not start with whitespace, {like}",
                )
            elif style.separator(majority) is not None:
                yield self.finding(
                    f"{share(state.unspaced.count, style.completions)} completions do not start "
                    "with whitespace, though the prompts end with a separator for "
                    "concatenation; start each with a space (' positive', not 'positive')",
                    Location(path),
                )
