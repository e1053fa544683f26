"""Baselines: adopt ftlint on an old dataset without fixing everything first.

``--write-baseline FILE`` records the fingerprints of today's findings;
``--baseline FILE`` then hides findings whose fingerprint is recorded, as many
times as it is recorded, and counts the recorded entries nothing matched any
more (*stale*: fixed since, and safe to drop by writing the baseline again).
Fingerprints do not depend on line numbers, so inserting records above a
baselined finding does not resurface it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ftlint.core.findings import Finding

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read."""


@dataclass(frozen=True, slots=True)
class BaselineResult:
    kept: list[Finding]
    matched: int
    stale: int


def check_baseline_target(path: Path) -> None:
    """Raise :class:`BaselineError` when a baseline cannot be written to ``path``
    (its folder is missing, or it is a folder): before a run, not after it."""
    if path.is_dir():
        raise BaselineError(f"{path}: is a folder; --write-baseline needs a file name")
    if not path.parent.is_dir():
        raise BaselineError(f"{path}: cannot write the baseline: no folder '{path.parent}'")


def write_baseline(path: Path, findings: Sequence[Finding]) -> None:
    entries = [
        {"fingerprint": f.fingerprint, "code": f.code, "path": f.path, "message": f.message}
        for f in findings
    ]
    document = {"version": BASELINE_VERSION, "tool": "ftlint", "findings": entries}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    try:
        # backslashreplace: a lone surrogate quoted from a record becomes its
        # JSON escape (\ud800), which reads back as the same string.
        path.write_text(text, encoding="utf-8", errors="backslashreplace")
    except OSError as error:
        raise BaselineError(f"{path}: cannot write the baseline: {error.strerror}") from error


def read_baseline(path: Path) -> Counter[str]:
    if path.exists() and not path.is_file():  # a folder, a FIFO (reading it would wait)
        raise BaselineError(f"{path}: not a baseline file")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("version") != BASELINE_VERSION:
            raise BaselineError(
                f"{path}: baseline version {document.get('version')!r} is not supported"
            )
        return Counter(str(entry["fingerprint"]) for entry in document["findings"])
    except OSError as error:
        raise BaselineError(f"{path}: cannot read baseline: {error.strerror}") from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BaselineError(f"{path}: not an ftlint baseline file ({error})") from error


def apply_baseline(findings: Sequence[Finding], recorded: Counter[str]) -> BaselineResult:
    remaining = Counter(recorded)
    kept: list[Finding] = []
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
        else:
            kept.append(finding)
    matched = len(findings) - len(kept)
    return BaselineResult(kept, matched, sum(remaining.values()))
