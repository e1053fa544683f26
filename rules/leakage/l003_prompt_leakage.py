"""L003 prompt-leakage."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from ftlint.api import FileState, Finding, FixSafety, RecordContext, RelatedLocation, Severity
from ftlint.api.text import NO_TEXT, HashedRecords, hash_hex, lookup

from .._compare import HashingRule, remove_from_eval, split_of, train_and_eval_tables

_PROMPT, _CONTENT = 0, 1


_REMOVE = remove_from_eval(safe=False)


class PromptLeakage(HashingRule):
    """## What it does
    Checks that the prompt of a validation or test record (every turn before
    its response, system prompt included; an Alpaca record's instruction and
    input) does not occur in the train split with any response. Prompts are
    compared normalised, as in D001. Each such record is reported where it
    is evaluated, with the first train record of that prompt as related
    location. Records with no response (plain `text`) are not checked, and
    a record that leaks whole is L001's.

    ## Why is this bad?
    The model has seen the question, with some answer, during training:
    evaluation on it measures recall of the training answer, not the skill.
    A test set of prompts the model was trained on overstates how it does on
    new ones, even when the reference answers differ.

    ## Example
    `train.jsonl`:
    `{"instruction": "Name a prime number.", "input": "", "output": "7"}`
    and in `valid.jsonl`:
    `{"instruction": "Name a prime number.", "input": "", "output": "13"}`

    Use instead:
    Split by prompt: every record of a prompt goes to the same split.

    ## Fix safety
    With `--unsafe-fixes`, the record is removed from the
    validation or test split (train is never shrunk); its answer differs
    from train's, so it may still be worth keeping elsewhere.
    """

    code = "L003"
    name = "prompt-leakage"
    summary = "A validation or test prompt also occurs in train, with any response."
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    width = 2

    def add(self, state: HashedRecords, record: RecordContext) -> None:
        normalised = record.normalised
        if normalised.prompt_hash != NO_TEXT and normalised.response_hash != NO_TEXT:
            state.append(record, normalised.prompt_hash, normalised.content_hash)

    def finish(self, files: Sequence[FileState[HashedRecords]]) -> Iterator[Finding]:
        tables = train_and_eval_tables(files, self.width)
        if tables is None:
            return
        seen, tested = tables
        prompt = lookup(seen.hashes[:, _PROMPT], tested.hashes[:, _PROMPT])
        whole = lookup(seen.hashes[:, _CONTENT], tested.hashes[:, _CONTENT])
        for row in np.flatnonzero((prompt >= 0) & (whole < 0)):
            here, there = tested.location(int(row)), seen.location(int(prompt[row]))
            split = split_of(tested, int(row))
            yield self.finding(
                f"{split} prompt also occurs in train at {there.path}:{there.line} "
                "(with another response)",
                here,
                related=[RelatedLocation(there, "the same prompt in train")],
                fix=_REMOVE,
                content_key=hash_hex(int(tested.hashes[row, _PROMPT])),
            )
