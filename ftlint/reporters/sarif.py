"""``--output-format sarif``: SARIF 2.1.0, for GitHub code scanning and other CI tools.

The log has one run. Its driver lists every rule that ran (``context.rules``)
with its summary and documentation, so that code scanning can show what a rule
checks and why; each finding becomes a result that points back to its rule by
``ruleId`` and ``ruleIndex``.

Decisions, most of them driven by what GitHub code scanning accepts and shows:

* **Relative URIs.** Artifact URIs are relative to ``%SRCROOT%`` with forward
  slashes and percent-encoding, so alerts land on the same file in every
  checkout; ``originalUriBaseIds`` says where ``%SRCROOT%`` was on this
  machine. A path outside the root keeps an absolute ``file:`` URI.
* **Always a region, always with an end.** GitHub needs ``region.startLine``
  to place an alert, so a file-level finding (``line == 0``) gets the empty
  region at the start of the file (1:1 to 1:1) rather than no location at
  all. The command line gives a finding without an end the end of its line
  (:mod:`ftlint.run.line_ends`); one it could not (a Parquet row) ends where
  it starts.
* **Stable identity.** ``partialFingerprints`` holds the engine's
  line-independent fingerprint twice: as ``primaryLocationLineHash``, which
  GitHub otherwise computes itself from the text around the line (and so
  loses an alert when records are inserted above it), and as ``ftlint/v1``.
  An alert follows its finding across edits, and a fixed finding closes it.
* **Rule help.** Each built-in rule's ``helpUri`` is its page under
  ``docs/rules/`` (``RuleInfo.help_uri``), its ``fullDescription`` the first
  paragraph of *What it does* as plain prose (``RuleInfo.description``;
  GitHub shows it above every alert, unrendered), its ``help`` the whole
  markdown.
* **Levels.** ``error`` and ``warning`` map to themselves, ``info`` to
  ``note``. The rule's ``defaultConfiguration.level`` is its configured
  severity; a result's ``level`` is the severity it was reported with.
* **Limits.** A run with more than 25,000 results is rejected by GitHub, so at
  most that many are written, keeping the most severe (the earliest among
  equals) and saying how many were left out in a tool execution notification.
  At most 20 related locations are written per result (GitHub shows at most
  100 locations of a result, and nobody reads a list longer than 20); the
  number left out goes into the result's ``properties``. Only the kept results
  are held in memory, so memory is bounded however many findings a run has.
* **Columns** are declared as Unicode code points (``columnKind``): ftlint's
  positions are offsets in decoded text, not bytes or UTF-16 units.
* **Fixes** become ``fixes[].artifactChanges[].replacements``: a finding's
  edits apply to its own file, and ftlint's end-exclusive positions are
  SARIF's. Whether a fix is safe is in the fix's ``properties``.
* The message is the finding's message, as plain text. (Code scanning links
  related locations only when the message embeds ``[text](id)`` links; ftlint
  messages already say where the other place is, and escaping every bracket in
  them for that would garble other viewers.)
"""

from __future__ import annotations

import heapq
import json
import os
import shlex
from pathlib import Path, PurePath
from typing import ClassVar, TextIO
from urllib.parse import quote

from ftlint.core.findings import Finding, Fix, Location, Severity, Summary
from ftlint.reporters._common import JSONObject, change_to_dict, relative_posix_path
from ftlint.reporters.base import ReportContext, Reporter, RuleInfo

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
TOOL_NAME = "ftlint"
PROJECT_URL = "https://github.com/ftlint/ftlint"
#: The base every relative artifact URI is resolved against.
SRCROOT = "%SRCROOT%"
#: The ``partialFingerprints`` key; bump the suffix if the fingerprint recipe changes.
FINGERPRINT_KEY = "ftlint/v1"
#: The ``partialFingerprints`` key GitHub code scanning matches alerts across runs by.
LINE_HASH_KEY = "primaryLocationLineHash"

#: SARIF ``level`` for each severity, for rules and results alike.
SARIF_LEVEL: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}

#: GitHub code scanning rejects a run with more results than this.
MAX_RESULTS = 25_000
#: Related locations written per result; the rest are counted, not listed.
MAX_RELATED_LOCATIONS = 20


