"""The finding model: small, plain, frozen data shared by rules, engine and reporters.

A rule produces :class:`Finding` objects; the engine settles their severity,
filters them and gives them a fingerprint; a reporter turns them into text.
Nothing here knows about files, records or plugins.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    """How bad a finding is. Ordered: ``INFO < WARNING < ERROR``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file.

    ``line`` and ``column`` are 1-based; ``line == 0`` means the whole file.
    ``pointer`` is an RFC 6901 JSON Pointer into the record (``/messages/2/content``)
    or into a config (``/training/lr``); empty when the finding is about the whole
    record or file.
    """

    path: str
    line: int = 0
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None
    pointer: str = ""

    @property
    def is_file_level(self) -> bool:
        return self.line == 0


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    """Another place that explains a finding: the first copy of a duplicate, the
    train record a test record leaks from."""

    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two 1-based positions (end exclusive) by ``content``.

    An empty ``content`` deletes; equal start and end insert.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


class FixSafety(enum.StrEnum):
    """What a rule promises about the fixes it offers: its documentation's
    *Fix safety* and the ``fixable`` column of the rule index.

    A rule without fixes declares none (``Rule.fix_safety = None``). The
    promise is about the rule; each :class:`Fix` still says whether it is
    ``safe``, so a rule may offer a fix in some cases only (as ruff's "fix is
    sometimes available") and an ``UNSAFE`` rule may mix safe and unsafe
    fixes. New kinds (say, fixes only shown, never applied) are new members.
    """

    #: Every fix keeps what the author meant (the value a trainer reads, or
    #: the one a key was plainly meant to have); ``--fix`` applies them.
    SAFE = "safe"
    #: Some fixes change data (dropping a duplicate record); applied only when
    #: asked for, never by a plain ``--fix``.
    UNSAFE = "unsafe"


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A change to the dataset record a finding is located in.

    With ``remove`` the whole record goes. With ``append``, ``content`` is
    appended to the string that the JSON Pointer ``pointer`` names in the
    record (a rule that sees only a summary of the record, not its text,
    can still say "end it with this"). Otherwise the characters ``start``
    to ``end`` (0-based code points, end exclusive) of that string are
    replaced by ``content``: an empty ``content`` deletes, equal ``start``
    and ``end`` insert. Changes are spans rather than whole new strings so
    that two findings on one string (a stray BOM and a trailing space) fix
    together when they do not overlap.
    """

    pointer: str = ""
    start: int = 0
    end: int = 0
    content: str = ""
    remove: bool = False
    append: bool = False


@dataclass(frozen=True, slots=True)
class Fix:
    """A change that resolves a finding.

    A fix edits a config file's text (``edits``) or dataset records
    (``changes``). ``safe`` fixes keep meaning (a YAML scalar quoted so that
    every loader reads it the same, an exact duplicate removed); unsafe ones
    need judgement (a near-duplicate removed) and are applied only when asked
    for (``--unsafe-fixes``).
    """

    description: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True
    changes: tuple[RecordChange, ...] = ()

    @classmethod
    def remove_record(cls, description: str, *, safe: bool) -> Fix:
        """A fix that removes the finding's record."""
        return cls(description, safe=safe, changes=(RecordChange(remove=True),))

    @classmethod
    def replace_in_string(
        cls, description: str, pointer: str, spans: Iterable[tuple[int, int, str]], *, safe: bool
    ) -> Fix:
        """A fix that replaces ``(start, end, content)`` spans of the string at
        ``pointer`` in the finding's record."""
        changes = tuple(RecordChange(pointer, start, end, content) for start, end, content in spans)
        return cls(description, safe=safe, changes=changes)

    @classmethod
    def append_to_string(cls, description: str, pointer: str, content: str, *, safe: bool) -> Fix:
        """A fix that appends ``content`` to the string at ``pointer`` in the
        finding's record."""
        change = RecordChange(pointer, content=content, append=True)
        return cls(description, safe=safe, changes=(change,))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found.

    ``content_key`` identifies *what* the finding is about independently of where
    it is (a record's content hash, a config key); the engine builds the
    fingerprint from rule code, path, content key and pointer, so that baselines
    and SARIF ``partialFingerprints`` survive lines inserted above.
    """

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    related: tuple[RelatedLocation, ...] = ()
    fix: Fix | None = None
    content_key: str = ""
    fingerprint: str = ""

    @property
    def path(self) -> str:
        return self.location.path

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.code, loc.pointer)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a run looked at and what it found; the reporters' closing line."""

    files: int = 0
    records: int = 0
    configs: int = 0
    findings: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    by_code: dict[str, int] = field(default_factory=dict)
    #: Findings with a safe fix (``--fix``), and with an unsafe one (``--unsafe-fixes``).
    fixable: int = 0
    unsafe_fixable: int = 0
    suppressed: int = 0
    baseline_matched: int = 0
    baseline_stale: int = 0
    truncated: int = 0
    #: Files that could not be read at all (reported as errors, exit status 2).
    unreadable: int = 0
    #: Files a folder run found but did not lint, each as (path, why): a YAML
    #: file that does not parse, or one no framework recognises.
    skipped: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
