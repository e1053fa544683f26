"""For testing executors: a plugin whose rules crash, so that a test can
check how each crash is reported wherever the unit ran. A module of ftlint,
so that any worker (a Ray worker included) imports it.

:class:`CrashingRule` raises in ``check`` on one record: rule isolation
makes that one error naming the file and line (an absolute line, so it
checks the numbering of byte-range units too), and the run goes on.
:class:`CrashingStartRule` raises when a unit starts its state, outside
any record: that escapes the unit, which the run reports as a
:class:`~ftlint.api.execution.UnitError` naming the unit."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    RecordContext,
    RecordRule,
    Rule,
    Severity,
    hookimpl,
)

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


class CrashingStartRule(DatasetRule[None]):
    """Raises ``RuntimeError("cannot start")`` when a unit starts its state."""

    code = "ZZ097"
    name = "crashing-on-start"
    summary = "Crashes when a unit starts."
    severity = Severity.ERROR

    def start(self) -> None:
        raise RuntimeError("cannot start")

    def add(self, state: None, record: RecordContext) -> None:
        """Never reached: :meth:`start` raised."""

    def merge(self, earlier: None, later: None) -> None:
        """Never reached: :meth:`start` raised."""

    def finish(self, files: Sequence[FileState[None]]) -> Iterator[Finding]:
        return iter(())


class CrashingPlugin:
    """Registers :class:`CrashingRule` and :class:`CrashingStartRule` (pass it
    as an extra plugin)."""

    @staticmethod
    @hookimpl
    def ftlint_rules() -> Sequence[type[Rule]]:
        return [CrashingRule, CrashingStartRule]
