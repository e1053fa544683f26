"""A rule's documentation, put together from its docstring and its metadata.

One rendering serves ``ftlint rule CODE``, the generated pages
``docs/rules/<CODE>.md`` (``python -m ftlint.cli.rule_docs``) and the
reporters (the ``help`` of a SARIF rule). The sections follow ruff's rule
docs:

``## What it does``, ``## Why is this bad?``, ``## Example``
    Prose, written in the rule's docstring; the example ends with a
    ``Use instead:`` paragraph.
``## Options``
    Never written by hand: rendered from the rule's options model, one line
    an option with its key as settings spell it (kebab-case), its type and
    bounds, its default as TOML, and its ``Field(description=...)``. So the
    documented options are always the ones the settings accept.
``## Fix safety``
    For a rule that offers fixes (``Rule.fix_safety``): what its promise
    means for ``--fix``, then the docstring's own section on when a fix is
    offered and what it changes.

:func:`rule_documentation` returns the parts separately (the plain prose of
*What it does* suits a one-paragraph description);
:meth:`RuleDocumentation.problems` says what a rule's documentation lacks,
which ftlint's tests require of every built-in rule and a plugin's tests can
require of its own.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib import metadata
from typing import Any

import annotated_types
from pydantic.fields import FieldInfo

from ftlint.api.rules import Rule, RuleOptions
from ftlint.core.findings import FixSafety, Severity

#: Where the documentation page of a built-in rule lives in ftlint's
#: repository, for links from reports: ``docs/rules/S005.md``.
PAGE_PATH = "docs/rules/{code}.md"
#: The URL of the repository's ``docs/`` folder when the package metadata does
#: not say (a source tree that is not installed); see :func:`documentation_url`.
DEFAULT_DOCUMENTATION_URL = "https://github.com/ftlint/ftlint/blob/main/docs"
#: The plugin label of ftlint's own readers, shapes, reporters and rules (the
#: rules with a page under ``docs/rules/``).
BUILTIN_PLUGIN = "ftlint"

WHAT_IT_DOES = "What it does"
WHY_IS_THIS_BAD = "Why is this bad?"
EXAMPLE = "Example"
OPTIONS = "Options"
FIX_SAFETY = "Fix safety"
#: The headings a docstring may use, in the order of a page (Options is rendered).
WRITTEN_SECTIONS = (WHAT_IT_DOES, WHY_IS_THIS_BAD, EXAMPLE, FIX_SAFETY)
USE_INSTEAD = "Use instead:"

_HEADING = re.compile(r"## +(\S.*?)\s*")
_USE_INSTEAD = re.compile(rf"^{USE_INSTEAD}[ \t]*", re.MULTILINE)

#: What ``--fix`` does with the fixes of a rule, by its promise.
_FIX_PROMISES = {
    FixSafety.SAFE: (
        "The fixes of this rule are safe: they keep what the author meant. "
        "`ftlint check --fix` applies them; `--diff` shows them without writing."
    ),
    FixSafety.UNSAFE: (
        "The fixes of this rule may be unsafe: they can change the data, so "
        "`ftlint check --fix` applies only those marked safe."
    ),
}

_TYPE_NAMES: dict[Any, str] = {int: "integer", float: "number", bool: "boolean", str: "string"}
#: A default longer than this is shown as a TOML block rather than inline.
_INLINE_DEFAULT = 60
#: Floats under this are written with an exponent, as learning rates are: 2e-5.
_SMALL_FLOAT = 0.01


def page_path(code: str) -> str:
    """The repository path of a built-in rule's page: ``docs/rules/S005.md``."""
    return PAGE_PATH.format(code=code)


