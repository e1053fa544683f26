"""N004 ai-boilerplate."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ftlint import Finding, RecordContext, RecordRule, Role, RuleOptions, Severity

from ..structure._common import turn_label

#: Phrases of AI disclaimers and refusals, matched in responses regardless of
#: case and of the apostrophe's shape (straight or curly). Each is specific enough not to
#: occur in ordinary answers.
AI_BOILERPLATE: tuple[str, ...] = (
    # disclaimers about being an AI
    "as an AI language model",
    "as a large language model",
    "as an AI model",
    "as a language model",
    "I am an AI language model",
    "I'm an AI language model",
    "I am a large language model",
    "I'm a large language model",
    "trained by OpenAI",
    "developed by OpenAI",
    "created by OpenAI",
    # knowledge cut-off and browsing
    "my knowledge cutoff",
    "my knowledge cut-off",
    "my last knowledge update",
    "as of my last update",
    "my training data only goes",
    "I don't have the ability to browse",
    "I do not have the ability to browse",
    "I don't have access to the internet",
    "I do not have access to the internet",
    "I don't have real-time",
    "I do not have real-time",
    "I cannot browse the internet",
    "I can't browse the internet",
    # opinions and feelings
    "I don't have personal opinions",
    "I do not have personal opinions",
    "I don't have personal beliefs",
    "I do not have personal beliefs",
    "I don't have personal feelings",
    "I do not have personal feelings",
    "I don't have feelings",
    "I do not have feelings",
    "I don't have emotions",
    "I do not have emotions",
    # refusals
    "I cannot fulfill",
    "I can't fulfill",
    "I cannot comply",
    "I can't comply",
    "I'm sorry, but I cannot",
    "I'm sorry, but I can't",
    "I am sorry, but I cannot",
    "I apologize, but I cannot",
    "I apologize, but I can't",
    "I'm unable to fulfill",
    "I am unable to fulfill",
    "I cannot assist with that",
    "I can't assist with that",
    "against my programming",
    "OpenAI's content policy",
    "OpenAI's use case policy",
    "it is not appropriate for me to",
)


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the phrases: whole words, any case, either apostrophe;
    None for no phrases."""
    alternatives = sorted(
        (re.escape(p.strip()).replace("'", "['\u2019]") for p in phrases if p.strip()),
        key=len,
        reverse=True,
    )
    if not alternatives:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)", re.IGNORECASE)


class AiBoilerplateOptions(RuleOptions):
    phrases: tuple[str, ...] = AI_BOILERPLATE
    extra_phrases: tuple[str, ...] = ()


class AiBoilerplate(RecordRule):
    """## What it does
    Checks responses (assistant turns, Alpaca `output`, completions; not the
    rejected side of preference data nor undesirable KTO examples, where
    refusals are the point) for the disclaimers and refusals of chat models
    whose outputs were used as training data: "As an AI language model",
    "I cannot fulfill", "my knowledge cutoff", "trained by OpenAI" and the
    rest of the phrases in `phrases`. Matching ignores case and the shape of
    apostrophes.

    ## Why is this bad?
    Distilled or scraped data carries the teacher model's habits: the
    student learns to refuse harmless requests, to disclaim being an AI in
    the middle of a task, and to claim to be ChatGPT. A few such answers are
    enough to make it do so, so they are usually filtered out.

    ## Example
    ```jsonl
    {"instruction": "Write a haiku.", "input": "", "output": "As an AI language model, I ..."}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Write a haiku.", "input": "", "output": "Soft rain on the roof / ..."}
    ```

    ## Options
    - `phrases` (default: the built-in list): the phrases to look for;
      setting it replaces the list.
    - `extra-phrases` (default: none): phrases looked for besides `phrases`,
      such as a refusal your own teacher model writes.
    """

    code = "N004"
    name = "ai-boilerplate"
    summary = "AI disclaimers and refusals ('As an AI language model') in responses."
    severity = Severity.INFO
    Options = AiBoilerplateOptions

    def __init__(self, options: RuleOptions | None = None) -> None:
        super().__init__(options)
        self._pattern = phrase_pattern((*self.options.phrases, *self.options.extra_phrases))

    def check(self, record: RecordContext) -> Iterator[Finding]:
        assert record.view is not None  # only shaped records come here
        if self._pattern is None or record.view.label is False:
            return
        for turn in record.view.turns:
            if turn.role is not Role.ASSISTANT or not turn.text:
                continue
            match = self._pattern.search(turn.text)
            if match:
                yield self.finding(
                    f"{turn_label(turn)} has AI boilerplate: '{match.group()}'",
                    record.location(turn.pointer),
                    content_key=record.raw_hash,
                )
