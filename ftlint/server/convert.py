"""Findings in the language server protocol's terms.

Positions: ftlint's are 1-based lines and columns counted in code points,
end exclusive; the protocol's are 0-based, with columns in the code units
the client chose (UTF-16 unless it asks otherwise). pygls converts a column
given the line's text, which the server has for the open document; a related
location in another file keeps its code-point column (they are the start of a
record, column 1, in practice).

A finding without an end covers the rest of its line: its range ends at the
start of the next line, which needs no knowledge of the line's length. A
file-level finding covers the first line.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.workspace import TextDocument

from ftlint.api.documentation import page_url, rule_documentation
from ftlint.api.rules import Rule
from ftlint.configs.document import NOQA_PATTERN
from ftlint.core.findings import Edit, Finding, Location, Severity
from ftlint.server.linting import ERROR_CODE

SOURCE = "ftlint"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}

_YAML_SUFFIXES = (".yaml", ".yml")


def location_range(location: Location, document: TextDocument | None = None) -> types.Range:
    """The range of ``location``, in ``document``'s client units when given."""
    line = max(location.line, 1) - 1
    start = types.Position(
        line=line, character=0 if location.is_file_level else max(location.column, 1) - 1
    )
    if location.end_line is not None and location.end_column is not None:
        end = types.Position(line=location.end_line - 1, character=max(location.end_column, 1) - 1)
    else:
        end = types.Position(line=line + 1, character=0)
    if document is None:
        return types.Range(start=start, end=end)
    return types.Range(start=_client(document, start), end=_client(document, end))


def _client(document: TextDocument, position: types.Position) -> types.Position:
    return document.position_codec.position_to_client_units(document.lines, position)


def diagnostic(
    finding: Finding, document: TextDocument, rule: type[Rule] | None
) -> types.Diagnostic:
    """The diagnostic of ``finding`` in ``document``; ``rule`` (None for an
    error) gives the link to its documentation."""
    url = page_url(finding.code, rule.plugin) if rule is not None else None
    return types.Diagnostic(
        range=location_range(finding.location, document),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.code if finding.code != ERROR_CODE else None,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        related_information=[
            types.DiagnosticRelatedInformation(
                location=types.Location(
                    uri=Path(related.location.path).resolve().as_uri(),
                    range=location_range(related.location),
                ),
                message=related.message,
            )
            for related in finding.related
        ]
        or None,
    )


def fix_edits(edits: tuple[Edit, ...], document: TextDocument) -> list[types.TextEdit]:
    """A fix's edits as text edits of ``document``."""
    return [
        types.TextEdit(
            range=types.Range(
                start=_client(
                    document, types.Position(line=edit.line - 1, character=edit.column - 1)
                ),
                end=_client(
                    document,
                    types.Position(line=edit.end_line - 1, character=edit.end_column - 1),
                ),
            ),
            new_text=edit.content,
        )
        for edit in edits
    ]


def noqa_edit(finding: Finding, document: TextDocument) -> types.TextEdit | None:
    """The edit that adds ``# ftlint: noqa: CODE`` to the YAML line of
    ``finding`` (or its code to the line's noqa comment); None where no
    comment can go (not YAML, a whole-file finding) or the line already
    suppresses every code."""
    location = finding.location
    if location.is_file_level or not document.path.lower().endswith(_YAML_SUFFIXES):
        return None
    index = location.line - 1
    if index >= len(document.lines):
        return None
    line = document.lines[index].rstrip("\r\n")
    existing = NOQA_PATTERN.search(line)
    if existing is not None and not existing.group("codes"):
        return None
    addition = f", {finding.code}" if existing else f"  # ftlint: noqa: {finding.code}"
    at = existing.end() if existing else len(line)
    position = _client(document, types.Position(line=index, character=at))
    return types.TextEdit(range=types.Range(start=position, end=position), new_text=addition)


def hover_markdown(rule: type[Rule]) -> str:
    """A rule's documentation for hover: a title line, then its markdown."""
    url = page_url(rule.code, rule.plugin)
    title = f"**{rule.code}** `{rule.name}`" + (f" ([documentation]({url}))" if url else "")
    return f"{title}\n\n{rule_documentation(rule).markdown()}"
