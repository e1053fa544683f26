"""N001 markup-residue."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ftlint.api import Finding, Fix, RecordContext, RecordRule, Severity, Turn

from .._wording import turn_label
from ._common import outside_code, prose, text_turns

#: The button label that scraped ChatGPT conversations keep above code blocks,
#: glued to the language name (``pythonCopy code``) or on a line of its own.
COPY_CODE = re.compile(r"(?<=[a-z0-9+#])Copy code|^[ \t]*Copy code[ \t]*$", re.MULTILINE)
#: ChatGPT's regenerate counter at the start of a message: ``1 / 1Write a poem``.
REGENERATE_COUNTER = re.compile(r"\A\s*(\d{1,2}) / (\d{1,2})(?=[A-Za-z\"'\u201c(\[\n])")
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")
_TAGS = r"p|div|span|li|ul|ol|table|tr|td|th|h[1-6]|strong|em|b|i|u|a|pre|code|blockquote|font"
#: A line break tag, or an element with presentation attributes.
TAG = re.compile(
    rf"<br\s*/?>|<(?:{_TAGS}|img)\s+(?:class|style|href|src|id|align)\s*=\s*[\"']", re.IGNORECASE
)
OPENING = re.compile(rf"<({_TAGS})(?:\s[^<>]*)?>", re.IGNORECASE)
CLOSING = re.compile(rf"</({_TAGS})\s*>", re.IGNORECASE)
#: A record about the web or markup shows tags and entities on purpose.
MARKUP_TOPIC = re.compile(
    r"\b(?:x?html?\d?|xml|css|jsx|tsx|react|vue|angular|svelte|markup|markdown|dom|"
    r"web ?pages?|websites?|browsers?|javascript|js|php|svg|tags?|entit(?:y|ies)|"
    r"escap\w*|scrap\w*|templates?|rss|email)\b",
    re.IGNORECASE,
)


class MarkupResidue(RecordRule):
    """## What it does
    Checks texts for what scraping and copying leave behind: HTML line
    breaks (`<br>`), elements opened and closed (`<p>...</p>`) or with
    presentation attributes (`<div class="...">`), HTML entities (`&amp;`,
    `&#39;`, `&nbsp;`), ChatGPT's "Copy code" button label, and its `1 / 1`
    regenerate counter at the start of a message. Tags and entities inside
    fenced or inline code are not residue, and neither are they in a record
    that is about the web or markup (it mentions HTML, XML, CSS, JavaScript,
    tags, a web page, ...): precision over recall.

    ## Why is this bad?
    The model learns to write the residue: answers that end lines with
    `<br>`, print `&amp;` for `&`, or begin with `1 / 1`. It comes from
    datasets scraped from web pages and shared ChatGPT conversations, and it
    usually affects many records at once.

    ## Example
    ```jsonl
    {"instruction": "1 / 1Say hi.", "input": "", "output": "<p>Hi &amp; welcome!</p>"}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Say hi.", "input": "", "output": "Hi & welcome!"}
    ```

    ## Fix
    Unsafe (`--fix --unsafe-fixes`): when a text's only residue is HTML
    entities, each entity outside code is replaced by its character
    (`&amp;` by `&`, `&nbsp;` by a no-break space). Unsafe because a text
    may mean the entity (a doubly escaped `&amp;lt;` becomes `&lt;`, which
    the next run reports again). Tags, labels and counters are not fixed.


    ## Options
    None.
    """

    code = "N001"
    name = "markup-residue"
    summary = "HTML tags or entities, 'Copy code' labels or regenerate counters left in text."
    severity = Severity.WARNING

    def check(self, record: RecordContext) -> Iterator[Finding]:
        assert record.view is not None  # only shaped records come here
        turns = text_turns(record.view)
        on_topic: bool | None = None
        for turn in turns:
            found = residue(turn.text)
            if any(kind in ("HTML tag", "HTML entity") for kind, _ in found):
                if on_topic is None:
                    on_topic = any(MARKUP_TOPIC.search(t.text) for t in turns)
                if on_topic:
                    found = [(k, e) for k, e in found if k not in ("HTML tag", "HTML entity")]
            if found:
                listed = ", ".join(f"{kind} {example!r}" for kind, example in found)
                only_entities = all(kind == "HTML entity" for kind, _ in found)
                yield self.finding(
                    f"{turn_label(turn)} has markup residue: {listed}",
                    record.location(turn.pointer),
                    fix=_unescaped(turn) if only_entities else None,
                    content_key=record.raw_hash,
                )


def _unescaped(turn: Turn) -> Fix:
    """The fix of a text whose only residue is HTML entities: each entity
    outside code replaced by its character."""
    text = turn.text
    spans = outside_code(text, (m.span() for m in ENTITY.finditer(text)))
    edits = [(start, end, html.unescape(text[start:end])) for start, end in spans]
    return Fix.replace_in_string("unescape the HTML entities", turn.pointer, edits, safe=False)


def residue(text: str) -> list[tuple[str, str]]:
    """The kinds of residue in ``text``, each with its first example."""
    found: list[tuple[str, str]] = []
    counter = REGENERATE_COUNTER.match(text) if " / " in text[:12] else None
    if counter and 1 <= int(counter[1]) <= int(counter[2]):
        found.append(("regenerate counter", counter.group().strip()))
    copy = COPY_CODE.search(text) if "Copy code" in text else None
    if copy:
        found.append(("'Copy code' label", copy.group().strip()))
    if "<" in text or "&" in text:
        found.extend(_html(prose(text)))
    return found


def _html(text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    match = TAG.search(text)
    tag = match.group() if match else _paired_tag(text)
    if tag:
        found.append(("HTML tag", tag))
    entity = ENTITY.search(text)
    if entity:
        found.append(("HTML entity", entity.group()))
    return found


def _paired_tag(text: str) -> str | None:
    """The first element both opened and closed in ``text``, as opened."""
    closed = {m[1].lower() for m in CLOSING.finditer(text)}
    if not closed:
        return None
    return next((m.group() for m in OPENING.finditer(text) if m[1].lower() in closed), None)