@functools.cache
def documentation_url() -> str:
    """Where ``docs/`` is published: the ``Documentation`` entry of
    ``[project.urls]`` in ftlint's ``pyproject.toml``, read from the installed
    package's metadata (so a fork links to its own pages by changing one
    line), without a final ``/``."""
    try:
        entries: list[str] = metadata.metadata("ftlint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        entries = []
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip().lower() == "documentation" and url.strip():
            return url.strip().rstrip("/")
    return DEFAULT_DOCUMENTATION_URL


def page_url(code: str, plugin: str = BUILTIN_PLUGIN) -> str | None:
    """The URL of a built-in rule's page (:func:`page_path` under
    :func:`documentation_url`), for SARIF's ``helpUri`` and the language
    server's links; None for a rule of another plugin, which has no page there."""
    if plugin != BUILTIN_PLUGIN:
        return None
    return f"{documentation_url()}/{page_path(code).removeprefix('docs/')}"


@dataclass(frozen=True, slots=True)
class OptionDoc:
    """One option of a rule, as its documentation lists it."""

    #: As settings spell it: ``min-train``.
    key: str
    #: ``integer``, ``number``, ``list of strings``, ...
    type: str
    #: Bounds the settings enforce: ``from 0.5 to 1``, ``at least 1``; or empty.
    bounds: str
    #: The default, written as in a settings file (TOML): ``100``, ``2e-5``,
    #: ``[]``; a long list as a ``key = [...]`` block, one item a line.
    default: str
    description: str

    def markdown(self) -> str:
        """A list item: ``- `min-train` (integer, at least 0; default `100`): ...``."""
        kind = f"{self.type}, {self.bounds}" if self.bounds else self.type
        item = f"- `{self.key}` ({kind}"
        if "\n" not in self.default:
            return f"{item}; default `{self.default}`): {self.description}"
        block = "\n".join(f"  {line}" for line in ["```toml", *self.default.splitlines(), "```"])
        return f"{item}): {self.description} Default:\n\n{block}"


@dataclass(frozen=True, slots=True)
class RuleDocumentation:
    """A rule's documentation in parts: its metadata, the prose sections of
    its docstring, and its options from the model.

    ``other_sections`` are sections under headings this module does not know
    (kept, in their order, after *Example*); ``written_options`` is a
    docstring's own *Options* section, which the page replaces by the
    rendered one and :meth:`problems` reports.
    """

    code: str
    name: str
    summary: str
    severity: Severity
    default_enabled: bool
    fix_safety: FixSafety | None
    plugin: str
    what_it_does: str
    why_is_this_bad: str
    example: str
    use_instead: str
    options: tuple[OptionDoc, ...]
    fix_safety_note: str = ""
    other_sections: tuple[tuple[str, str], ...] = ()
    written_options: str = ""

    @property
    def description(self) -> str:
        """The first paragraph of *What it does* (else the summary): plain
        prose that describes the rule in full, such as SARIF's
        ``fullDescription`` wants."""
        return self.what_it_does.split("\n\n", 1)[0] or self.summary

    def sections(self) -> Iterator[tuple[str, str]]:
        """Each section's heading and Markdown body, in the order of the page;
        empty sections are left out."""
        example = self.example
        if self.use_instead:
            example = f"{example}\n\n{USE_INSTEAD}\n{self.use_instead}".strip()
        written = [
            (WHAT_IT_DOES, self.what_it_does or self.summary),
            (WHY_IS_THIS_BAD, self.why_is_this_bad),
            (EXAMPLE, example),
            *self.other_sections,
            (OPTIONS, self._options_markdown()),
            (FIX_SAFETY, self._fix_safety_markdown()),
        ]
        return ((heading, body) for heading, body in written if body)

    def markdown(self) -> str:
        """The sections as Markdown, from ``## What it does`` on."""
        return "\n\n".join(f"## {heading}\n{body}" for heading, body in self.sections())

    def page(self) -> str:
        """The whole page: title, summary, facts, then :meth:`markdown`. What
        ``ftlint rule CODE`` prints and ``docs/rules/<CODE>.md`` holds."""
        facts = [f"Default severity: {self.severity}."]
        facts.append(
            "Enabled by default."
            if self.default_enabled
            else "Not enabled by default: select it to run it."
        )
        if self.fix_safety is not None:
            facts.append(f"Fixable ({self.fix_safety} fixes).")
        if self.plugin:
            facts.append(f"Plugin: {self.plugin}.")
        head = f"# {self.code} {self.name}\n\n{self.summary}\n\n{' '.join(facts)}"
        return f"{head}\n\n{self.markdown()}\n"

    def problems(self) -> list[str]:
        """What the documentation lacks or gets wrong, one sentence each;
        empty when it is complete."""
        found = [
            f"the docstring has no '## {heading}' section"
            for heading, text in (
                (WHAT_IT_DOES, self.what_it_does),
                (WHY_IS_THIS_BAD, self.why_is_this_bad),
                (EXAMPLE, self.example),
            )
            if not text
        ]
        if not self.use_instead:
            found.append(f"the example has no '{USE_INSTEAD}' part")
        if self.written_options:
            found.append(
                "the docstring has its own '## Options' section; describe each option "
                "with Field(description=...) instead, the section is rendered from them"
            )
        found.extend(
            f"option '{option.key}' has no Field(description=...)"
            for option in self.options
            if not option.description
        )
        found.extend(f"unknown section '## {heading}'" for heading, _ in self.other_sections)
        if self.fix_safety is not None and not self.fix_safety_note:
            found.append(
                "the rule declares fix_safety but its docstring has no '## Fix safety' section"
            )
        if self.fix_safety is None and self.fix_safety_note:
            found.append("the docstring has a '## Fix safety' section but fix_safety is None")
        return found

    def _options_markdown(self) -> str:
        if not self.options:
            return "None."
        where = (
            f"Set under `[tool.ftlint.rules.{self.code}]` in `pyproject.toml` "
            f"(`[rules.{self.code}]` in `ftlint.toml`); the rule's name works as well as its code:"
        )
        return "\n".join([where, "", *(option.markdown() for option in self.options)])

    def _fix_safety_markdown(self) -> str:
        if self.fix_safety is None:
            return self.fix_safety_note
        return f"{_FIX_PROMISES[self.fix_safety]}\n\n{self.fix_safety_note}".strip()


def rule_documentation(rule: type[Rule]) -> RuleDocumentation:
    """The documentation of ``rule``, from its docstring, metadata and options.
    Text before the first heading (a docstring written without sections) is
    taken as the start of *What it does*."""
    preamble, sections = _split_sections(inspect.cleandoc(rule.__doc__ or ""))
    written = dict(sections)
    example, *use_instead = _USE_INSTEAD.split(written.get(EXAMPLE, ""), maxsplit=1)
    what_it_does = "\n\n".join(part for part in (preamble, written.get(WHAT_IT_DOES, "")) if part)
    return RuleDocumentation(
        code=rule.code,
        name=rule.name,
        summary=rule.summary,
        severity=rule.severity,
        default_enabled=rule.default_enabled,
        fix_safety=rule.fix_safety,
        plugin=rule.plugin,
        what_it_does=what_it_does,
        why_is_this_bad=written.get(WHY_IS_THIS_BAD, ""),
        example=example.strip(),
        use_instead="".join(use_instead).strip(),
        options=options_documentation(rule.Options),
        fix_safety_note=written.get(FIX_SAFETY, ""),
        other_sections=tuple(
            (heading, body)
            for heading, body in sections
            if heading not in WRITTEN_SECTIONS and heading != OPTIONS
        ),
        written_options=written.get(OPTIONS, ""),
    )


def _split_sections(doc: str) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first ``## `` heading, and each heading with its
    text. A line in a fenced code block is never a heading."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    for line in doc.splitlines():
        heading = None if fenced else _HEADING.fullmatch(line)
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if heading is not None:
            sections.append((heading[1], []))
        else:
            (sections[-1][1] if sections else preamble).append(line)
    return "\n".join(preamble).strip(), [(h, "\n".join(body).strip()) for h, body in sections]


def options_documentation(model: type[RuleOptions]) -> tuple[OptionDoc, ...]:
    """The fields of an options model, in their order, as settings spell them."""
    return tuple(
        OptionDoc(
            key=field.alias or name,
            type=_type_name(field.annotation),
            bounds=_bounds(field),
            default=_default(field.alias or name, field.get_default(call_default_factory=True)),
            description=(field.description or "").strip(),
        )
        for name, field in model.model_fields.items()
    )


def _type_name(annotation: Any) -> str:
    if annotation in _TYPE_NAMES:
        return _TYPE_NAMES[annotation]
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (tuple, list, set, frozenset) and arguments:
        return f"list of {_type_name(arguments[0])}s"
    if origin is typing.Literal:
        return " or ".join(_toml(argument) for argument in arguments)
    if arguments:  # a union
        return " or ".join(_type_name(argument) for argument in arguments)
    return getattr(annotation, "__name__", str(annotation))


def _bounds(field: FieldInfo) -> str:
    """``from 0.5 to 1``, ``over 0, at most 1``, ``at least 1``."""
    limits: dict[str, Any] = {}
    for constraint in field.metadata:
        for kind in ("ge", "gt", "le", "lt"):
            if isinstance(constraint, getattr(annotated_types, kind.capitalize())):
                limits[kind] = getattr(constraint, kind)
    if "ge" in limits and "le" in limits:
        return f"from {_toml(limits['ge'])} to {_toml(limits['le'])}"
    words = {"ge": "at least", "gt": "over", "le": "at most", "lt": "under"}
    return ", ".join(f"{words[kind]} {_toml(value)}" for kind, value in limits.items())


def _default(key: str, value: Any) -> str:
    """The default as TOML: inline when short, else a list as a ``key = [...]``
    block with one item a line (ready to copy into a settings file)."""
    inline = _toml(value)
    if len(inline) <= _INLINE_DEFAULT or not isinstance(value, tuple | list):
        return inline
    items = "".join(f"    {_toml(item)},\n" for item in value)
    return f"{key} = [\n{items}]"


def _toml(value: Any) -> str:
    """A value as a settings file would write it: ``30`` for a whole float
    (an option of floats takes it), ``2e-5`` rather than ``2e-05`` or
    ``0.0001``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Decimal keeps repr's shortest digits and writes them as 3e-4.
        return f"{Decimal(repr(value)):e}" if abs(value) < _SMALL_FLOAT else repr(value)
    if isinstance(value, tuple | list | set | frozenset):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if value is None:
        return "not set"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
