"""S002 unknown-shape."""

from __future__ import annotations

from collections.abc import Iterator

from ftlint import Finding, RecordContext, RecordRule, Severity

from ._common import json_type, quoted

#: The keys that make each built-in shape, as the message lists them.
KNOWN_SHAPES = (
    "'messages' (chat)",
    "'conversations' (ShareGPT)",
    "'instruction'/'input'/'output' (Alpaca)",
    "'prompt'/'completion'",
    "'text'",
    "'chosen'/'rejected' (preference)",
    "'messages' + 'label' (KTO)",
)


class UnknownShape(RecordRule):
    """## What it does
    Checks that every record is in a format ftlint recognises: chat
    `messages`, ShareGPT `conversations`, Alpaca `instruction`/`input`/`output`,
    `prompt`/`completion`, `text`, preference `chosen`/`rejected`, or KTO
    `messages` with a boolean `label`. The message lists the record's keys.

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

    ## Options
    None.
    """

    code = "S002"
    name = "unknown-shape"
    summary = "A record matches no known record shape."
    severity = Severity.ERROR
    accepts_unshaped = True

    def check(self, record: RecordContext) -> Iterator[Finding]:
        if record.view is not None or not record.record.ok:
            return
        yield self.finding(
            f"{_describe(record.record.value)}; expected one of {', '.join(KNOWN_SHAPES)}",
            record.location(),
            content_key=record.raw_hash,
        )


def _describe(value: object) -> str:
    if not isinstance(value, dict):
        return f"record is {json_type(value)} instead of an object"
    if not value:
        return "record is an empty object"
    return f"record with keys {quoted(list(value))} matches no known shape"
