"""What one dataset file adds to the run's dataset report, folded record by
record in the same pass as the rules (see :mod:`ftlint.run.statistics`,
which finishes the report from these).

It lives here, below :mod:`ftlint.api`, because each file's
:class:`~ftlint.api.execution.FileOutcome` (public API: executors send it
between processes and machines) carries it. Like a dataset rule's state, the
statistics of a file's byte ranges are merged in file order with
:meth:`FileStatistics.followed_by`, which changes neither part, so a
sharded, cached, parallel or distributed run reports the same numbers as a
run in one process.
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, field

from ftlint.core.records import RecordView, Role
from ftlint.text.normalise import normalise
from ftlint.text.tokens import utf8_length

#: A response this long or shorter (in characters) may be a class label; the
#: same bound as rule B001's.
LABEL_LENGTH = 40
#: Distinct short responses kept per file. Past this the file is no
#: classification data (at most ``MAX_LABELS`` labels plus noise, see
#: :mod:`ftlint.run.statistics`), and counting stops, so memory stays
#: bounded on free-text data.
MAX_DISTINCT = 1024


@dataclass(slots=True)
class FileStatistics:
    """What one file (or byte range of one) adds to the report, record by record.

    ``responses`` counts the normalised short responses (possible labels),
    None once a file has more than :data:`MAX_DISTINCT` of them;
    ``long_responses`` counts responses too long to be labels.
    """

    unparsed: int = 0
    unshaped: int = 0
    shapes: Counter[str] = field(default_factory=Counter)
    turns: Counter[int] = field(default_factory=Counter)
    system_prompts: int = 0
    response_bytes: array[int] = field(default_factory=lambda: array("I"))
    responses: dict[str, int] | None = field(default_factory=dict)
    long_responses: int = 0

    def add(self, view: RecordView | None, parsed: bool) -> None:
        """Count one record: ``view`` is its shaped view (None when it did not
        parse, ``parsed`` False, or matched no shape)."""
        if view is None:
            if parsed:
                self.unshaped += 1
            else:
                self.unparsed += 1
            return
        self.shapes[view.shape] += 1
        turns = view.turns
        self.turns[len(turns)] += 1
        if turns and turns[0].role is Role.SYSTEM and turns[0].text:
            self.system_prompts += 1
        response = view.response_turns
        if not response:
            return
        size = sum(utf8_length(t.text) for t in response)
        self.response_bytes.append(size)
        if view.label is None:  # a KTO record's label judges its response: no class
            self._count_label(view, size)

    def _count_label(self, view: RecordView, size: int) -> None:
        responses = self.responses
        if responses is None:
            return
        # No character takes more than 4 bytes: most responses are known to be
        # too long for a label without joining their text.
        if size > 4 * LABEL_LENGTH or len(text := view.response) > LABEL_LENGTH:
            self.long_responses += 1
            return
        key = normalise(text)
        responses[key] = responses.get(key, 0) + 1
        if len(responses) > MAX_DISTINCT:
            self.responses = None

    def followed_by(self, later: FileStatistics) -> FileStatistics:
        """The statistics of this part of a file and then ``later``'s (a new
        object: neither is changed, so parts merge in any grouping)."""
        responses = None
        if self.responses is not None and later.responses is not None:
            responses = dict(self.responses)
            for key, count in later.responses.items():
                responses[key] = responses.get(key, 0) + count
            if len(responses) > MAX_DISTINCT:
                responses = None
        return FileStatistics(
            unparsed=self.unparsed + later.unparsed,
            unshaped=self.unshaped + later.unshaped,
            shapes=self.shapes + later.shapes,
            turns=self.turns + later.turns,
            system_prompts=self.system_prompts + later.system_prompts,
            response_bytes=self.response_bytes + later.response_bytes,
            responses=responses,
            long_responses=self.long_responses + later.long_responses,
        )
