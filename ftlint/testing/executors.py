"""For testing executors: a plugin whose rule crashes on one record, so
that a test can check that the failure stops the run naming its unit. A
module of ftlint, so that any worker (a Ray worker included) imports it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ftlint.api import Finding, RecordContext, RecordRule, Severity, hookimpl

#: The line of a ``train.jsonl`` file on which :class:`CrashingRule` raises.
CRASH_LINE = 100


class CrashingRule(RecordRule):
    """Raises ``RuntimeError("line 100")`` on line 100 of ``train.jsonl``."""

    code = "ZZ098"
    name = "crashing-on-line-100"
    summary = "Crashes on line 100 of train.jsonl."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterator[Finding]:
        if record.line == CRASH_LINE and record.path.endswith("train.jsonl"):
            raise RuntimeError(f"line {CRASH_LINE}")
        return iter(())


class CrashingPlugin:
    """Registers :class:`CrashingRule` (pass it as an extra plugin)."""

    @staticmethod
    @hookimpl
    def ftlint_rules() -> Sequence[type[RecordRule]]:
        return [CrashingRule]
