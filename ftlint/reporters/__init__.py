"""The built-in output formats, one module each; see ``docs/output-formats.md``.

``BUILTIN_REPORTERS`` is what :mod:`ftlint.run.builtin_plugin` registers through the
``ftlint_reporters`` hook, in the order ``--help`` lists them. A plugin adds
its own formats through the same hook.
"""

from __future__ import annotations

from ftlint.reporters.base import ReportContext, Reporter, RuleInfo
from ftlint.reporters.concise import ConciseReporter
from ftlint.reporters.github import GithubReporter
from ftlint.reporters.html import HtmlReporter
from ftlint.reporters.json_format import JsonReporter
from ftlint.reporters.jsonl import JsonLinesReporter
from ftlint.reporters.markdown import MarkdownReporter
from ftlint.reporters.sarif import SarifReporter
from ftlint.reporters.text import TextReporter

BUILTIN_REPORTERS: tuple[type[Reporter], ...] = (
    TextReporter,
    ConciseReporter,
    JsonReporter,
    JsonLinesReporter,
    SarifReporter,
    GithubReporter,
    HtmlReporter,
    MarkdownReporter,
)

__all__ = [
    "BUILTIN_REPORTERS",
    "ConciseReporter",
    "GithubReporter",
    "HtmlReporter",
    "JsonLinesReporter",
    "JsonReporter",
    "MarkdownReporter",
    "ReportContext",
    "Reporter",
    "RuleInfo",
    "SarifReporter",
    "TextReporter",
]
