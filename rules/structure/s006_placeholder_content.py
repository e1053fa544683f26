"""S006 placeholder-content."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pydantic import Field

from ftlint.api import (
    Finding,
    Fix,
    FixSafety,
    RecordContext,
    RecordRule,
    RecordView,
    Role,
    RuleOptions,
    Severity,
    Turn,
)
from ftlint.api.text import WHITESPACE

from .._wording import quote, turn_label
from ._common import Problem, report

#: Whole-field placeholders, bare or in brackets (``TODO``, ``<noinput>``).
PLACEHOLDERS = frozenset(
    {"n/a", "n.a", "noinput", "nooutput", "todo", "tbd", "fixme", "placeholder"}
)
#: Whole-field placeholders only in brackets: bare, ``No output`` can be an answer.
BRACKETED_PLACEHOLDERS = frozenset(
    {"no input", "no output", "none", "empty", "blank", "input", "output", "insert text here"}
)
#: What an optional field (Alpaca ``input``, a system prompt) says when it
#: means "nothing", compared with case, spaces, punctuation and brackets
#: removed (``No input.``, ``<no input>``, ``N/A``, ``(none)``, ``-``): there
#: the field should be empty. Not in answers, where ``None.`` answers "How
#: many ...?" and ``Na`` is sodium.
OPTIONAL_FIELD_PLACEHOLDERS = frozenset(
    {
        "na",
        "none",
        "nil",
        "null",
        "nothing",
        "empty",
        "blank",
        "input",
        "noinput",
        "noinputs",
        "noinputrequired",
        "notapplicable",
        "nocontext",
    }
)
#: Each keyboard row's consonants (``y``, as often a vowel, left out): a run
#: of four or more of one row's (``sdfg``, ``zxcv``) is in no English word.
_KEYBOARD_ROWS = ("qwrtp", "sdfghjkl", "zxcvbnm")
_CONSONANT_RUN = re.compile("|".join(f"[{row}]{{4,}}" for row in _KEYBOARD_ROWS))
#: A chunk of three or four letters typed again and again (``asdasd``).
_REPEATED_CHUNK = re.compile(r"([a-z]{3,4})\1+")
_LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
#: Words typed beside a keyboard mash: ``test aasdsd``, ``asdf``.
_MASH_FILLER = frozenset({"test", "testing", "asdf", "qwer", "hjkl"})
_WORD = re.compile(r"[A-Za-z]+")
_DASHES = re.compile(r"[-\u2013\u2014_.\u2026]+")
#: The longest text looked at for keyboard mash: a mash is a few words (and
#: within the length :meth:`PlaceholderContent._surely_content` lets through).
_MASH_LIMIT = 30
#: Filler text; only its opening, as an answer may explain what Lorem ipsum is.
LOREM_IPSUM = "lorem ipsum dolor"
#: How much longer than the longest phrase a field may be (spaces, brackets).
SLACK = 20
#: Characters of a placeholder quoted in a message.
_QUOTED = 40
_BRACKETS = re.compile(
    r"^(?:<\s*(?P<angle>[^<>]*?)\s*>|\[\s*(?P<square>[^\[\]]*?)\s*\]|\(\s*(?P<round>[^()]*?)\s*\))$"
)

#: ``{{ name }}``: Jinja, Mustache and LLaMA-Factory's identity set.
DOUBLE_SLOT = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}")
#: ``{name}``: str.format slots of two characters or more, not LaTeX groups
#: (``\\frac{ab}``, ``x_{ij}``, ``${var}``).
SINGLE_SLOT = re.compile(r"(?<![{$\\\w^])\{[A-Za-z_]\w+\}(?!\})")
_FENCED_CODE = re.compile(r"```.*?(?:```|\Z)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
#: ``{x_n}``, ``{a_ij}``: a sequence or set in maths, not a slot.
_SUBSCRIPT = re.compile(r"\{[A-Za-z]_[A-Za-z0-9]{1,3}\}")
#: Signs that a text holds code, markup or maths, where braces are syntax, or
#: talks about templates, where a slot is the subject and not an omission.
_CODE_SIGNS = re.compile(
    r"""
    \\[A-Za-z]+ | \$ | [=;<>|^] | \{% | ::
    | [\u2190-\u21ff\u2200-\u22ff\u00b1\u00d7\u00f7]  # arrows, maths operators
    | \b(?:def|return|function|import|class|const|let|var|lambda|print|printf|echo|SELECT)\b
    | \bf["'] | \.format\b
    | \b(?:templates?|placeholders?|format\w*|curly|braces?|variables?|interpolat\w*|substitut\w*)\b
    | \{\s*$ | ^\s*\}
    """,
    re.VERBOSE | re.MULTILINE,
)


class PlaceholderContentOptions(RuleOptions):
    extra_phrases: tuple[str, ...] = Field(
        default=(),
        description=(
            "More whole-field placeholders, compared without case, surrounding whitespace or "
            "a final full stop."
        ),
    )


class PlaceholderContent(RecordRule):
    """## What it does
    Checks for text that is a placeholder rather than content: a whole field
    that is `N/A`, `TODO`, `TBD`, `FIXME`, `noinput`, `<noinput>`,
    `<No Output>`, `(none)` or `[placeholder]`; an optional field (Alpaca's
    `input`, a system prompt) that says it has nothing, in any of the ways
    real data does (`No input.`, `<no input>`, `Noinput`, `NA`, `N/A.`,
    `None.`, `-`: compared without case, punctuation or brackets, and a dash
    or dots alone; in an
    answer, `None.` and `Na` may be what was asked for); keyboard mash
    (`sdfsdf`, `asdasd`, `test aasdsd`: a run of four consonants of one
    keyboard row, or a chunk of one row typed again and again); a response
    that starts with *Lorem ipsum dolor* when the prompt did not ask for
    filler text; and template slots left unfilled: `{{name}}`, or `{name}` in prose. Braces in code,
    markup or maths (fenced or inline code, `\\frac{a}{b}`, f-strings,
    `x = {key}`, `{x_n}`) are not slots, and a text about templates ("fill
    in the template: Dear {name}") shows its slots on purpose, so a text with
    signs of either, or whose prompt has them, is not checked for slots at
    all: precision over recall.

    ## Why is this bad?
    The model learns to produce the placeholder: Alpaca-style data with
    `<noinput>` inputs or `N/A` outputs teaches it to answer `N/A`, and an
    unfilled `{{name}}` ends up in its answers verbatim. Placeholders are
    left over from templates (LLaMA-Factory's identity set) or from data
    collection tools.

    ## Example
    ```jsonl
    {"instruction": "Who are you?", "input": "<noinput>", "output": "I am {{name}}."}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Who are you?", "input": "", "output": "I am Ada."}
    ```

    ## Fix safety
    With `--unsafe-fixes`, an optional text that is a placeholder
    phrase (an Alpaca `input` of `<noinput>`, a system prompt of `N/A`) is
    emptied, which trainers read as "no input". Required texts and unfilled
    slots are not fixed: the missing content is not known.
    """

    code = "S006"
    name = "placeholder-content"
    summary = "A text is a placeholder (N/A, <noinput>, TODO) or an unfilled template slot."
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE
    Options = PlaceholderContentOptions

    def __init__(self, options: RuleOptions | None = None) -> None:
        super().__init__(options)
        self.phrases = PLACEHOLDERS | {_normalise(p) for p in self.options.extra_phrases}
        self.longest = max(map(len, self.phrases)) + SLACK

    def text_trigger(self) -> str:
        # What _surely_content lets through: a short text, a brace, or a text
        # that may open with filler (whatever its role: triggers see no roles).
        return rf"(?s:\A.{{0,{self.longest}}}\z)|\{{|\A[lL]|\A{WHITESPACE}"

    def check(self, record: RecordContext) -> Iterable[Finding]:
        assert record.view is not None  # only shaped records come here
        prompt: _Prompt | None = None
        problems: list[Problem] = []
        fixes: dict[str, Fix] = {}
        for turn in record.view.texts():
            text = turn.text
            if not (turn.is_string and text) or self._surely_content(turn):
                continue
            prompt = prompt or _Prompt(record.view)
            if problem := self._problem(turn, prompt):
                problems.append((turn.pointer, f"{turn_label(turn)} {problem}"))
                if not turn.required and (self._is_placeholder(text) or _says_nothing(text)):
                    fixes[turn.pointer] = _emptied(turn)
        return report(self, record, problems, fixes) if problems else ()

    def _surely_content(self, turn: Turn) -> bool:
        """A cheap test that clears most texts: too long for a placeholder
        phrase, no brace for a slot, and not a response that may open with
        filler."""
        text = turn.text
        return (
            len(text) > self.longest
            and "{" not in text
            and (turn.role is not Role.ASSISTANT or not _may_open_with_lorem(text))
        )

    def _problem(self, turn: Turn, prompt: _Prompt) -> str | None:
        text = turn.text
        if (
            self._is_placeholder(text)
            or (not turn.required and _says_nothing(text))
            or (turn.role is Role.ASSISTANT and _is_lorem(text, prompt))
        ):
            return f"is a placeholder: {quote(text.strip(), _QUOTED)}"
        if is_keyboard_mash(text):
            return f"is keyboard mash: {quote(text.strip(), _QUOTED)}"
        found = unfilled_slots(text) if "{" in text and not prompt.about_code else []
        if not found:
            return None
        more = f" and {len(found) - 1} more" if len(found) > 1 else ""
        return f"has an unfilled template slot '{found[0]}'{more}"

    def _is_placeholder(self, text: str) -> bool:
        """A whole field that is a placeholder phrase, bare or in brackets."""
        if len(text) > self.longest:  # placeholders are short
            return False
        normal = _normalise(text)
        if normal in self.phrases:
            return True
        bracketed = _BRACKETS.match(normal)
        if bracketed is None:
            return False
        inner = bracketed.group("angle") or bracketed.group("square") or bracketed.group("round")
        inner = inner or ""
        return inner in self.phrases or inner in BRACKETED_PLACEHOLDERS


class _Prompt:
    """What the rule needs to know of a record's prompt side, worked out on
    first use only: most records never ask."""

    def __init__(self, view: RecordView) -> None:
        self.view = view

    @functools.cached_property
    def text(self) -> str:
        return self.view.prompt

    @functools.cached_property
    def asks_for_lorem(self) -> bool:
        return "lorem" in self.text.lower()

    @functools.cached_property
    def about_code(self) -> bool:
        """A conversation about code or templates has braces on purpose."""
        return "`" in self.text or bool(_CODE_SIGNS.search(self.text))


def _emptied(turn: Turn) -> Fix:
    """The fix of an optional text (an Alpaca `input`, a system prompt) that
    is a placeholder: empty, which every trainer reads as "none"."""
    span = [(0, len(turn.text), "")]
    return Fix.replace_in_string("empty the placeholder", turn.pointer, span, safe=False)


def _says_nothing(text: str) -> bool:
    """Whether an optional field's text is a way of saying it has none: a
    word for nothing, or a dash or dots alone (not any punctuation: ``/`` is
    the root folder)."""
    stripped = text.strip()
    if not stripped:
        return False
    if _DASHES.fullmatch(stripped):
        return True
    bare = _bare(stripped)
    # "Na" alone is sodium; "NA", "N/A", "n.a." say "not applicable".
    return bare in OPTIONAL_FIELD_PLACEHOLDERS and not (bare == "na" and stripped == "Na")


def _bare(text: str) -> str:
    """``text`` in lower case with everything but letters and digits removed."""
    return "".join(c for c in text.lower() if c.isalnum())


def is_keyboard_mash(text: str) -> bool:
    """Whether a short text is letters hit at random (``sdfsdf``, ``asdasd``,
    ``test aasdsd``): every word mashed or a filler word, one at least mashed."""
    if len(text) > _MASH_LIMIT:
        return False
    words = [word.lower() for word in _WORD.findall(text)]
    mashed = [word for word in words if _is_mashed(word)]
    return bool(mashed) and all(w in _MASH_FILLER or w in mashed for w in words)


def _is_mashed(word: str) -> bool:
    if len(word) < 4:
        return False
    if _CONSONANT_RUN.search(word):
        return True
    repeated = _REPEATED_CHUNK.fullmatch(word)
    return repeated is not None and any(set(word) <= set(row) for row in _LETTER_ROWS)


def _normalise(text: str) -> str:
    return " ".join(text.split()).lower().rstrip(".")


def _may_open_with_lorem(text: str) -> bool:
    first = text[0]
    return first in "lL" or first.isspace()


def _is_lorem(text: str, prompt: _Prompt) -> bool:
    """A response of filler text, unless the prompt asked for it. (In a prompt,
    filler is content to work on: count its words.)"""
    start = text.lstrip()[: len(LOREM_IPSUM) * 2]
    return _normalise(start).startswith(LOREM_IPSUM) and not prompt.asks_for_lorem


def unfilled_slots(text: str) -> list[str]:
    """The ``{{name}}`` and ``{name}`` slots of a prose text, in order; none
    when the text shows signs of code, markup or maths once its code spans
    are removed."""
    if "{" not in text:
        return []
    prose = _INLINE_CODE.sub(" ", _FENCED_CODE.sub(" ", text))
    if _CODE_SIGNS.search(prose):
        return []
    slots = [(m.start(), m.group()) for m in DOUBLE_SLOT.finditer(prose)]
    slots += [
        (m.start(), m.group())
        for m in SINGLE_SLOT.finditer(prose)
        if not _SUBSCRIPT.fullmatch(m.group())
    ]
    return [slot for _, slot in sorted(slots)]
