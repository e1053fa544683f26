"""Helpers shared by the prompt-format rules: which texts are pre-formatted,
the separator-like ending of a text and the mergeable table that finds the
ending most records share, and the chat templates with their markers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ftlint.api import Fix, RecordContext, Turn

from .._sample import Sample, merge_samples, sample_in
from .._wording import quote

#: Top-level fields whose text goes to the model as it is (legacy
#: prompt/completion, raw text, TRL's string preference data): templates and
#: separators in them are the user's formatting. Every other text is content
#: that a trainer wraps in a chat template.
PREFORMATTED_FIELDS = frozenset({"/text", "/prompt", "/completion", "/chosen", "/rejected"})


def is_preformatted(turn: Turn) -> bool:
    return turn.pointer in PREFORMATTED_FIELDS and turn.is_string


def has_preformatted_texts(record: RecordContext) -> bool:
    """Whether the record has any of the :data:`PREFORMATTED_FIELDS` at all (a
    chat record has none): a dict lookup, before looking at its turns. The
    rules that read those fields (through :func:`field_turn` or
    :func:`is_preformatted`) leave a record without them at that."""
    value = record.record.value
    return isinstance(value, dict) and not value.keys().isdisjoint(_PREFORMATTED_KEYS)


_PREFORMATTED_KEYS = frozenset(field[1:] for field in PREFORMATTED_FIELDS)


def field_turn(record: RecordContext, pointer: str) -> Turn | None:
    """The record's string turn at a top-level field (``/prompt``, a key
    that needs no escaping in a pointer), if any."""
    value = record.record.value
    # Most records (chat) have no such field: a dict lookup says so.
    if record.view is None or not isinstance(value, dict) or pointer[1:] not in value:
        return None
    return next((t for t in record.view.texts() if t.pointer == pointer and t.is_string), None)


def share(part: int, whole: int) -> str:
    """``9,812 of 9,840``."""
    return f"{part:,} of {whole:,}"


# --- Separator-like endings --------------------------------------------------------------

#: What a separator or stop sequence is made of, one token at a time: a
#: whitespace run, a bracketed or angled marker (``[/INST]``, ``</s>``,
#: ``<|im_start|>assistant``), a short label (``A:``, ``Answer:``), an
#: upper-case word (``END``) or one punctuation character (``#``, ``-``).
_ENDING_TOKEN = (
    r"\s++"
    r"|\[/?[A-Za-z_]{1,20}\]"
    r"|<\|?/?[A-Za-z_][\w.-]{0,30}\|?>(?:[A-Za-z]{1,12}(?![\w]))?"
    r"|(?<![\w])[A-Za-z][\w]{0,15}:"
    r"|(?<![\w])[A-Z]{2,10}(?![\w])"
    r"|[^\w\s]"
)
#: Tokens that are a tokenizer's end-of-sequence or end-of-turn marker
#: (``</s>``, ``<|endoftext|>``, ``<|im_end|>``, ``<|eot_id|>``, ``<eos>``,
#: ``<end_of_turn>``): an ending token that is one of these is a stop sequence
#: by itself.
SPECIAL_TOKEN = re.compile(r"<\|[\w.-]+\|>|</s>|<eos>|<end_of_turn>")
#: Atomic tokens, possessive repetition: linear time, whatever the text.
_ENDING = re.compile(rf"(?:(?>{_ENDING_TOKEN}))++\Z")
_TOKEN = re.compile(_ENDING_TOKEN)
#: Characters that end sentences, quotes and code rather than separate a prompt
#: from its completion; an ending never starts with them.
_CONTENT_END = frozenset(".?!,;:'\"\u2019\u201d)]}\u2026*`_~%")
#: How much of a text's end is looked at, and the longest ending kept.
_WINDOW = 64
_MAX_ENDING = 48


def ending_tokens(text: str) -> tuple[str, ...]:
    """The separator-like tokens a text ends with, without the sentence
    punctuation that closes its content: ``'What is 2+2?\\n\\n###\\n\\n'`` ends
    with ``('\\n\\n', '#', '#', '#', '\\n\\n')``; ``'What is 2+2?'`` with nothing."""
    match = _ENDING.search(text[-_WINDOW:])
    if match is None:
        return ()
    tokens = [m.group() for m in _TOKEN.finditer(match.group())]
    if tokens[-1] in _CONTENT_END:
        return ()  # the text ends with its content: 'Super Bowl LIX?'
    start = 0
    while start < len(tokens) and tokens[start] in _CONTENT_END:
        start += 1
    kept = tokens[start:]
    while kept and sum(map(len, kept)) > _MAX_ENDING:
        kept.pop(0)
    return tuple(kept)


def ending(text: str) -> str:
    return "".join(ending_tokens(text))


def suffixes(tokens: tuple[str, ...]) -> Iterator[str]:
    """Every non-empty ending made of whole trailing tokens, shortest first."""
    for start in range(len(tokens) - 1, -1, -1):
        yield "".join(tokens[start:])


def ends_with(tokens: tuple[str, ...], candidate: str) -> bool:
    return candidate in suffixes(tokens)


#: Distinct endings a table keeps locations for; records past it are only counted.
ENDINGS_CAP = 4096


@dataclass(slots=True)
class EndingTable:
    """The endings of one field of a file's records: per distinct ending, how
    many records end so and where the first of them are. Mergeable: tables of
    consecutive shards merge into the table of one pass (up to
    :data:`ENDINGS_CAP` distinct endings; records with later ones are counted
    in ``uncounted``)."""

    endings: dict[str, Sample] = field(default_factory=dict)
    uncounted: int = 0

    def add(self, text: str, record: RecordContext, pointer: str) -> None:
        key = ending(text)
        if key in self.endings or len(self.endings) < ENDINGS_CAP:
            sample_in(self.endings, key).add(record, pointer)
        else:
            self.uncounted += 1

    def merge(self, later: EndingTable) -> EndingTable:
        """This table then ``later``'s, as a new table (neither is changed)."""
        room = ENDINGS_CAP - len(self.endings)
        kept: dict[str, Sample] = {}
        uncounted = self.uncounted + later.uncounted
        for key, sample in later.endings.items():
            if key in self.endings:
                kept[key] = sample
            elif room > 0:
                kept[key] = sample
                room -= 1
            else:
                uncounted += sample.count
        return EndingTable(merge_samples(self.endings, kept), uncounted)

    @property
    def total(self) -> int:
        return self.uncounted + sum(sample.count for sample in self.endings.values())

    def counts(self) -> dict[str, int]:
        """How many records end with each candidate ending. A candidate never
        starts with sentence punctuation (``.`` of ``USA.``): that is content."""
        counts: dict[str, int] = {}
        for key, sample in self.endings.items():
            for candidate in suffixes(_tokens(key)):
                if candidate[0] not in _CONTENT_END:
                    counts[candidate] = counts.get(candidate, 0) + sample.count
        return counts

    def common(self, majority: float) -> tuple[str, int] | None:
        """The longest ending at least ``majority`` of the records share, with
        its count; None when none does."""
        total = self.total
        best: tuple[str, int] | None = None
        for candidate, number in self.counts().items():
            if (
                total
                and number / total >= majority
                and (best is None or len(candidate) > len(best[0]))
            ):
                best = (candidate, number)
        return best

    def most_shared(self, majority: float) -> tuple[str, int] | None:
        """The ending the most records share, the longest of those shared by
        as many, when at least ``majority`` of the records share it. Where
        :meth:`common` takes the longest ending a majority shares, this never
        prefers a longer ending fewer records share (``' .<|endoftext|>'``
        over the ``<|endoftext|>`` every record ends with)."""
        most = self.most_common()
        if most is None or not self.total or most[1] / self.total < majority:
            return None
        return most

    def lacking_stop(self, stop: str) -> list[Sample]:
        """The samples of the records that do not end with the stop sequence
        ``stop``. A record that ends with the special token ``stop`` ends with
        (``<|endoftext|>``) stops where the others do, whatever precedes it."""
        token = _tokens(stop)[-1]
        special = SPECIAL_TOKEN.fullmatch(token) is not None
        return [
            sample
            for key, sample in self.endings.items()
            if not ends_with(tokens := _tokens(key), stop)
            and not (special and tokens and tokens[-1] == token)
        ]

    def most_common(self) -> tuple[str, int] | None:
        """The ending most records share (longest on ties), if any record has one."""
        counts = self.counts()
        if not counts:
            return None
        candidate = max(counts, key=lambda c: (counts[c], len(c)))
        return candidate, counts[candidate]

    def lacking(self, candidate: str) -> list[Sample]:
        """The samples of the records that do not end with ``candidate``."""
        return [s for key, s in self.endings.items() if not ends_with(_tokens(key), candidate)]


