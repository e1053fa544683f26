"""One search of each text of a record for every rule that looks for something in texts.

Several record rules read every text of every record for something rare:
markup residue (N001), control characters (N002), whitespace at the edges
(N003), AI boilerplate (N004), template tokens (P006), placeholders (S006).
Each searching every text on its own, with Python's ``re``, cost the default
command more than reading, parsing and every other rule together: on clean
generated chat data those six took 2.4 s of a 5.8 s single-core run over
40 MB, for findings on a few records in a hundred.

So a rule declares a *trigger* (:meth:`RecordRule.text_trigger
<ftlint.api.rules.RecordRule.text_trigger>`): a regular expression that
every text it could report on contains. A :class:`TextScan` compiles the
triggers of a run's rules into one `RE2 <https://github.com/google/re2>`_
set, which searches a text for all of them at once, in one pass and in time
linear in the text, and tells which matched. The engine calls a rule only on
the records where its trigger matched some text; most records are shown to
none of these rules at all. Searching each text once for the six triggers
takes about 1.6 µs a text, a tenth of what the rules' own searches took.

RE2's syntax is Python's without lookarounds and backreferences, and its
``\\s``, ``\\d``, ``\\w`` and ``\\b`` are ASCII: a trigger spells wider classes
out (``\\p{Nd}``, :data:`WHITESPACE`). A trigger RE2 refuses (a plugin's
lookbehind) is searched with Python's ``re`` on its own, which is correct
but slower. A text RE2 cannot take (one with lone surrogates, which UTF-8
cannot encode) matches every trigger: the rules decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import re2

from ftlint.text.normalise import WIDE_WHITESPACE

#: Every character ``str.isspace`` takes for whitespace, as a character class
#: (RE2's ``\\s`` knows ASCII only). ``tests/test_scan.py`` checks it against
#: every code point.
WHITESPACE = f"[\t-\r\x1c-\x20{WIDE_WHITESPACE}]"

#: RE2's memory for a set's automaton. The default (8 MiB) is enough for the
#: built-in triggers; a set that outgrows its budget does not fail but
#: reports no match (RE2 has no slower fallback for sets), so it gets room to
#: spare. It is an upper bound, not an allocation.
_MAX_MEMORY = 256 << 20


class TextScan:
    """The triggers of a run's rules, searched in one pass over each text.

    ``triggers[i]`` is rule ``i``'s; :meth:`matching` answers with those
    indexes. Picklable as its triggers: the compiled set is built again in
    each process on first use.
    """

    def __init__(self, triggers: Sequence[str]) -> None:
        self.triggers = tuple(triggers)
        self._compiled: _Compiled | None = None

    def matching(self, texts: Iterable[str]) -> set[int]:
        """The indexes of the triggers that match at least one of ``texts``."""
        compiled = self._compiled or self._compile()
        # Bound to locals: this runs for every text of every record.
        match, numbered, by_python = compiled.match, compiled.numbered, compiled.by_python
        found: set[int] = set()
        for text in texts:
            if match is not None:
                try:
                    hits = match(text.encode("utf-8"))
                except UnicodeEncodeError:  # lone surrogates: every rule looks
                    return set(range(len(self.triggers)))
                if hits:
                    found.update(map(numbered.__getitem__, hits))
            for index, pattern in by_python:
                if pattern.search(text) is not None:
                    found.add(index)
        return found

    def _compile(self) -> _Compiled:
        self._compiled = _Compiled(self.triggers)
        return self._compiled

    def __getstate__(self) -> tuple[str, ...]:
        return self.triggers

    def __setstate__(self, state: tuple[str, ...]) -> None:
        self.triggers, self._compiled = state, None

    def __repr__(self) -> str:
        return f"TextScan({self.triggers!r})"


class _Compiled:
    """The RE2 set of the triggers RE2 takes, and Python patterns for the rest."""

    def __init__(self, triggers: Sequence[str]) -> None:
        searched = re2.Set.SearchSet(_options())
        #: Set index -> trigger index (the set numbers only what it took).
        self.numbered: list[int] = []
        self.by_python: list[tuple[int, re.Pattern[str]]] = []
        for index, trigger in enumerate(triggers):
            try:
                searched.Add(trigger)
            except re2.error:  # not RE2's syntax
                self.by_python.append((index, re.compile(trigger)))
            else:
                self.numbered.append(index)
        #: The set's search of UTF-8 text: the indexes of the triggers that
        #: match, or None; None itself when RE2 took no trigger.
        self.match: Callable[[bytes], list[int] | None] | None = None
        if self.numbered:
            searched.Compile()
            self.match = searched.Match


def _options() -> Any:
    options = re2.Options()
    options.max_mem = _MAX_MEMORY
    return options


def uses_re2(trigger: str) -> bool:
    """Whether RE2 searches ``trigger`` (else Python's ``re`` does, slowly):
    the tests hold every built-in trigger to it."""
    try:
        re2.compile(trigger, _options())
    except re2.error:
        return False
    return True
