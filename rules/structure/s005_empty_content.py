"""S005 empty-content."""

from __future__ import annotations

from collections.abc import Iterable

from ftlint.api import Finding, RecordContext, RecordRule, Severity, Turn

from .._wording import turn_label
from ._common import report


class EmptyContent(RecordRule):
    """## What it does
    Checks that every text a record needs is there and has more than
    whitespace: the Alpaca `instruction` and `output`, every user, assistant
    and tool turn, the prompt and completion, both responses of preference
    data. Optional texts may be empty: the Alpaca `input`, a system prompt,
    an assistant turn that carries tool calls, a turn with only image parts,
    an `instruction` whose `input` holds the request.

    ## Why is this bad?
    An empty response teaches the model to stop at once; an empty prompt
    teaches it to answer nothing in particular. Trainers do not skip such
    records: they train on them, or they crash on a missing key after the
    run has started.

    ## Example
    ```jsonl
    {"instruction": "Name a primary colour.", "input": "", "output": "  "}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Name a primary colour.", "input": "", "output": "Red."}
    ```
    """

    code = "S005"
    name = "empty-content"
    summary = "A required text is missing, empty or whitespace only."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterable[Finding]:
        assert record.view is not None  # only shaped records come here
        problems = [
            (turn.pointer, f"{turn_label(turn)} is {problem}")
            for turn in record.view.texts()
            # A turn with text that is not all whitespace is fine: most are.
            if not (turn.text and not turn.text.isspace()) and (problem := _problem(turn))
        ]
        return report(self, record, problems) if problems else ()


def _problem(turn: Turn) -> str | None:
    """What is wrong with a required text, if anything. A text of the wrong
    type is rule S008's business."""
    if not turn.required:
        return None
    if not turn.present:
        return "missing"
    if not turn.is_string:
        return None
    if not turn.text:
        return "empty"
    return "whitespace only" if not turn.text.strip() else None
