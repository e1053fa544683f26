"""Rule isolation: a rule that raises is one error, never the end of the run.

As flake8's ``PluginExecutionFailed`` and sqlfluff's lint errors: the engine
calls every rule's ``check``, ``add``, ``merge`` and ``finish`` (built-in or
plugin) inside a ``try``; an exception becomes a :class:`~ftlint.api.execution.RuleFailure` naming
the rule, its plugin, the step and the file and line it failed on. The rule
is skipped for the rest of that file (its state is half-built) and in every
dataset's ``finish``; every other rule runs as usual, so their findings are
still reported, and the run exits 2. The traceback is kept, to be shown when
``FTLINT_DEBUG`` is set.

Anything else that raises while a file is linted (a plugin's reader or shape,
or a bug in ftlint) ends that file only: it becomes the file's error, which
says it is an internal error, names the file and line, and asks for a report.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable

from ftlint.api.execution import RuleFailure


def failure_messages(failures: Iterable[RuleFailure]) -> list[str]:
    """One error per failing rule (its first failure, in file order), with
    the traceback when ``FTLINT_DEBUG`` is set."""
    first: dict[str, RuleFailure] = {}
    counts: dict[str, int] = {}
    for failure in failures:
        first.setdefault(failure.code, failure)
        counts[failure.code] = counts.get(failure.code, 0) + 1
    debug = bool(os.environ.get("FTLINT_DEBUG"))
    return [f.message(counts[code] - 1, debug=debug) for code, f in first.items()]


def internal_error(where: str, error: BaseException) -> str:
    """The error of a file whose linting raised ``error`` outside any rule."""
    text = (
        f"{where}: internal error while linting: {type(error).__name__}: {error} "
        "(set FTLINT_DEBUG=1 for the traceback, and please report it)"
    )
    if os.environ.get("FTLINT_DEBUG"):
        text += "\n" + "".join(traceback.format_exception(error)).rstrip()
    return text
