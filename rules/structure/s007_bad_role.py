"""S007 bad-role."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, pairwise

from ftlint.api import Finding, RecordContext, RecordRule, RecordView, Role, Severity, Turn

from .._wording import turn_label
from ._common import CONVERSATIONAL_SHAPES, Problem, is_element, report

#: Roles that must not follow themselves; tool turns may (parallel tool calls).
NO_REPEAT = frozenset({Role.USER, Role.ASSISTANT})


class BadRole(RecordRule):
    """## What it does
    Checks the speakers of conversations (chat, ShareGPT, KTO and preference
    records): a role no format knows; two user or two assistant turns in a
    row (consecutive tool turns are fine: parallel tool calls); a system
    turn anywhere but first; an assistant turn right after the system
    prompt, with no user turn to answer; no assistant turn at all; a conversation that
    ends on a user or tool turn, with nothing for the model to learn after
    it; a chosen or rejected response that is not the assistant's.

    ## Why is this bad?
    Chat templates expect roles to alternate and raise on anything else
    (Llama 2, Mistral, Gemma), or render a malformed prompt. LLaMA-Factory
    drops ShareGPT conversations whose roles do not alternate, with only a
    log line; OpenAI's data checks and mistral-finetune's validator reject an
    assistant turn that answers the system prompt. A conversation without an
    assistant turn trains on nothing.

    ## Example
    ```jsonl
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "human", "value": "Hello?"}]}
    ```

    Use instead:
    ```jsonl
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello!"}]}
    ```
    """

    code = "S007"
    name = "bad-role"
    summary = "Unknown role, roles out of order, or no assistant turn to learn."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterable[Finding]:
        view = record.view
        assert view is not None  # only shaped records come here
        if view.shape not in CONVERSATIONAL_SHAPES or _well_formed(view):
            return ()
        return report(
            self,
            record,
            chain(
                _unknown_roles(view.texts()),
                _order(view.turns),
                _ending(view.turns),
                _rejected(view.rejected),
            ),
        )


def _well_formed(view: RecordView) -> bool:
    """A quick pass that clears most conversations: known roles, a system
    prompt first if anywhere, no role twice in a row, ending on the
    assistant; no rejected response to check. Anything else goes through
    the checks below, which say what is wrong."""
    turns = view.turns
    if view.rejected or not turns or turns[-1].role is not Role.ASSISTANT:
        return False
    previous = None
    for turn in turns:
        role = turn.role
        if role is Role.TEXT or (
            previous is not None
            and (
                role is Role.SYSTEM
                or (role is previous and role in NO_REPEAT)
                or (previous is Role.SYSTEM and role is Role.ASSISTANT)
            )
        ):
            return False
        previous = role
    return True


def _unknown_roles(turns: Sequence[Turn]) -> Iterator[Problem]:
    for turn in turns:
        if turn.role is not Role.TEXT:
            continue
        if turn.raw_role:
            yield turn.pointer, f"{turn_label(turn)} has unknown role '{turn.raw_role}'"
        elif not is_element(turn):
            # An object without a role; a message that is no object is S008's.
            yield turn.pointer, f"{turn_label(turn)} has no role"


def _order(turns: Sequence[Turn]) -> Iterator[Problem]:
    for index, (before, turn) in enumerate(pairwise(turns)):
        if turn.role is Role.SYSTEM:
            yield turn.pointer, f"{turn_label(turn)} is a system prompt after the first turn"
        elif index == 0 and before.role is Role.SYSTEM and turn.role is Role.ASSISTANT:
            yield (
                turn.pointer,
                f"{turn_label(turn)} follows the system prompt with no user turn to answer",
            )
        elif turn.role is before.role and turn.role in NO_REPEAT:
            yield (
                turn.pointer,
                f"two {turn.role} turns in a row: {turn_label(turn)} follows {turn_label(before)}",
            )


def _ending(turns: Sequence[Turn]) -> Iterator[Problem]:
    if not any(turn.role is Role.ASSISTANT for turn in turns):
        yield "", "conversation has no assistant turn"
        return
    last = turns[-1]
    if last.role in (Role.USER, Role.TOOL):
        yield last.pointer, f"conversation ends on a {last.role} turn ({turn_label(last)})"


def _rejected(turns: Sequence[Turn]) -> Iterator[Problem]:
    last = turns[-1] if turns else None
    if last is not None and last.role not in (Role.ASSISTANT, Role.TEXT):
        yield last.pointer, f"rejected response is a {last.role} turn ({turn_label(last)})"
