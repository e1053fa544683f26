"""B003 dominant-response."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from ftlint.api import FileState, Finding, Location, RelatedLocation, RuleOptions, Severity
from ftlint.api.text import hash_hex

from .._compare import (
    LABEL_NOISE,
    MAX_LABELS,
    ResponseRule,
    Responses,
    ResponseStats,
    describe_response,
    percent,
    split_groups,
    split_name,
)


class DominantResponseOptions(RuleOptions):
    max_share: float = Field(
        default=0.05,
        gt=0.0,
        lt=1.0,
        description="The largest share of a split one response may have.",
    )
    min_count: int = Field(
        default=5,
        ge=2,
        description=(
            "The fewest copies reported, so that two equal answers in a ten-record file are not."
        ),
    )


class DominantResponse(ResponseRule):
    """## What it does
    Checks that no single response text (a refusal, "I don't know", a
    canned answer) makes up more than `max-share` (5%) of a split's records,
    counting records with a response, and occurs at least `min-count` times.
    Responses are compared normalised, as in D001. The finding is at the
    split's first file, with the first record of that response as related
    location. Classification-like splits (see B001), whose responses are
    labels by design, are not checked.

    ## Why is this bad?
    A model learns the most frequent answer as a safe default: trained on a
    dataset where one in ten responses is "I'm sorry, I can't help with
    that", it refuses far more than it should. A dominant response often
    comes from a generation step that failed and returned a fallback.

    ## Example
    ```jsonl
    {"instruction": "Summarise the report.", "input": "", "output": "I cannot help with that."}
    {"instruction": "Translate to French.", "input": "", "output": "I cannot help with that."}
    {"instruction": "Write a haiku.", "input": "", "output": "I cannot help with that."}
    {"instruction": "List three fruits.", "input": "", "output": "I cannot help with that."}
    {"instruction": "Name a colour.", "input": "", "output": "I cannot help with that."}
    {"instruction": "Add 2 and 2.", "input": "", "output": "4"}
    {"instruction": "Spell cat.", "input": "", "output": "C-A-T"}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Summarise the report.", "input": "", "output": "Sales rose."}
    {"instruction": "Translate to French.", "input": "", "output": "Bonjour."}
    {"instruction": "Add 2 and 2.", "input": "", "output": "4"}
    ```
    """

    code = "B003"
    name = "dominant-response"
    summary = "One response text makes up a large share of a split."
    severity = Severity.WARNING
    Options = DominantResponseOptions

    def finish(self, files: Sequence[FileState[ResponseStats]]) -> Iterator[Finding]:
        options = self.options
        for group in split_groups(files):
            responses = Responses.of(group)
            # Classification data (see B001) is made of repeated responses: not checked.
            if responses.total == 0 or responses.labels(MAX_LABELS, LABEL_NOISE) is not None:
                continue
            for index, number in enumerate(responses.counts.tolist()):
                share = number / responses.total
                if share <= options.max_share or number < options.min_count:
                    break  # most frequent first: no later one qualifies
                yield self._finding(group, responses, index, share)

    def _finding(
        self,
        group: Sequence[FileState[ResponseStats]],
        responses: Responses,
        index: int,
        share: float,
    ) -> Finding:
        key, row = int(responses.keys[index]), int(responses.first_rows[index])
        number = int(responses.counts[index])
        name = " ".join(describe_response(responses, key, row))
        return self.finding(
            f"response {name} makes up {percent(share)} of the {split_name(group)} "
            f"({number:,} of {responses.total:,} records), over {percent(self.options.max_share)}",
            Location(group[0].file.display),
            related=[
                RelatedLocation(responses.table.location(row), "first record with this response")
            ],
            content_key=hash_hex(key),
        )
