"""P001 missing-separator."""

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
from ._common import EndingTable, Occurrences, Style, appending, field_turn, share

#: Separators to suggest, in order of preference; the first that occurs nowhere
#: in a file's prompts and completions is suggested.
SUGGESTED_SEPARATORS = ("\n\n###\n\n", " ->", "\n\n---\n\n", "\n\n%%%\n\n")


@dataclass(slots=True)
class PromptEndings:
    """Per file: the endings of the string prompts and the leading spaces of
    the completions, and which suggested separators occur anywhere in
    prompts or completions."""

    style: Style = field(default_factory=Style)
    seen: Occurrences = field(default_factory=Occurrences)


class MissingSeparatorOptions(RuleOptions):
    majority_share: float = Field(
        default=0.8,
        gt=0.5,
        le=1.0,
        description="The share of a file's prompts an ending needs to be taken for the separator.",
    )


class MissingSeparator(DatasetRule[PromptEndings]):
    """## What it does
    Checks that the prompts of prompt/completion data end with one common
    separator, such as `\\n\\n###\\n\\n` or ` ->`. The separator is inferred:
    the longest ending (whitespace, punctuation, markers such as `[/INST]`,
    labels such as `A:`) that at least `majority-share` of a file's prompts
    share. Each prompt without it is reported. When no separator is shared
    but the completions start with a space, as data meant to be concatenated
    does, the file gets one finding that suggests a separator occurring
    nowhere in its prompts and completions. Sentence punctuation (`?`, `.`)
    ends content, so it is never taken for a separator. Only string prompts
    are checked: a prompt given as messages gets the chat template.

    ## Why is this bad?
    A model trained on the concatenation of prompt and completion (OpenAI's
    legacy fine-tuning, TRL without a chat template) learns where the prompt
    ends and the answer starts from the separator; inference appends the
    same separator. Without a consistent one the model continues the prompt
    instead of answering it. Trainers that apply a chat template to
    prompt/completion data (MLX-LM) need no separator; data with neither a
    separator nor spaced completions is taken to be meant for them and is
    not reported.

    ## Example
    ```jsonl
    {"prompt": "Great product!\\n\\n###\\n\\n", "completion": " positive"}
    {"prompt": "Broke in a day.\\n\\n###\\n\\n", "completion": " negative"}
    {"prompt": "Works as described.\\n\\n###\\n\\n", "completion": " positive"}
    {"prompt": "Love it!\\n\\n###\\n\\n", "completion": " positive"}
    {"prompt": "Never again.", "completion": " negative"}
    ```

    Use instead:
    ```jsonl
    {"prompt": "Great product!\\n\\n###\\n\\n", "completion": " positive"}
    {"prompt": "Broke in a day.\\n\\n###\\n\\n", "completion": " negative"}
    {"prompt": "Works as described.\\n\\n###\\n\\n", "completion": " positive"}
    {"prompt": "Love it!\\n\\n###\\n\\n", "completion": " positive"}
    {"prompt": "Never again.\\n\\n###\\n\\n", "completion": " negative"}
    ```

    ## Fix safety
    With `--unsafe-fixes`, the separator most prompts end with is
    appended to each prompt located without it (a prompt that ends with
    part of it gets all of it, so look at the diff). A file whose prompts
    share no separator is not fixed: there is no majority to follow. Past
    the first findings of a file, each run fixes the next batch.
    """

    code = "P001"
    name = "missing-separator"
    summary = "Prompts do not end with the separator most prompts use, or share none."
    severity = Severity.ERROR
    fix_safety = FixSafety.UNSAFE
    Options = MissingSeparatorOptions

    def start(self) -> PromptEndings:
        return PromptEndings()

    def add(self, state: PromptEndings, record: RecordContext) -> None:
        prompt = field_turn(record, "/prompt")
        if prompt is None or not prompt.text:
            return
        state.style.add(record)
        state.seen.add(prompt.text, SUGGESTED_SEPARATORS)
        completion = field_turn(record, "/completion")
        if completion is not None:
            state.seen.add(completion.text, SUGGESTED_SEPARATORS)

    def merge(self, earlier: PromptEndings, later: PromptEndings) -> PromptEndings:
        return PromptEndings(earlier.style.merge(later.style), earlier.seen.merge(later.seen))

    def finish(self, files: Sequence[FileState[PromptEndings]]) -> Iterator[Finding]:
        for file_state in files:
            if file_state.state.style.prompts.total:
                yield from self._check(file_state.file.display, file_state.state)

    def _check(self, path: str, state: PromptEndings) -> Iterator[Finding]:
        table = state.style.prompts
        common = table.common(self.options.majority_share)
        if common is None:
            if state.style.spaced_completions(self.options.majority_share):
                yield self.finding(_none_shared(table, state.seen), Location(path))
            return
        separator, number = common
        like = f"like {share(number, table.total)} prompts"
        yield from located(
            self,
            table.lacking(separator),
            path,
            f"prompt does not end with {quote(separator)} {like}",
            f"{{count}} more prompts do not end with {quote(separator)} {like}",
            appending(separator),
        )


def _none_shared(table: EndingTable, seen: Occurrences) -> str:
    most = table.most_common()
    found = (
        f"the most common ending, {quote(most[0])}, ends {share(most[1], table.total)}"
        if most
        else f"none of the {table.total:,} ends with a separator"
    )
    suggestion = seen.first_absent(SUGGESTED_SEPARATORS)
    such_as = f", such as {quote(suggestion)}" if suggestion else ""
    return (
        f"prompts share no separator ({found}); end every prompt with one fixed "
        f"separator that occurs nowhere else in the data{such_as}"
    )