def artifact_location(path: str, root: str) -> JSONObject:
    """The ``artifactLocation`` of ``path``: a percent-encoded URI reference
    relative to ``%SRCROOT%``, or an absolute ``file:`` URI outside the root."""
    relative = relative_posix_path(path, root)
    if PurePath(relative).is_absolute():
        return {"uri": PurePath(relative).as_uri()}
    # surrogateescape: a file name that is not UTF-8 is quoted as its own bytes.
    return {"uri": quote(relative, errors="surrogateescape"), "uriBaseId": SRCROOT}


def root_uri(root: str) -> str:
    """``root`` as an absolute ``file:`` URI ending in ``/``, as SARIF requires
    of a base URI."""
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else f"{uri}/"


def _region(
    line: int, column: int, end_line: int | None = None, end_column: int | None = None
) -> JSONObject:
    """A region from ``line:column`` to ``end_line:end_column`` (exclusive); an
    unknown end is the start (an empty region)."""
    # Clamped so that a rule's off-by-one can never make the whole log invalid
    # (SARIF positions are >= 1, an end is not before its start) and fail a CI upload.
    start_line, start_column = max(line, 1), max(column, 1)
    last_line = max(end_line if end_line is not None else start_line, start_line)
    last_column = max(end_column if end_column is not None else start_column, 1)
    if last_line == start_line:
        last_column = max(last_column, start_column)
    return {
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": last_line,
        "endColumn": last_column,
    }


def location_region(location: Location) -> JSONObject:
    """A finding's region; the start of the file for a file-level finding."""
    if location.is_file_level:
        return _region(1, 1)
    return _region(location.line, location.column, location.end_line, location.end_column)


def rule_descriptor(rule: RuleInfo) -> JSONObject:
    """A ``reportingDescriptor`` for a rule that ran."""
    summary = rule.summary.strip() or rule.name
    documentation = rule.documentation.strip() or summary
    descriptor: JSONObject = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": rule.description.strip() or summary},
        "help": {"text": documentation, "markdown": documentation},
        "defaultConfiguration": {"level": SARIF_LEVEL[rule.severity]},
    }
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    if rule.plugin:
        descriptor["properties"] = {"tags": [rule.plugin]}
    return descriptor


def _unlisted_rule_descriptor(finding: Finding) -> JSONObject:
    """A descriptor for a code that ``context.rules`` did not list (a finding
    the engine itself raised, say), so that every ``ruleIndex`` resolves."""
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.name},
        "defaultConfiguration": {"level": SARIF_LEVEL[finding.severity]},
    }