def _tokens(key: str) -> tuple[str, ...]:
    """The tokens of a stored ending (endings are re-tokenised, not stored twice)."""
    return tuple(m.group() for m in _TOKEN.finditer(key))


# --- How prompt/completion data is meant to be trained -------------------------------


@dataclass(slots=True)
class Style:
    """Evidence, per file, of how prompt/completion data is meant to be
    trained. Data for concatenation (OpenAI's legacy fine-tuning, TRL without
    a chat template) shows it by its conventions: prompts that end with a
    common separator, or completions that start with a space. Data with
    neither is meant for a trainer that applies a chat template (MLX-LM,
    TRL's conversational data), which needs no separator, stop sequence or
    leading space, so the rules that ask for one file-wide stay silent."""

    prompts: EndingTable = field(default_factory=EndingTable)
    spaced: int = 0
    completions: int = 0

    def add(self, record: RecordContext) -> None:
        prompt = field_turn(record, "/prompt")
        if prompt is not None and prompt.text:
            self.prompts.add(prompt.text, record, "/prompt")
        completion = field_turn(record, "/completion")
        if completion is not None and completion.text.strip():
            self.completions += 1
            self.spaced += completion.text[0].isspace()

    def merge(self, later: Style) -> Style:
        """This evidence then ``later``'s, as new evidence (neither is changed)."""
        return Style(
            self.prompts.merge(later.prompts),
            self.spaced + later.spaced,
            self.completions + later.completions,
        )

    def separator(self, majority: float) -> str | None:
        """The separator at least ``majority`` of the prompts end with."""
        common = self.prompts.common(majority)
        return common[0] if common else None

    def spaced_completions(self, majority: float) -> bool:
        return bool(self.completions) and self.spaced / self.completions >= majority

    def concatenated(self, majority: float) -> bool:
        return self.separator(majority) is not None or self.spaced_completions(majority)


