"""A rule that crashes on line 100 of a train file, importable by Ray's
workers (the tests put this folder on their ``PYTHONPATH``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ftlint.api import Finding, RecordContext, RecordRule, Severity, hookimpl


class Crashing(RecordRule):
    """Raises on line 100 of ``train.jsonl``."""

    code = "ZZ098"
    name = "crashing-on-line-100"
    summary = "Crashes."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterator[Finding]:
        if record.line == 100 and record.path.endswith("train.jsonl"):
            raise RuntimeError("line 100")
        return iter(())


class CrashingPlugin:
    @staticmethod
    @hookimpl
    def ftlint_rules() -> Sequence[type[RecordRule]]:
        return [Crashing]
