"""N001 markup-residue."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from ftlint.api import Finding, Fix, FixSafety, RecordContext, RecordRule, Severity, Turn

from .._wording import quote, turn_label
from ._common import outside_code, prose, text_turns

#: The button label that scraped ChatGPT conversations keep above code blocks,
#: glued to the language name (``pythonCopy code``) or on a line of its own.
COPY_CODE = re.compile(r"(?<=[a-z0-9+#])Copy code|^[ \t]*Copy code[ \t]*$", re.MULTILINE)
#: ChatGPT's regenerate counter at the start of a message: ``1 / 1Write a poem``.
REGENERATE_COUNTER = re.compile(r"\A\s*(\d{1,2}) / (\d{1,2})(?=[A-Za-z\"'\u201c(\[\n])")
ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d{2,6}|#[xX][0-9a-fA-F]{2,5});")
#: An entity whose ampersand a bad unescape removed, left glued to the words
#: around it: ``Don#39;t``, ``the quot;bestquot; way``, ``Tom amp; Jerry``.
#: ``camp;`` and ``aliquot;`` are words followed by a semicolon: a named
#: entity counts only where no letter precedes it, but ``quot;`` also where
#: a letter follows; a numeric one only where a letter touches it.
#: The named entities whose ampersand is looked for when lost.
_LOSABLE = r"(?:amp|quot|apos|nbsp|lt|gt);"
LOST_AMPERSAND = re.compile(
    rf"(?<![&\w]){_LOSABLE}"
    r"|(?<![&\w])quot;|quot;(?=[A-Za-z])"
    r"|(?<![&#\w])#\d{2,5};(?=[A-Za-z])|(?<=[A-Za-z])#\d{2,5};"
)
#: Escape sequences left as text by serialising twice: a literal backslash-n
#: pair (``\\n\\n``), or a backslash before a quote (``\\"``).
STRAY_NEWLINES = re.compile(r"\\n\\n|\\r\\n")
STRAY_QUOTE = re.compile(r'\\"')
#: The ChatGPT answer wrapper that scraped ShareGPT conversations keep:
#: ``<div class="markdown prose w-full break-words dark:prose-invert light">``.
CHAT_WRAPPER = re.compile(
    r"<div\s+class=\"[^\"]{0,80}\bmarkdown\b[^\"]{0,80}\bprose\b[^\"]{0,200}\">"
)
#: Any tag, with its attributes: removed before looking for the topic, so that
#: ``class="markdown prose"`` does not make a record about markdown.
ANY_TAG = re.compile(r"</?[A-Za-z][^<>]{0,300}>")
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
#: A record about code, strings or serialisation writes escape sequences on purpose.
ESCAPE_TOPIC = re.compile(
    r"\b(?:escap\w*|backslash\w*|newlines?|line ?breaks?|regex\w*|regular expressions?|"
    r"strings?|json|yaml|csv|printf?|echo|python|java|javascript|c\+\+|bash|shell|sql|code|"
    r"programs?|programming|functions?|scripts?|literals?|characters?)\b",
    re.IGNORECASE,
)
#: What every text with residue contains (see :meth:`MarkupResidue.text_trigger`).
TRIGGER = rf"[<&\\]|{_LOSABLE}|#\p{{Nd}}{{2,5}};|Copy code|markdown|(?s:\A.{{0,9}} / )"
#: The kinds a record's topic can excuse (the others are never on purpose).
_TOPICAL = {
    "HTML tag": MARKUP_TOPIC,
    "HTML entity": MARKUP_TOPIC,
    "entity without its '&'": MARKUP_TOPIC,
    "escape sequence as text": ESCAPE_TOPIC,
}


class MarkupResidue(RecordRule):
    """## What it does
    Checks texts for what scraping and copying leave behind: HTML line
    breaks (`<br>`), elements opened and closed (`<p>...</p>`) or with
    presentation attributes (`<div class="...">`), HTML entities (`&amp;`,
    `&#39;`, `&nbsp;`) and entities that lost their ampersand (`Don#39;t`,
    `quot;bestquot;`), escape sequences left as text by serialising twice
    (a literal `\\n\\n`, `\\"`), ChatGPT's answer wrapper (`<div
    class="markdown prose ...">`), its "Copy code" button label, and its
    `1 / 1` regenerate counter at the start of a message. Markup and escapes
    inside fenced or inline code are not residue, and neither are tags and
    entities in a record about the web or markup (it mentions HTML, XML,
    CSS, JavaScript, tags, a web page, ...), nor escape sequences in one
    about code, strings or serialisation: precision over recall. The topic
    is read from the text outside tags and their attributes, so that
    `class="markdown prose"` does not make a record about markdown; the
    ChatGPT wrapper, label and counter are never on purpose.

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

    ## Fix safety
    With `--unsafe-fixes`, when a text's only residue is HTML
    entities, each entity outside code is replaced by its character
    (`&amp;` by `&`, `&nbsp;` by a no-break space). Unsafe because a text
    may mean the entity (a doubly escaped `&amp;lt;` becomes `&lt;`, which
    the next run reports again). Tags, labels and counters are not fixed.
    """

    code = "N001"
    name = "markup-residue"
    summary = "HTML tags or entities, 'Copy code' labels or regenerate counters left in text."
    severity = Severity.WARNING
    fix_safety = FixSafety.UNSAFE

    def text_trigger(self) -> str:
        # What each kind of residue needs: the characters of tags, entities
        # and escapes, the six entities that can lose their ampersand or a
        # numeric one (Python's \d is any decimal digit), the label, the
        # wrapper's class, a counter in the first twelve characters.
        return TRIGGER

    def check(self, record: RecordContext) -> Iterator[Finding]:
        assert record.view is not None  # only shaped records come here
        turns = text_turns(record.view)
        topics: dict[re.Pattern[str], bool] = {}
        for turn in turns:
            found = residue(turn.text)
            found = [
                (kind, example)
                for kind, example in found
                if kind not in _TOPICAL or not _on_topic(_TOPICAL[kind], turns, topics)
            ]
            if found:
                listed = ", ".join(f"{kind} {quote(example)}" for kind, example in found)
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


def _on_topic(
    topic: re.Pattern[str], turns: list[Turn], known: dict[re.Pattern[str], bool]
) -> bool:
    """Whether the record's words, outside tags and code, name ``topic``
    (asked once per record and topic)."""
    if topic not in known:
        known[topic] = any(topic.search(ANY_TAG.sub(" ", prose(t.text))) for t in turns)
    return known[topic]


def residue(text: str) -> list[tuple[str, str]]:
    """The kinds of residue in ``text``, each with its first example."""
    found: list[tuple[str, str]] = []
    counter = REGENERATE_COUNTER.match(text) if " / " in text[:12] else None
    if counter and 1 <= int(counter[1]) <= int(counter[2]):
        found.append(("regenerate counter", counter.group().strip()))
    copy = COPY_CODE.search(text) if "Copy code" in text else None
    if copy:
        found.append(("'Copy code' label", copy.group().strip()))
    wrapper = CHAT_WRAPPER.search(text) if "markdown" in text else None
    if wrapper:
        found.append(("ChatGPT answer wrapper", wrapper.group()))
    if "<" in text or "&" in text or ";" in text or "\\" in text:
        found.extend(_html(prose(text), wrapped=wrapper is not None))
    return found


def _html(text: str, *, wrapped: bool) -> list[tuple[str, str]]:
    """Tags (other than a ChatGPT wrapper, reported as such), entities with
    and without their ampersand, and escape sequences as text, in prose."""
    found: list[tuple[str, str]] = []
    if not wrapped:
        match = TAG.search(text) if "<" in text else None
        tag = match.group() if match else _paired_tag(text)
        if tag:
            found.append(("HTML tag", tag))
    entity = ENTITY.search(text) if "&" in text else None
    if entity:
        found.append(("HTML entity", entity.group()))
    lost = LOST_AMPERSAND.search(text) if ";" in text else None
    if lost:
        found.append(("entity without its '&'", lost.group()))
    if "\\" in text:
        escape = STRAY_NEWLINES.search(text) or _repeated(STRAY_QUOTE, text)
        if escape:
            found.append(("escape sequence as text", escape.group()))
    return found


def _repeated(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` when there are two or more: one
    backslash-quote may be a quoted path; a pair is an escaped quotation."""
    matches = pattern.finditer(text)
    first = next(matches, None)
    return first if first is not None and next(matches, None) is not None else None


def _paired_tag(text: str) -> str | None:
    """The first element both opened and closed in ``text``, as opened."""
    closed = {m[1].lower() for m in CLOSING.finditer(text)}
    if not closed:
        return None
    return next((m.group() for m in OPENING.finditer(text) if m[1].lower() in closed), None)
