"""Where a rule's documentation lives, and its gist as plain prose.

Every built-in rule has a page at ``docs/rules/<CODE>.md`` in the repository.
The base those paths are joined to is the ``Documentation`` entry of
``[project.urls]`` in ftlint's ``pyproject.toml``, read from the installed
package's metadata, so that a fork or a release branch links to its own
pages by changing one line; :data:`DEFAULT_DOCUMENTATION_URL` stands in when
the metadata cannot be read (a source tree that is not installed). Rules of
other plugins have no page there and get no link.

Code scanning and editors show a rule's *full description* in places where
markdown is not rendered (GitHub puts it at the top of every alert), so
:func:`plain_description` turns the documentation's *What it does* section
into prose without headers, backticks or emphasis.
"""

from __future__ import annotations

import functools
import re
from importlib import metadata

#: The documentation root when the package metadata does not say (as in pyproject.toml).
DEFAULT_DOCUMENTATION_URL = "https://github.com/ftlint/ftlint/blob/main/docs"
#: The plugin name of ftlint's own rules, the ones with a page under ``docs/rules/``.
BUILTIN_PLUGIN = "ftlint"

_HEADER = re.compile(r"^#+\s*(.*?)\s*#*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"`+|\*\*|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")


@functools.cache
def documentation_url() -> str:
    """The documentation root: ``[project.urls] Documentation``, without a final ``/``."""
    try:
        entries: list[str] = metadata.metadata("ftlint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        entries = []
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return url.strip().rstrip("/")
    return DEFAULT_DOCUMENTATION_URL


def rule_url(code: str, plugin: str = BUILTIN_PLUGIN) -> str | None:
    """The page of rule ``code`` (``<documentation>/rules/<CODE>.md``), or None
    for a rule of another plugin."""
    if plugin != BUILTIN_PLUGIN:
        return None
    return f"{documentation_url()}/rules/{code}.md"


def plain_description(documentation: str) -> str:
    """The *What it does* section of a rule's markdown documentation as plain
    prose: its paragraphs without the header, code blocks, backticks, emphasis
    or link targets. Documentation without that section gives its first
    paragraph, treated the same way."""
    lines = documentation.strip().splitlines()
    section = _section(lines, "what it does")
    paragraphs = _paragraphs(lines if section is None else section)
    if section is None:
        paragraphs = paragraphs[:1]
    return "\n\n".join(_MARKUP.sub("", _LINK.sub(r"\1", p)) for p in paragraphs)


def _paragraphs(lines: list[str]) -> list[str]:
    """The prose paragraphs of markdown ``lines``, each on one line; headers
    and fenced code blocks left out."""
    paragraphs: list[str] = []
    current: list[str] = []
    fenced = False
    for line in [*lines, ""]:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif fenced or _HEADER.match(line):
            continue
        elif line.strip():
            current.append(line.strip())
            continue
        if current:
            paragraphs.append(" ".join(current))
            current = []
    return paragraphs


def _section(lines: list[str], title: str) -> list[str] | None:
    """The lines under the markdown header ``title`` (any level, any case), up
    to the next header; None when there is no such header."""
    for start, line in enumerate(lines):
        header = _HEADER.match(line)
        if header and header.group(1).lower() == title:
            rest = lines[start + 1 :]
            end = next((i for i, text in enumerate(rest) if _HEADER.match(text)), len(rest))
            return rest[:end]
    return None
