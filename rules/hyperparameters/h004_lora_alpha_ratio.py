"""H004 lora-alpha-ratio."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import ConfigView, Located, finding_at, fmt, training_view


class LoraAlphaRatioOptions(RuleOptions):
    min_ratio: float = Field(default=0.25, gt=0, description="Smallest alpha / r.")
    max_ratio: float = Field(default=4.0, gt=0, description="Largest alpha / r.")


_IS = r"alpha\s*(?:=|==|:|is|should be)\s*"
_RANK = r"(?:the\s+)?(?:lora_)?(?:rank|r)\b"
_NUMBER = r"(\d+(?:\.\d+)?)"
#: Comments that state alpha as a multiple of the rank, and the multiple:
#: ``alpha=2*rank``, ``alpha = rank * 2``, ``alpha is twice the rank``, ``alpha = r``.
_STATED = (
    (re.compile(_IS + _NUMBER + r"\s*[*x\N{MULTIPLICATION SIGN}]\s*" + _RANK, re.IGNORECASE), None),
    (re.compile(_IS + _RANK + r"\s*[*x\N{MULTIPLICATION SIGN}]\s*" + _NUMBER, re.IGNORECASE), None),
    (re.compile(_IS + r"(?:twice|double)\s+" + _RANK, re.IGNORECASE), 2.0),
    (re.compile(_IS + _RANK + r"(?!\s*[*x\N{MULTIPLICATION SIGN}/])", re.IGNORECASE), 1.0),
)


class LoraAlphaRatio(ConfigRule):
    """## What it does
    Checks LoRA's alpha against its rank r: alpha / r under `min-ratio`
    (0.25) or over `max-ratio` (4) is reported, and so is an alpha that
    contradicts the ratio its own comment states (`lora_alpha: 16  # usually
    alpha=2*rank` beside `lora_rank: 64`).

    ## Why is this bad?
    alpha / r scales every LoRA update. Common configs keep it between 0.5
    and 2; a ratio of 1/16 or 32 usually means one of the two was changed
    (the rank raised for capacity) without the other, which silently
    changes the effective learning rate by the same factor. A comment that
    says otherwise is the trace of such an edit.

    ## Example
    ```yaml
    base_model: mistralai/Mistral-7B-v0.1
    adapter: lora
    lora_r: 64
    lora_alpha: 8  # alpha = 2 * rank
    learning_rate: 2e-4
    ```

    Use instead:
    ```yaml
    base_model: mistralai/Mistral-7B-v0.1
    adapter: lora
    lora_r: 64
    lora_alpha: 128  # alpha = 2 * rank
    learning_rate: 2e-4
    ```
    """

    code = "H004"
    name = "lora-alpha-ratio"
    summary = "LoRA alpha / r outside 0.25 to 4, or contradicting its own comment."
    severity = Severity.INFO
    Options = LoraAlphaRatioOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or not view.is_lora or view.lora_scale is not None:
            return
        r, alpha = view.lora_r, view.lora_alpha
        if r is None or alpha is None or r.value <= 0 or alpha.default:
            return
        ratio = alpha.value / r.value
        message = self._ratio_problem(ratio, r, alpha) or self._comment_problem(
            config, view, ratio, r, alpha
        )
        if message is not None:
            yield finding_at(self, config, alpha, message)

    def _ratio_problem(self, ratio: float, r: Located[float], alpha: Located[float]) -> str | None:
        if self.options.min_ratio <= ratio <= self.options.max_ratio:
            return None
        return (
            f"lora_alpha {fmt(alpha.value)} is {fmt(ratio)} x the rank {fmt(r.value)}; "
            f"alpha / r is usually between {fmt(self.options.min_ratio)} and "
            f"{fmt(self.options.max_ratio)}, so one of them was likely changed without the other"
        )

    def _comment_problem(
        self,
        config: ConfigContext,
        view: ConfigView,
        ratio: float,
        r: Located[float],
        alpha: Located[float],
    ) -> str | None:
        for value in (alpha, r):
            comment = _comment(config.document.text, value.line)
            stated = _stated_ratio(comment) if comment else None
            if stated is not None and abs(stated - ratio) > 1e-9:
                return (
                    f"lora_alpha {fmt(alpha.value)} with rank {fmt(r.value)} is "
                    f"{fmt(ratio)} x the rank, but the comment '{comment}' says "
                    f"{fmt(stated)} x ({fmt(stated * r.value)}): one of them was changed "
                    f"without the other"
                )
        return None


def _comment(text: str, line: int) -> str | None:
    """The comment at the end of 1-based ``line``, if any (a ``#`` outside quotes)."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    source = lines[line - 1]
    quote = None
    for index, char in enumerate(source):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or source[index - 1] in " \t"):
            return source[index + 1 :].strip() or None
    return None


def _stated_ratio(comment: str) -> float | None:
    """The alpha / r ratio a comment states, if it states one."""
    for pattern, fixed in _STATED:
        match = pattern.search(comment)
        if match:
            return fixed if fixed is not None else float(match.group(1))
    return None
