"""L004 reference-contamination."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import Field

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    Location,
    RecordContext,
    RelatedLocation,
    RuleOptions,
    Severity,
)
from ftlint.api.text import BATCH, U64, References, hash_hex, offsets_of, shingles


@dataclass(frozen=True, slots=True)
class Hit:
    """A record that shares n-grams with a reference item."""

    line: int
    column: int
    content_hash: int
    reference_path: str
    reference_line: int
    shared: int


@dataclass
class Contamination:
    """Per file: the records that share n-grams with a reference item.

    Records are matched in batches (numpy is fast on many at once); the
    words of the records waiting for the next batch are kept as hashes. The
    references are the run's, attached by ``add`` and never pickled: a state
    is matched to the end before it is pickled.
    """

    size: int
    hits: list[Hit] = field(default_factory=list)
    pending: list[tuple[int, int, int, U64]] = field(default_factory=list)
    references: References | None = None

    def add(self, record: RecordContext, references: References) -> None:
        self.references = references
        normalised = record.normalised
        words = normalised.word_hashes
        if len(words) >= self.size:
            line, column = record.record.line, record.record.column
            self.pending.append((line, column, normalised.content_hash, words))
            if len(self.pending) >= BATCH:
                self.flush()

    def flush(self) -> None:
        if self.pending:
            self.hits = self._matched()
            self.pending = []

    def _matched(self) -> list[Hit]:
        """The hits with those of the pending records after them (this state
        is not changed)."""
        if not self.pending or self.references is None:
            return self.hits
        index = self.references.index(self.size)
        words = np.concatenate([p[3] for p in self.pending])
        grams, offsets = shingles(words, offsets_of([len(p[3]) for p in self.pending]), self.size)
        items, shared = index.best_items(grams, offsets)
        hits = list(self.hits)
        for (line, column, content, _), item, number in zip(
            self.pending, items.tolist(), shared.tolist(), strict=True
        ):
            if item >= 0:
                where = self.references.items[item]
                hits.append(Hit(line, column, content, where.path, where.line, number))
        return hits

    def followed_by(self, later: Contamination) -> Contamination:
        """This state then ``later``'s, as a new state (neither is changed)."""
        return Contamination(
            self.size,
            self._matched() + later.hits,
            list(later.pending),
            self.references or later.references,
        )

    def __getstate__(self) -> dict[str, Any]:
        return {"size": self.size, "hits": self._matched(), "pending": [], "references": None}


class ReferenceContaminationOptions(RuleOptions):
    ngram: int = Field(
        default=13,
        ge=3,
        le=50,
        description="Words per n-gram; a reference text shorter than that is not looked for.",
    )
    min_shared: int = Field(
        default=1,
        ge=1,
        description="N-grams a record must share with one reference item to be reported.",
    )


class ReferenceContamination(DatasetRule[Contamination]):
    """## What it does
    Checks that no training record contains text of the reference files the
    run names (`--reference FILE`, any number of times, or `references` in
    settings): typically the test set of a benchmark the model will be
    evaluated on. A record is reported when it shares at least `min-shared`
    word `ngram`-grams (13 by default, as in the GPT-3 and Llama
    contamination studies) with one reference item, with that item as
    related location. Texts are normalised as in D001. Train files and files
    with no split are checked; validation and test files are not.

    A reference file is a JSON Lines, JSON, CSV or Parquet file (each record
    an item, all of its strings its text, whatever its fields) or plain text
    (each paragraph an item). An n-gram found in more than 10 reference
    items is template text (an instruction every question repeats) and is
    not looked for. Without reference files the rule does nothing.

    ## Why is this bad?
    A model fine-tuned on a benchmark's test questions scores well on that
    benchmark for the wrong reason: the score measures memory, and any
    comparison with other models becomes meaningless. Benchmarks leak into
    fine-tuning data through scraped web text and through synthetic data
    generated from prompts that quote them.

    ## Example
    With `--reference gsm8k_test.jsonl`, where the benchmark holds
    `{"question": "Natalia sold clips to 48 of her friends in April, and then ..."}`,
    a training record that contains this question.

    Use instead:
    Remove training records that overlap the benchmarks you evaluate on.
    """

    code = "L004"
    name = "reference-contamination"
    summary = "A training record contains text of a reference file (a benchmark)."
    severity = Severity.ERROR
    Options = ReferenceContaminationOptions
    requires = frozenset({"references"})

    def start(self) -> Contamination:
        return Contamination(self.options.ngram)

    def add(self, state: Contamination, record: RecordContext) -> None:
        split = record.file.split
        if record.references is not None and (split is None or not split.is_eval):
            state.add(record, record.references)

    def merge(self, earlier: Contamination, later: Contamination) -> Contamination:
        return earlier.followed_by(later)

    def finish(self, files: Sequence[FileState[Contamination]]) -> Iterator[Finding]:
        for file_state in files:
            file_state.state.flush()
            path = file_state.file.display
            for hit in file_state.state.hits:
                if hit.shared >= self.options.min_shared:
                    yield self._finding(path, hit)

    def _finding(self, path: str, hit: Hit) -> Finding:
        size = self.options.ngram
        reference = Location(hit.reference_path, hit.reference_line)
        return self.finding(
            f"record shares {hit.shared:,} word {size}-gram{'s' if hit.shared != 1 else ''} "
            f"with the reference at {hit.reference_path}:{hit.reference_line}",
            Location(path, hit.line, hit.column),
            related=[RelatedLocation(reference, "reference text")],
            content_key=hash_hex(hit.content_hash),
        )
