"""S010 preference-prompt-mismatch."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import zip_longest

from ftlint.api import Finding, RecordContext, RecordRule, Severity

from .._wording import count, turn_label
from ._common import report


class PreferencePromptMismatch(RecordRule):
    r"""## What it does
    Checks that the chosen and the rejected conversation of a preference
    record answer the same prompt, when each side carries its own copy of
    it: HH-RLHF transcripts (`"\n\nHuman: ...\n\nAssistant: ..."` in
    `chosen` and `rejected`) and TRL's implicit-prompt format (two whole
    message lists). Every turn before the last assistant turn must be the
    same on both sides, role and text. The finding is at the first turn of
    the rejected side that differs, or at the rejected side when it has
    fewer prompt turns. Records with one prompt for both (`prompt`,
    `conversations`, OpenAI's `input`) cannot disagree and are not checked.

    ## Why is this bad?
    DPO and reward models learn from the difference between two answers to
    one prompt. A pair whose prompts differ compares answers to different
    questions: trainers take the prompt from one side (TRL extracts the
    shared opening, cutting the response at the first differing turn), so
    the model learns to prefer text that answers another question. Such
    pairs come from shuffling or filtering one side without the other.

    ## Example
    ```jsonl
    {"chosen": "\n\nHuman: 2+2?\n\nAssistant: 4", "rejected": "\n\nHuman: 3+3?\n\nAssistant: 5"}
    ```

    Use instead:
    ```jsonl
    {"chosen": "\n\nHuman: 2+2?\n\nAssistant: 4", "rejected": "\n\nHuman: 2+2?\n\nAssistant: 5"}
    ```
    """

    code = "S010"
    name = "preference-prompt-mismatch"
    summary = "The chosen and rejected sides of a preference record have different prompts."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterable[Finding]:
        view = record.view
        assert view is not None  # only shaped records come here
        if view.rejected_prompt is None:
            return ()
        chosen_prompt, rejected_prompt = view.prompt_turns, view.rejected_prompt
        for chosen, rejected in zip_longest(chosen_prompt, rejected_prompt):
            if chosen is None or rejected is None:
                side = (rejected_prompt or view.rejected or chosen_prompt)[0]
                message = (
                    f"prompt differs between the sides: the chosen side's prompt has "
                    f"{count(len(chosen_prompt), 'turn')}, the rejected side's "
                    f"{len(rejected_prompt):,}"
                )
                return report(self, record, [(side.pointer, message)])
            if (chosen.role, chosen.text) != (rejected.role, rejected.text):
                message = (
                    f"prompt differs between the sides: {turn_label(rejected)} is not "
                    f"{turn_label(chosen)}"
                )
                return report(self, record, [(rejected.pointer, message)])
        return ()
