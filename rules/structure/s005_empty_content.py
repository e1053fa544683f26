"""S005 empty-content."""

from __future__ import annotations

from collections.abc import Iterable

from ftlint.api import (
    Finding,
    Fix,
    FixSafety,
    RecordContext,
    RecordRule,
    RecordView,
    Role,
    Severity,
    Turn,
)

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

    ## Fix safety
    `--fix` removes a record whose only response is empty or
    whitespace (an Alpaca `output`, the single assistant turn, a
    completion). Other empty texts are left for you to fill in.
    """

    code = "S005"
    name = "empty-content"
    summary = "A required text is missing, empty or whitespace only."
    severity = Severity.ERROR
    fix_safety = FixSafety.SAFE

    def check(self, record: RecordContext) -> Iterable[Finding]:
        assert record.view is not None  # only shaped records come here
        problems = [
            (turn.pointer, f"{turn_label(turn)} is {problem}")
            for turn in record.view.texts()
            # A turn with text that is not all whitespace is fine: most are.
            if not (turn.text and not turn.text.isspace()) and (problem := _problem(turn))
        ]
        return report(self, record, problems, _removal(record.view)) if problems else ()


_REMOVE = Fix.remove_record("remove the record: its only response is empty", safe=True)


def _removal(view: RecordView) -> dict[str, Fix]:
    """The fix of a record whose only response is empty or whitespace: it
    teaches nothing but to stop, so it goes. A record with other responses
    keeps them, and an empty prompt is not fixed: only its author knows it."""
    responses = [turn for turn in view.turns if turn.role is Role.ASSISTANT]
    if len(responses) != 1 or view.rejected:
        return {}
    response = responses[0]
    if not (response.required and response.present and response.is_string):
        return {}
    return {response.pointer: _REMOVE} if not response.text.strip() else {}


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
