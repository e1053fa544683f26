"""What the near-duplicate rules (D002, L002) share: their options, their
per-file state (a base class keeping it), and stacking their sketches."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import Field

from ftlint.api import DatasetRule, FileState, RecordContext, RuleOptions
from ftlint.api.text import Signatures, SketchedRecords, Stacked, band_layout, first_occurrences

#: A band shared by more records than this is template text, not a sign of
#: duplication (see :func:`ftlint.text.minhash.pairs_within`).
MAX_GROUP = 32


class NearOptions(RuleOptions):
    threshold: float = Field(default=0.8, ge=0.5, le=1.0)
    shingle_size: int = Field(default=5, ge=1, le=20)
    permutations: int = Field(default=256, ge=16, le=2048)


class NearRule(DatasetRule[SketchedRecords]):
    """A rule that keeps a MinHash sketch of each record that has text (D002,
    L002): off by default, as it costs about as much again as the default
    rules."""

    Options = NearOptions
    default_enabled = False

    def state_key(self) -> Hashable:
        # D002 and L002 with the same shingles and bins need the same signatures:
        # computed and kept once.
        return (NearRule, self.options.shingle_size, self.options.permutations)

    def start(self) -> SketchedRecords:
        options = self.options
        return SketchedRecords(options.shingle_size, options.permutations, seed=0x5EED)

    def add(self, state: SketchedRecords, record: RecordContext) -> None:
        normalised = record.normalised
        if normalised.length:
            state.append(record, normalised.content_hash, normalised.word_hashes)

    def merge(self, earlier: SketchedRecords, later: SketchedRecords) -> SketchedRecords:
        return earlier.followed_by(later)


@dataclass(slots=True)
class Sketches:
    """Several files' sketches stacked: positions, content hashes, signatures,
    and which rows take part (they have words and are not an exact copy of
    an earlier row, which is an exact duplicate's business)."""

    table: Stacked
    signatures: Signatures
    eligible: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, group: Sequence[FileState[SketchedRecords]]) -> Sketches:
        table = Stacked.of([(f.file, f.state.records) for f in group], 1)
        parts = [f.state.signatures() for f in group]
        if len(parts) == 1:  # one file (the common case): no copy
            signatures, present = parts[0]
        else:
            bins = group[0].state.bins if group else 0
            signatures = (
                np.concatenate([p[0] for p in parts]) if parts else np.empty((0, bins), np.uint8)
            )
            present = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, bool)
        keys = table.hashes[:, 0]
        unique = first_occurrences(keys) == np.arange(len(keys))
        return cls(table, signatures, present & unique)

    def rows(self) -> npt.NDArray[np.int64]:
        return np.flatnonzero(self.eligible).astype(np.int64)


def layout(options: NearOptions) -> tuple[int, int]:
    return band_layout(options.threshold, options.permutations)