class SarifReporter(Reporter):
    """A SARIF 2.1.0 log with one run, written when the run finishes."""

    name: ClassVar[str] = "sarif"
    description: ClassVar[str] = "SARIF 2.1.0 (GitHub code scanning and other CI tools)."
    wants_ends: ClassVar[bool] = True

    def __init__(self, stream: TextIO, context: ReportContext) -> None:
        super().__init__(stream, context)
        self._rules: list[JSONObject] = []
        self._rule_index: dict[str, int] = {}
        for rule in context.rules:
            if rule.code not in self._rule_index:
                self._rule_index[rule.code] = len(self._rules)
                self._rules.append(rule_descriptor(rule))
        # A min-heap of (severity rank, -arrival, result): the root is the
        # result to drop first when over MAX_RESULTS.
        self._kept: list[tuple[int, int, JSONObject]] = []
        self._arrived = 0

    def add(self, finding: Finding) -> None:
        entry = (finding.severity.rank, -self._arrived, self._result(finding))
        self._arrived += 1
        if len(self._kept) < MAX_RESULTS:
            heapq.heappush(self._kept, entry)
        else:
            heapq.heappushpop(self._kept, entry)

    def finish(self, summary: Summary) -> None:
        results = [result for _, _, result in sorted(self._kept, key=lambda entry: -entry[1])]
        run: JSONObject = {
            "tool": {
                "driver": {
                    "name": TOOL_NAME,
                    "version": self.context.tool_version,
                    "informationUri": PROJECT_URL,
                    "rules": self._rules,
                }
            },
            "invocations": [self._invocation(summary, omitted=self._arrived - len(results))],
            "originalUriBaseIds": {SRCROOT: {"uri": root_uri(self.context.root)}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }
        log = {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
        json.dump(log, self.stream, indent=2)
        self.stream.write("\n")

    def _index_of(self, finding: Finding) -> int:
        index = self._rule_index.get(finding.code)
        if index is None:
            index = self._rule_index[finding.code] = len(self._rules)
            self._rules.append(_unlisted_rule_descriptor(finding))
        return index

    def _physical_location(self, location: Location) -> JSONObject:
        return {
            "artifactLocation": artifact_location(location.path, self.context.root),
            "region": location_region(location),
        }

    def _result(self, finding: Finding) -> JSONObject:
        result: JSONObject = {
            "ruleId": finding.code,
            "ruleIndex": self._index_of(finding),
            "level": SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": self._physical_location(finding.location)}],
        }
        properties: JSONObject = {}
        if finding.location.pointer:
            properties["pointer"] = finding.location.pointer
        if finding.related:
            listed = finding.related[:MAX_RELATED_LOCATIONS]
            result["relatedLocations"] = [
                {
                    "id": number,
                    "physicalLocation": self._physical_location(related.location),
                    "message": {"text": related.message},
                }
                for number, related in enumerate(listed, start=1)
            ]
            if len(finding.related) > len(listed):
                properties["relatedLocationsOmitted"] = len(finding.related) - len(listed)
        if finding.fingerprint:
            result["partialFingerprints"] = {
                LINE_HASH_KEY: finding.fingerprint,
                FINGERPRINT_KEY: finding.fingerprint,
            }
        if finding.fix is not None:
            fix = finding.fix
            maker = self._record_fix if fix.changes else self._fix
            result["fixes"] = [maker(fix, finding.location)]
        if properties:
            result["properties"] = properties
        return result

    def _fix(self, fix: Fix, location: Location) -> JSONObject:
        replacements = []
        for edit in fix.edits:
            replacement: JSONObject = {
                "deletedRegion": _region(edit.line, edit.column, edit.end_line, edit.end_column)
            }
            if edit.content:
                replacement["insertedContent"] = {"text": edit.content}
            replacements.append(replacement)
        return {
            "description": {"text": fix.description},
            "artifactChanges": [
                {
                    "artifactLocation": artifact_location(location.path, self.context.root),
                    "replacements": replacements,
                }
            ],
            "properties": {"safe": fix.safe},
        }

    def _record_fix(self, fix: Fix, location: Location) -> JSONObject:
        """A dataset record's fix. Removing a record that is a whole line (a
        JSON Lines record, at column 1) is a text replacement: the line and
        its line ending go. Other changes (a string span, an array element)
        depend on the record's source, which a finding does not carry: the
        replacement is the empty region at the finding (SARIF wants one),
        and the changes are in the fix's ``properties`` as the JSON format
        writes them."""
        line, column = location.line, location.column
        whole_line = column == 1 and all(change.remove for change in fix.changes)
        if whole_line:
            region = _region(line, 1, line + 1, 1)
        else:
            region = _region(line, column, line, column)
        return {
            "description": {"text": fix.description},
            "artifactChanges": [
                {
                    "artifactLocation": artifact_location(location.path, self.context.root),
                    "replacements": [{"deletedRegion": region}],
                }
            ],
            "properties": {
                "safe": fix.safe,
                "recordChanges": [change_to_dict(change) for change in fix.changes],
            },
        }

    def _invocation(self, summary: Summary, *, omitted: int) -> JSONObject:
        """The run's invocation. It finished (this reporter is being closed), so
        ``executionSuccessful`` is true; what was left out is said as notifications."""
        invocation: JSONObject = {"executionSuccessful": True}
        if self.context.invocation:
            invocation["commandLine"] = shlex.join(self.context.invocation)
            invocation["arguments"] = list(self.context.invocation)
        notes = []
        if omitted:
            notes.append(
                f"{omitted:,} less severe results were left out: GitHub code scanning accepts "
                f"at most {MAX_RESULTS:,} results a run."
            )
        if summary.truncated:
            notes.append(
                f"{summary.truncated:,} findings over the max-findings limit were not reported."
            )
        if notes:
            invocation["toolExecutionNotifications"] = [
                {"level": "warning", "message": {"text": note}} for note in notes
            ]
        return invocation
