"""P003 separator-in-prompt."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pydantic import Field

from ftlint.api import DatasetRule, FileState, Finding, RecordContext, RuleOptions, Severity

from .._sample import Sample, located, merge_samples, sample_in
from .._wording import quote
from ._common import EndingTable, ending_tokens, field_turn, suffixes


@dataclass(slots=True)
class SeparatorUse:
    """Per file: the endings of the string prompts, and for each ending a
    prompt has, the prompts that also carry it before their end."""

    prompts: EndingTable = field(default_factory=EndingTable)
    inside: dict[str, Sample] = field(default_factory=dict)


class SeparatorInPromptOptions(RuleOptions):
    majority_share: float = Field(
        default=0.8,
        gt=0.5,
        le=1.0,
        description="The share of a file's prompts an ending needs to be taken for the separator.",
    )


class SeparatorInPrompt(DatasetRule[SeparatorUse]):
    """## What it does
    Checks that the separator prompts end with (inferred as in P001) does
    not also occur inside a prompt, before its end. Separators made only of
    whitespace (`\\n`) are not checked: every multi-line prompt has them.

    ## Why is this bad?
    The separator tells the model that the prompt is over and the completion
    starts. A prompt that carries it earlier, such as few-shot examples
    formatted like the real prompt, shows the model a boundary where there
    is none, and it learns to answer in the middle of a prompt.

    ## Example
    ```jsonl
    {"prompt": "Tea ->", "completion": " drink"}
    {"prompt": "Bread ->", "completion": " food"}
    {"prompt": "Soup ->", "completion": " food"}
    {"prompt": "Coffee -> drink. Juice ->", "completion": " drink"}
    ```

    Use instead:
    ```jsonl
    {"prompt": "Tea ->", "completion": " drink"}
    {"prompt": "Bread ->", "completion": " food"}
    {"prompt": "Soup ->", "completion": " food"}
    {"prompt": "Coffee is a drink. Juice ->", "completion": " drink"}
    ```
    """

    code = "P003"
    name = "separator-in-prompt"
    summary = "The separator that ends prompts also occurs inside a prompt."
    severity = Severity.WARNING
    Options = SeparatorInPromptOptions

    def start(self) -> SeparatorUse:
        return SeparatorUse()

    def add(self, state: SeparatorUse, record: RecordContext) -> None:
        prompt = field_turn(record, "/prompt")
        if prompt is None or not prompt.text:
            return
        text = prompt.text
        state.prompts.add(text, record, "/prompt")
        for candidate in suffixes(ending_tokens(text)):
            if candidate.strip() and candidate in text[: -len(candidate)]:
                sample_in(state.inside, candidate).add(record, "/prompt")

    def merge(self, earlier: SeparatorUse, later: SeparatorUse) -> SeparatorUse:
        return SeparatorUse(
            earlier.prompts.merge(later.prompts), merge_samples(earlier.inside, later.inside)
        )

    def finish(self, files: Sequence[FileState[SeparatorUse]]) -> Iterator[Finding]:
        for file_state in files:
            state = file_state.state
            common = state.prompts.common(self.options.majority_share)
            if common is None or not common[0].strip() or common[0] not in state.inside:
                continue
            separator = quote(common[0])
            yield from located(
                self,
                [state.inside[common[0]]],
                file_state.file.display,
                f"prompt contains the separator {separator} before its end, so the model "
                "cannot tell where the prompt ends",
                f"{{count}} more prompts contain the separator {separator} before their end",
            )
