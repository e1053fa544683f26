"""N003 whitespace-noise."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from ftlint.api import (
    Finding,
    Fix,
    FixSafety,
    RecordContext,
    RecordRule,
    RuleOptions,
    Severity,
    Turn,
)
from ftlint.api.text import WHITESPACE

from .._wording import quote, turn_label
from ..prompt_format._common import is_preformatted
from ._common import prose, text_turns

_LEADING = re.compile(r"\A\s+")
_TRAILING = re.compile(r"\s+\Z")


class WhitespaceNoiseOptions(RuleOptions):
    max_blank_lines: int = Field(
        default=2, ge=1, description="The most blank lines in a row that are not reported."
    )


class WhitespaceNoise(RecordRule):
    """## What it does
    Checks texts for whitespace that is noise:

    - message content (chat, ShareGPT, Alpaca fields) that starts or ends
      with whitespace (`" Hello"`, `"Sure!\\n"`);
    - more than `max-blank-lines` blank lines in a row outside code (two
      blank lines between Python functions are style, not noise).

    Pre-formatted fields (`text`, string `prompt`/`completion`) are not
    checked for leading or trailing whitespace: there it is a separator or
    the leading space of a completion (P001, P005).

    ## Why is this bad?
    Chat templates put content between markers as it is, so whitespace at
    its edges becomes tokens the model learns: a trailing newline before
    every end of turn, a leading space that turns `Hello` into the rarer
    token ` Hello` at the start of an answer. Runs of blank lines are left
    over from scraping and teach the model to pad its answers.

    ## Example
    ```jsonl
    {"instruction": " What is 2+2?", "input": "", "output": "4\\n\\n\\n\\n\\nAnything else?\\n"}
    ```

    Use instead:
    ```jsonl
    {"instruction": "What is 2+2?", "input": "", "output": "4\\n\\nAnything else?"}
    ```

    ## Fix safety
    `--fix` strips leading and trailing whitespace of message
    content (never of pre-formatted `text`, `prompt` or `completion`).
    Runs of blank lines are not fixed: in a text that also has them, the
    finding is left whole for a person.
    """

    code = "N003"
    name = "whitespace-noise"
    summary = "Leading or trailing whitespace in message content, or runs of blank lines."
    severity = Severity.INFO
    fix_safety = FixSafety.SAFE
    Options = WhitespaceNoiseOptions

    def __init__(self, options: RuleOptions | None = None) -> None:
        super().__init__(options)
        blank = self.options.max_blank_lines + 1
        self._blank_run = re.compile(rf"\n(?:[ \t]*\n){{{blank},}}")
        #: A run of ``blank`` blank lines takes ``blank + 1`` line breaks.
        self._newlines = blank

    def text_trigger(self) -> str:
        # Whitespace at either edge, or a run of blank lines (found in the
        # whole text: code, which the rule leaves out, only adds matches).
        return rf"\A{WHITESPACE}|{WHITESPACE}\z|{self._blank_run.pattern}"

    def check(self, record: RecordContext) -> Iterator[Finding]:
        assert record.view is not None  # only shaped records come here
        for turn in text_turns(record.view):
            problems = list(self._problems(turn))
            if problems:
                yield self.finding(
                    f"{turn_label(turn)} {' and '.join(problems)}",
                    record.location(turn.pointer),
                    fix=_stripped(turn) if all(_AT_EDGE.match(p) for p in problems) else None,
                    content_key=record.raw_hash,
                )

    def _problems(self, turn: Turn) -> Iterator[str]:
        text = turn.text
        if not text.strip():
            return  # empty content is S005's
        if not is_preformatted(turn):
            leading = _LEADING.match(text) if text[0].isspace() else None
            trailing = _TRAILING.search(text) if text[-1].isspace() else None
            if leading:
                yield f"starts with whitespace ({_shown(leading.group())})"
            if trailing:
                yield f"ends with whitespace ({_shown(trailing.group())})"
        run = self._blank_run.search(prose(text)) if text.count("\n") > self._newlines else None
        if run:
            yield f"has {run.group().count(chr(10)) - 1} blank lines in a row"


#: The problems that stripping the text fixes.
_AT_EDGE = re.compile(r"(?:starts|ends) with whitespace")


def _stripped(turn: Turn) -> Fix:
    """The fix of message content with whitespace at its edges: stripped."""
    text = turn.text
    lead, kept = len(text) - len(text.lstrip()), len(text.rstrip())
    spans = [span for span in ((0, lead, ""), (kept, len(text), "")) if span[0] < span[1]]
    return Fix.replace_in_string("strip the whitespace", turn.pointer, spans, safe=True)


def _shown(whitespace: str) -> str:
    return quote(whitespace) if len(whitespace) <= 12 else f"{len(whitespace):,} characters"
