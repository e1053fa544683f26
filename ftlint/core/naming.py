"""What a file's name says: its compression, its format and its split."""

from __future__ import annotations

import re
from pathlib import Path

from ftlint.core.records import Split

_SPLIT_WORDS = {
    "train": Split.TRAIN,
    "training": Split.TRAIN,
    "valid": Split.VALIDATION,
    "validation": Split.VALIDATION,
    "val": Split.VALIDATION,
    "dev": Split.VALIDATION,
    "eval": Split.VALIDATION,
    "evaluation": Split.VALIDATION,
    "test": Split.TEST,
    "testing": Split.TEST,
}


_WORD = re.compile(r"[A-Za-z]+")


def split_from_name(path: Path) -> Split | None:
    """The split a file's name states (one split word among its words), else the
    split its folder is named after (``train/``, ``valid/``, exactly)."""
    words = _WORD.findall(_stem(path.name).lower())
    splits = {_SPLIT_WORDS[w] for w in words if w in _SPLIT_WORDS}
    if splits:
        return splits.pop() if len(splits) == 1 else None
    # Only an exact folder name: `tests/fixtures/` or `test_data/` is no split.
    return _SPLIT_WORDS.get(path.parent.name.lower())


def _stem(name: str) -> str:
    for suffix in (".gz", ".zst", ".bz2", ".xz"):
        name = name.removesuffix(suffix)
    return name.rsplit(".", 1)[0]
