"""N004 ai-boilerplate."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field

from ftlint.api import Finding, RecordContext, RecordRule, RecordView, Role, RuleOptions, Severity

from .._wording import turn_label

#: Disclaimers of chat models about themselves: being an AI, a knowledge
#: cut-off, no opinions or feelings. Matched regardless of case and of the
#: apostrophe's shape (straight or curly); each is specific enough not to occur
#: in ordinary answers.
DISCLAIMERS: tuple[str, ...] = (
    "as an AI language model",
    "as a large language model",
    "as an AI model",
    "as a language model",
    "I am an AI language model",
    "I'm an AI language model",
    "I am a large language model",
    "I'm a large language model",
    "I was trained by OpenAI",
    "I was developed by OpenAI",
    "I was created by OpenAI",
    "a large language model trained by OpenAI",
    "I am ChatGPT",
    "I'm ChatGPT",
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
)
#: Refusals: the answer declines instead of answering.
REFUSALS: tuple[str, ...] = (
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
#: A prompt about the assistant itself or about AI, to which a disclaimer is
#: the answer rather than boilerplate (identity data: "Who are you?").
ABOUT_AI = re.compile(
    r"\b(?:who|what) are you\b|\byour (?:name|identity|creators?)\b|\babout you(?:rself)?\b"
    r"|\byourself\b|\bwho you are\b"
    r"|\bwho (?:made|created|trained|developed|built) you\b"
    r"|\bare you (?:an? )?(?:ai|bot|robot|human)\b"
    r"|\blanguage models?\b|\bai (?:models?|assistants?)\b|\bartificial intelligence\b"
    r"|\bchat ?bots?\b|\b(?:chat)?gpt(?:-?\d)?\b|\bllms?\b",
    re.IGNORECASE,
)


#: Who asks: a disclaimer is on topic when these turns are about AI.
_ASKING = frozenset({Role.USER, Role.SYSTEM})


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the phrases: whole words, any case, either apostrophe;
    None for no phrases. The phrases are folded into a trie, so that the
    pattern tries one branch per character instead of every phrase at every
    position of a response (four times faster on fifty phrases)."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        node = trie
        for char in phrase.strip().lower():
            node = node.setdefault(char, {})
        if node is not trie:
            node[""] = {}  # a phrase ends here
    if not trie:
        return None
    return re.compile(rf"(?<!\w)(?:{_alternatives(trie)})(?!\w)", re.IGNORECASE)


def phrase_trigger(phrases: Iterable[str]) -> str | None:
    """The phrases as RE2 finds them wherever :func:`phrase_pattern` may
    match: in any case, with either apostrophe, without the word boundaries.
    Python's case-insensitive ``i`` also matches the dotted and dotless
    Turkish I, which RE2's does not, so it is spelled out; a character beyond
    ASCII is left to any character (case classes differ there)."""
    alternatives = sorted({"".join(map(_trigger_char, p.strip().lower())) for p in phrases})
    alternatives = [a for a in alternatives if a]
    return f"(?i:{'|'.join(alternatives)})" if alternatives else None


def _trigger_char(char: str) -> str:
    if char in "'\u2019":
        return "['\u2019]"
    if char == "i":
        return "[iI\u0130\u0131]"
    return re.escape(char) if char.isascii() else "."


def _alternatives(node: dict[str, Any]) -> str:
    """The pattern of a trie node: its branches, optional when a phrase ends here."""
    branches = [_char(char) + _alternatives(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _char(char: str) -> str:
    return "['\u2019]" if char in "'\u2019" else re.escape(char)


class AiBoilerplateOptions(RuleOptions):
    disclaimers: tuple[str, ...] = Field(
        default=DISCLAIMERS,
        description="Phrases of a model talking about itself; setting it replaces the list.",
    )
    refusals: tuple[str, ...] = Field(
        default=REFUSALS, description="Phrases of a refusal; setting it replaces the list."
    )
    extra_phrases: tuple[str, ...] = Field(
        default=(),
        description=(
            "Phrases reported in any response, such as a refusal your own teacher model writes."
        ),
    )


class AiBoilerplate(RecordRule):
    """## What it does
    Checks responses (assistant turns, Alpaca `output`, completions; not the
    rejected side of preference data nor undesirable KTO examples, where
    refusals are the point) for the disclaimers and refusals of chat models
    whose outputs were used as training data: "As an AI language model",
    "my knowledge cutoff", "I don't have personal opinions" (`disclaimers`),
    "I cannot fulfill", "I'm sorry, but I cannot" (`refusals`), and any
    `extra-phrases`. Matching ignores case and the shape of apostrophes.

    Two kinds of answer are meant to say such things and are not reported: a
    disclaimer answering a prompt about the assistant or about AI ("Who are
    you?", "Explain what a language model is"; identity data), and a refusal
    in a record that declares tools (declining what no tool can do). Extra
    phrases are reported everywhere.

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
    """

    code = "N004"
    name = "ai-boilerplate"
    summary = "AI disclaimers and refusals ('As an AI language model') in responses."
    severity = Severity.INFO
    Options = AiBoilerplateOptions

    def __init__(self, options: RuleOptions | None = None) -> None:
        super().__init__(options)
        kinds = (
            ("extra", self.options.extra_phrases),
            ("refusal", self.options.refusals),
            ("disclaimer", self.options.disclaimers),
        )
        self._patterns = [
            (kind, pattern) for kind, phrases in kinds if (pattern := phrase_pattern(phrases))
        ]
        #: Every phrase folded as :func:`_fold` folds text: a fast test that
        #: spares most responses the pattern search.
        self._needles = tuple({_fold(p.strip()) for _, ps in kinds for p in ps if p.strip()})
        self._trigger = phrase_trigger(p for _, ps in kinds for p in ps)

    def text_trigger(self) -> str | None:
        return self._trigger

    def check(self, record: RecordContext) -> Iterator[Finding]:
        assert record.view is not None  # only shaped records come here
        view = record.view
        if view.label is False:
            return
        for turn in view.turns:
            if turn.role is not Role.ASSISTANT or not turn.text:
                continue
            match = self._boilerplate(turn.text, view)
            if match:
                yield self.finding(
                    f"{turn_label(turn)} has AI boilerplate: '{match.group()}'",
                    record.location(turn.pointer),
                    content_key=record.raw_hash,
                )

    def _boilerplate(self, text: str, view: RecordView) -> re.Match[str] | None:
        """The first phrase in ``text`` of a kind that the record does not
        excuse: refusals in tool data, disclaimers answering a prompt about AI."""
        folded = _fold(text)
        if not any(needle in folded for needle in self._needles):
            return None
        for kind, pattern in self._patterns:
            match = pattern.search(text)
            if match is None:
                continue
            if kind == "refusal" and view.has_tools:
                continue
            if kind == "disclaimer" and _about_ai(view):
                continue
            return match
        return None


def _fold(text: str) -> str:
    return text.lower().replace("\u2019", "'")


def _about_ai(view: RecordView) -> bool:
    return any(ABOUT_AI.search(t.text) for t in view.turns if t.role in _ASKING)
