"""T002 length-outlier."""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import Field

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    Location,
    RecordContext,
    Role,
    RuleOptions,
    Severity,
)
from ftlint.api.text import TokenLengths, quantile

from .._sample import Sample, located, raw_hash_int

#: How many of a file's longest records are kept with their locations.
LONGEST_CAP = 1000

#: A long record: (token bound, -index, line, column, raw hash, exact tokens or
#: -1 when not counted). Ordered by the bound, known for every record when it
#: is added, then earlier first, so that the kept set does not depend on
#: sharding; the length is resolved (exact, else estimated) in ``finish``.
Long = tuple[int, int, int, int, int, int]


@dataclass(slots=True)
class Lengths:
    """Per file: every shaped record's token count (exact or estimated, see
    :class:`~ftlint.text.tokens.TokenLengths`), the longest records with their
    locations, and the records whose response is nearly empty. A few bytes a
    record, never the text."""

    totals: TokenLengths = field(default_factory=TokenLengths)
    longest: list[Long] = field(default_factory=list)
    short: Sample = field(default_factory=Sample)


class LengthOutlierOptions(RuleOptions):
    iqr_factor: float = Field(
        default=3.0, gt=0, description="How many interquartile ranges above Q3 the upper fence is."
    )
    min_ratio: float = Field(
        default=4.0, ge=1, description="How many times the median length a record needs besides."
    )
    max_outlier_share: float = Field(
        default=0.02, gt=0, le=1, description="The largest share of a split that can be outliers."
    )
    min_response_tokens: int = Field(
        default=3,
        ge=1,
        description="A response with fewer tokens and no letter or digit is nearly empty.",
    )
    min_records: int = Field(
        default=20, ge=4, description="The fewest records a split needs to be judged for length."
    )


