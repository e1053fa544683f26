"""Measures of text for dataset rules, in one place (re-exported from
:mod:`ftlint.text`).

- Content hashes: :data:`NO_TEXT` (the hash of no text) and :func:`hash_hex`
  (a hash as finding content keys write it); a record's normalised texts and
  hashes are :attr:`RecordContext.normalised <ftlint.api.rules.RecordContext.normalised>`.
- Compact per-file states and the numpy kernels over them, for duplicate and
  leakage rules: :class:`HashedRecords`, :class:`SketchedRecords`,
  :class:`Stacked`, :func:`stack`, :func:`first_occurrences`,
  :func:`occurrences`, :func:`lookup`.
- MinHash signatures and LSH banding, for near-duplicates:
  :class:`Signatures`, :func:`band_layout`, :func:`band_key`,
  :func:`similarity`, :func:`pairs_within`,
  :func:`pairs_between`, :func:`best_matches`, :func:`shingles`,
  :func:`offsets_of`.
- Token lengths: :class:`TokenLengths` and :func:`quantile`.
- Reference texts (``--reference``): :class:`References`.
- For record rules' text triggers: :data:`WHITESPACE`, every character
  ``str.isspace`` takes for whitespace as a character class.
"""

from ftlint.text.hashed import (
    BATCH,
    HashedRecords,
    SketchedRecords,
    Stacked,
    first_occurrences,
    lookup,
    occurrences,
    stack,
)
from ftlint.text.minhash import (
    U64,
    Signatures,
    band_key,
    band_layout,
    best_matches,
    offsets_of,
    pairs_between,
    pairs_within,
    shingles,
    similarity,
)
from ftlint.text.normalise import NO_TEXT, hash_hex
from ftlint.text.references import References
from ftlint.text.scan import WHITESPACE
from ftlint.text.tokens import TokenLengths, quantile

__all__ = [
    "BATCH",
    "NO_TEXT",
    "U64",
    "WHITESPACE",
    "HashedRecords",
    "References",
    "Signatures",
    "SketchedRecords",
    "Stacked",
    "TokenLengths",
    "band_key",
    "band_layout",
    "best_matches",
    "first_occurrences",
    "hash_hex",
    "lookup",
    "occurrences",
    "offsets_of",
    "pairs_between",
    "pairs_within",
    "quantile",
    "shingles",
    "similarity",
    "stack",
]
