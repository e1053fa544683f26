"""The finding model: small, plain, frozen data shared by rules, engine and reporters.

A rule produces :class:`Finding` objects; the engine settles their severity,
filters them and gives them a fingerprint; a reporter turns them into text.
Nothing here knows about files, records or plugins.
"""

from __future__ import annotations

import enum
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
class Fix:
    """A change that resolves a finding.

    ``safe`` fixes keep meaning (a YAML scalar quoted so that every loader reads
    it the same); unsafe ones change data (dropping a duplicate record) and are
    applied only when asked for.
    """

    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


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
    fixable: int = 0
    suppressed: int = 0
    baseline_matched: int = 0
    baseline_stale: int = 0
    truncated: int = 0
    #: Files that could not be read at all (reported as errors, exit status 2).
    unreadable: int = 0
    seconds: float = 0.0