class LengthOutlier(DatasetRule[Lengths]):
    """## What it does
    Compares each record's token count (as T001 counts it) with the other
    records of its split (the files of one split in a dataset) and reports:

    - records longer than the upper fence of the split's lengths,
      `Q3 + iqr-factor * IQR`, and at least `min-ratio` times its median:
      a statistical outlier that is also long in absolute terms. When more
      than `max-outlier-share` of the split is beyond the fence, the lengths
      are long-tailed (web text) and no record stands out: none is reported;
    - records whose response is nearly empty: fewer than
      `min-response-tokens` tokens and not a letter or digit in it (`...`,
      `-`). Short answers with content (`Paris.`, `42`) are answers; empty
      ones are S005's.

    Splits of fewer than `min-records` records are not judged for length.

    Lengths are exact for the first 2,000 records of a file, for every 128th
    record after them and for every record longer than the token limit;
    the others are estimated from their UTF-8 size with the tokens per byte
    measured on the counted records of the same file (usually within a few
    percent for a file of one language). A finding about an estimated
    record says "about N tokens". Nearly empty responses are always counted
    exactly.

    ## Why is this bad?
    A record far longer than the rest is usually an accident: a scraped page,
    a whole conversation pasted into one turn, a runaway generation. It takes
    a large share of the tokens of its batch and pulls the model towards its
    style; a near-empty answer among long ones teaches the model to stop at
    once.

    ## Example
    A split of answers of 100 to 400 tokens with one of 9,000 tokens:
    ```json
    {"instruction": "Describe Paris.", "output": "<9,000 tokens of scraped web page>"}
    ```

    Use instead: remove the record, or cut it to what answers the
    instruction.
    ```json
    {"instruction": "Describe Paris.", "output": "Paris is the capital of France, ..."}
    ```
    """

    code = "T002"
    name = "length-outlier"
    summary = "A record far longer than the rest of its split, or with a nearly empty response."
    severity = Severity.INFO
    Options = LengthOutlierOptions
    requires = frozenset({"tokens"})

    def start(self) -> Lengths:
        return Lengths()

    def add(self, state: Lengths, record: RecordContext) -> None:
        assert record.view is not None  # only shaped records are added
        length = record.token_length
        state.totals.add(length)
        longest = state.longest
        full = len(longest) == LONGEST_CAP
        # Most records are shorter than the shortest kept: one comparison says so.
        if not full or length.bound >= longest[0][0]:
            rank = (length.bound, -record.record.index)
            if not full or rank > longest[0][:2]:
                exact = -1 if length.exact is None else length.exact
                entry = (*rank, record.line, record.record.column, raw_hash_int(record), exact)
                if full:
                    heapq.heapreplace(longest, entry)
                else:
                    heapq.heappush(longest, entry)
        # The cheap tests first: counting the response's tokens is for the rare
        # record whose response has text but no letter or digit. Most records
        # end with an answer that starts with one ([^\W_] is str.isalnum).
        turns = record.view.turns
        if turns and turns[-1].role is Role.ASSISTANT and turns[-1].text[:1].isalnum():
            return
        responses = [t.text for t in record.view.response_turns if t.text]
        if (
            responses
            and not any(map(_ALNUM.search, responses))
            and record.tokens.response < self.options.min_response_tokens
        ):
            state.short.add(record, record.view.response_turns[-1].pointer)

    def merge(self, earlier: Lengths, later: Lengths) -> Lengths:
        longest = heapq.nlargest(LONGEST_CAP, earlier.longest + later.longest)
        heapq.heapify(longest)
        return Lengths(
            earlier.totals.followed_by(later.totals), longest, earlier.short.merge(later.short)
        )

    def finish(self, files: Sequence[FileState[Lengths]]) -> Iterator[Finding]:
        splits: dict[str, list[FileState[Lengths]]] = defaultdict(list)
        for file_state in files:
            split = file_state.file.split
            splits[split.value if split else f"file:{file_state.file.display}"].append(file_state)
        for members in splits.values():
            yield from self._long(members)
            yield from self._short(members)

    def _long(self, members: list[FileState[Lengths]]) -> Iterator[Finding]:
        resolved = [np.asarray(m.state.totals.resolved(), dtype=np.int64) for m in members]
        ordered: list[int] = np.sort(np.concatenate(resolved)).tolist()
        if len(ordered) < self.options.min_records:
            return
        q1, median, q3 = (quantile(ordered, q) for q in (0.25, 0.5, 0.75))
        fence = max(q3 + self.options.iqr_factor * (q3 - q1), self.options.min_ratio * median)
        where = f"median {median:,.0f}, Q3 {q3:,.0f}; outliers from {fence:,.0f}"
        beyond_all = len(ordered) - bisect.bisect_right(ordered, fence)
        if beyond_all > self.options.max_outlier_share * len(ordered):
            return
        for member, lengths in zip(members, resolved, strict=True):
            path = member.file.display
            totals = member.state.totals
            located = 0
            for bound, _, line, column, digest, exact in sorted(member.state.longest, reverse=True):
                tokens = exact if exact >= 0 else totals.estimate(bound)
                if tokens > fence:
                    located += 1
                    about = "" if exact >= 0 else "about "
                    yield self.finding(
                        f"record has {about}{tokens:,} tokens, far more than the rest of its "
                        f"split ({where})",
                        Location(path, line, column),
                        content_key=f"{digest:016x}",
                    )
            beyond = int(np.count_nonzero(lengths > fence)) - located
            if beyond > 0:
                yield self.finding(
                    f"{beyond:,} more records are longer than {fence:,.0f} tokens ({where})",
                    Location(path),
                )

    def _short(self, members: list[FileState[Lengths]]) -> Iterator[Finding]:
        minimum = self.options.min_response_tokens
        for member in members:
            yield from located(
                self,
                [member.state.short],
                member.file.display,
                f"response is nearly empty: under {minimum} tokens, no letter or digit",
                f"{{count}} more responses are nearly empty (under {minimum} tokens)",
            )


#: A character for which ``str.isalnum`` is true: re's ``\w`` less the underscore.
_ALNUM = re.compile(r"[^\W_]")
