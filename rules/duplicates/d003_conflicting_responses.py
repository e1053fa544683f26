"""D003 conflicting-responses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

import numpy as np

from ftlint.api import (
    DatasetFile,
    FileState,
    Finding,
    Keyed,
    Location,
    RecordContext,
    RelatedLocation,
    Severity,
)
from ftlint.api.text import NO_TEXT, HashedRecords, Stacked, first_occurrences, hash_hex, stack

from .._compare import HashingRule, split_groups, where
from .._partition import in_order, location, member_of, paired, rows_of, runs, split_members

_PROMPT, _RESPONSE = 0, 1


class ConflictingResponses(HashingRule):
    """## What it does
    Checks that a prompt (every turn before the response, system prompt
    included, normalised as in D001) is answered the same way wherever it
    occurs in a split. Each prompt answered in more than one way is reported
    once, at its first record whose response differs from the response of
    the prompt's first record (the related location), with the number of
    different responses. Records with no prompt or no response (plain `text`)
    and KTO records (where one prompt with a good and a bad answer is the
    point) are not checked; identical records are D001's.

    ## Why is this bad?
    Two answers to one question teach the model that either will do: it
    learns neither well, and a classifier trained on contradictory labels
    learns noise. Conflicts usually come from merging sources that
    disagree, or from labelling errors.

    ## Example
    ```jsonl
    {"instruction": "Is the sky blue?", "input": "", "output": "Yes."}
    {"instruction": "Is the sky blue?", "input": "", "output": "No."}
    ```

    Use instead:
    ```jsonl
    {"instruction": "Is the sky blue?", "input": "", "output": "Yes."}
    {"instruction": "Is grass green?", "input": "", "output": "Yes."}
    ```
    """

    code = "D003"
    name = "conflicting-responses"
    summary = "One prompt has different responses in one split."
    severity = Severity.WARNING
    width = 2

    def add(self, state: HashedRecords, record: RecordContext) -> None:
        assert record.view is not None
        if record.view.label is not None:
            return
        normalised = record.normalised
        prompt, response = normalised.prompt_hash, normalised.response_hash
        if prompt != NO_TEXT and response != NO_TEXT:
            state.append(record, prompt, response)

    def finish(self, files: Sequence[FileState[HashedRecords]]) -> Iterator[Finding]:
        for group in split_groups(files):
            table = stack(group, self.width)
            prompts, responses = table.hashes[:, _PROMPT], table.hashes[:, _RESPONSE]
            first = first_occurrences(prompts)
            differs = responses != responses[first]
            if not differs.any():
                continue
            # One finding per prompt, at its first record answered differently;
            # the counts only over the records of those prompts (a small part).
            conflicting = np.flatnonzero(differs)
            _, firsts = np.unique(prompts[conflicting], return_index=True)
            reported = np.sort(conflicting[firsts])
            involved = np.isin(prompts, prompts[reported])
            records = Counter(prompts[involved].tolist())
            answers = Counter(
                p
                for p, _ in set(
                    zip(prompts[involved].tolist(), responses[involved].tolist(), strict=True)
                )
            )
            for row in reported.tolist():
                prompt = int(prompts[row])
                yield self._finding(table, row, int(first[row]), answers[prompt], records[prompt])

    finishes_by_partition = True

    def emit(self, files: Sequence[DatasetFile], index: int, state: HashedRecords) -> Keyed:
        group, member = member_of(split_members(files), files[index]) or (0, 0)
        responses = state.table()[:, _RESPONSE]
        return rows_of(state, _PROMPT, group, member, [("response", "u8", responses)])

    def pairs(self, rows: Keyed) -> Keyed:
        """For each prompt of a split answered differently, its first record
        answered differently and its first record, with the counts."""
        ordered, starts = runs(rows)
        sizes = np.diff(starts)
        run_of = np.repeat(np.arange(len(sizes)), sizes)
        first = starts[:-1][run_of]
        conflicting = np.flatnonzero(ordered["response"] != ordered["response"][first])
        conflicted, at = np.unique(run_of[conflicting], return_index=True)
        reported = conflicting[at]
        answered = np.unique(np.stack([run_of, ordered["response"].astype(np.int64)]), axis=1)
        answers = np.bincount(answered[0], minlength=len(sizes))
        counts = [("answers", "i8"), ("records", "i8"), ("key", "u8")]
        found = paired(ordered[reported], ordered[first[reported]], counts)
        found["answers"], found["records"] = answers[conflicted], sizes[conflicted]
        found["key"] = ordered["key"][reported]
        return found

    def finish_pairs(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> Iterator[Finding]:
        groups = split_members(files)
        for pair in in_order(found, ""):
            yield self._report(
                location(groups, pair, ""),
                location(groups, pair, "first_"),
                int(pair["answers"]),
                int(pair["records"]),
                int(pair["key"]),
            )

    def _finding(
        self, table: Stacked, row: int, first: int, distinct: int, records: int
    ) -> Finding:
        here, original = table.location(row), table.location(first)
        return self._report(here, original, distinct, records, int(table.hashes[row, _PROMPT]))

    def _report(
        self, here: Location, original: Location, distinct: int, records: int, prompt: int
    ) -> Finding:
        return self.finding(
            f"prompt also at {where(original, here.path)} has a different response there "
            f"({distinct:,} different responses in {records:,} records with this prompt "
            "in this split)",
            here,
            related=[RelatedLocation(original, "first record with this prompt")],
            content_key=hash_hex(prompt),
        )
