"""P006 template-token-in-content."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.api import Finding, RecordContext, RecordRule, Severity

from .._wording import turn_label
from ._common import SPECIAL_TOKENS, is_preformatted

_TOKENS = re.compile("|".join(re.escape(t) for t in sorted(SPECIAL_TOKENS, key=len, reverse=True)))
#: ``<s>...</s>`` is HTML strike-through, not a sequence marker.
_STRIKE = re.compile(r"<s>.*?</s>", re.DOTALL)


class TemplateTokenInContent(RecordRule):
    """## What it does
    Checks message content (chat, ShareGPT, Alpaca fields, anything a
    trainer wraps in a chat template) for the special tokens of chat
    templates and tokenizers written out literally: `<|im_start|>`,
    `<|im_end|>`, `<|eot_id|>`, `<|start_header_id|>`, `[INST]`, `[/INST]`,
    `<<SYS>>`, `<start_of_turn>`, `<|user|>`, `<|end|>`, `<|endoftext|>`,
    `</s>` and others. `</s>` closing an `<s>` (HTML strike-through) is not
    reported. Pre-formatted fields (`text`, string `prompt`/`completion`) are
    written in a template on purpose; P004 checks those.

    ## Why is this bad?
    The trainer wraps content in the model's chat template, and most
    tokenizers read special tokens in content as control tokens: an
    `<|im_end|>` in an answer ends the turn there, `</s>` ends the sequence,
    and the model learns to emit them mid-answer. Such tokens are usually
    left over from data that was formatted for another model.

    ## Example
    ```jsonl
    {"instruction": "Say hello.", "input": "", "output": "Hello!<|im_end|>"}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Say hello.", "input": "", "output": "Hello!"}
    ```
    """

    code = "P006"
    name = "template-token-in-content"
    summary = "Special tokens of a chat template appear literally in message content."
    severity = Severity.WARNING

    def text_trigger(self) -> str:
        # The tokens themselves: a <s>...</s> span removed before matching
        # holds one (</s>), so a token it splits is found too.
        return _TOKENS.pattern

    def check(self, record: RecordContext) -> Iterator[Finding]:
        assert record.view is not None  # only shaped records come here
        for turn in record.view.texts():
            if is_preformatted(turn) or not turn.text:
                continue
            tokens = special_tokens(turn.text)
            if tokens:
                families = sorted({SPECIAL_TOKENS[t] for t in tokens})
                listed = ", ".join(f"'{t}'" for t in tokens)
                yield self.finding(
                    f"{turn_label(turn)} contains template token{'s' if len(tokens) > 1 else ''} "
                    f"{listed} ({', '.join(families)})",
                    record.location(turn.pointer),
                    content_key=record.raw_hash,
                )


def special_tokens(text: str) -> list[str]:
    """The distinct special tokens in ``text``, in order of first appearance."""
    if "<" not in text and "[" not in text:
        return []
    if "<s>" in text:
        text = _STRIKE.sub("", text)
    return list(dict.fromkeys(m.group() for m in _TOKENS.finditer(text)))