# --- Suggestions -----------------------------------------------------------------------


@dataclass(slots=True)
class Occurrences:
    """Which of a fixed list of strings occur anywhere in a file's texts, as a
    bit mask: merging is a bitwise or."""

    mask: int = 0

    def add(self, text: str, candidates: tuple[str, ...]) -> None:
        for bit, candidate in enumerate(candidates):
            if not self.mask & (1 << bit) and candidate in text:
                self.mask |= 1 << bit

    def merge(self, later: Occurrences) -> Occurrences:
        return Occurrences(self.mask | later.mask)

    def first_absent(self, candidates: tuple[str, ...]) -> str | None:
        return next((c for bit, c in enumerate(candidates) if not self.mask & (1 << bit)), None)


# --- Chat templates ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    """A chat template: its key, its name in messages, and the markers that
    show a text is formatted with it (``also``: markers that must be there
    too, as Vicuna needs both ``USER:`` and ``ASSISTANT:``)."""

    key: str
    title: str
    markers: re.Pattern[str]
    also: re.Pattern[str] | None = None


def _literal(*markers: str) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(m) for m in markers))


_MISTRAL_ONLY = ("[SYSTEM_PROMPT]", "[AVAILABLE_TOOLS]", "[TOOL_CALLS]", "[TOOL_RESULTS]")

TEMPLATES: tuple[Template, ...] = (
    Template("alpaca", "Alpaca", re.compile(r"^### (?:Instruction|Input|Response):", re.MULTILINE)),
    Template("chatml", "ChatML", _literal("<|im_start|>")),
    Template("llama2", "Llama-2", _literal("[INST]", "<<SYS>>")),
    Template("llama3", "Llama-3", _literal("<|start_header_id|>")),
    Template("mistral", "Mistral", _literal("[INST]", *_MISTRAL_ONLY)),
    Template("gemma", "Gemma", _literal("<start_of_turn>")),
    Template("phi3", "Phi-3", _literal("<|user|>", "<|assistant|>")),
    Template("zephyr", "Zephyr", _literal("<|user|>", "<|assistant|>")),
    Template("vicuna", "Vicuna", re.compile(r"(?<![\w])USER:"), re.compile(r"(?<![\w])ASSISTANT:")),
    Template(
        "human-assistant",
        "Human/Assistant",
        re.compile(r"^(?:### )?Human:", re.MULTILINE),
        re.compile(r"^(?:### )?Assistant:", re.MULTILINE),
    ),
)
TEMPLATE_TITLES = {t.key: t.title for t in TEMPLATES}

#: Markers that tell apart templates that share one: ``[INST]`` with
#: ``<<SYS>>`` is Llama-2, ``<|user|>`` with ``<|end|>`` is Phi-3.
_NARROWING: tuple[tuple[frozenset[str], str, re.Pattern[str]], ...] = (
    (frozenset({"llama2", "mistral"}), "llama2", _literal("<<SYS>>")),
    (frozenset({"llama2", "mistral"}), "mistral", _literal(*_MISTRAL_ONLY)),
    (frozenset({"phi3", "zephyr"}), "phi3", _literal("<|end|>")),
    (frozenset({"phi3", "zephyr"}), "zephyr", _literal("</s>")),
)


def detect_templates(text: str) -> frozenset[str]:
    """The keys of the templates whose markers a text carries. A text whose
    markers fit several templates (``[INST]`` alone: Llama-2 or Mistral) gets
    all of them, so that it counts as compatible with either."""
    keys = {
        t.key
        for t in TEMPLATES
        if t.markers.search(text) and (t.also is None or t.also.search(text))
    }
    for group, key, marker in _NARROWING:
        if group <= keys and marker.search(text):
            keys -= group - {key}
    return frozenset(keys)


#: Special tokens of chat templates and tokenizers, with whose they are. A
#: tokenizer reads them as control tokens even inside content.
SPECIAL_TOKENS: dict[str, str] = {
    "<|im_start|>": "ChatML",
    "<|im_end|>": "ChatML",
    "<|begin_of_text|>": "Llama-3",
    "<|start_header_id|>": "Llama-3",
    "<|end_header_id|>": "Llama-3",
    "<|eot_id|>": "Llama-3",
    "<|eom_id|>": "Llama-3",
    "<|python_tag|>": "Llama-3",
    "[INST]": "Llama-2/Mistral",
    "[/INST]": "Llama-2/Mistral",
    "<<SYS>>": "Llama-2",
    "<</SYS>>": "Llama-2",
    "[SYSTEM_PROMPT]": "Mistral",
    "[/SYSTEM_PROMPT]": "Mistral",
    "[AVAILABLE_TOOLS]": "Mistral",
    "[/AVAILABLE_TOOLS]": "Mistral",
    "[TOOL_CALLS]": "Mistral",
    "[TOOL_RESULTS]": "Mistral",
    "[/TOOL_RESULTS]": "Mistral",
    "<start_of_turn>": "Gemma",
    "<end_of_turn>": "Gemma",
    "<|user|>": "Phi-3/Zephyr",
    "<|assistant|>": "Phi-3/Zephyr",
    "<|system|>": "Phi-3/Zephyr",
    "<|end|>": "Phi-3",
    "<|endoftext|>": "GPT/Qwen end-of-text",
    "</s>": "Llama/Mistral end-of-sequence",
}


def appending(ending: str) -> Callable[[str], Fix]:
    """The unsafe fix of a text that lacks the ``ending`` (a separator, a
    stop sequence) its file's majority has, as :func:`~rules._sample.located`
    takes it: append the ending to the text at the pointer."""

    def fix(pointer: str) -> Fix:
        return Fix.append_to_string(f"append {quote(ending)}", pointer, ending, safe=False)

    return fix
