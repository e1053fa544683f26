"""What a file's name says: its compression, its format and its split."""

from __future__ import annotations

import re
from pathlib import Path

from ftlint.core.records import Split

#: The compressions a dataset file may carry, as name suffixes. Each has a
#: codec in :mod:`ftlint.readers.compression`; this is the one list of them.
COMPRESSION_SUFFIXES = (".gz", ".zst")

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
    splits = _splits_in(_stem(path.name))
    if splits:
        return splits.pop() if len(splits) == 1 else None
    return split_of_folder(path.parent)


def split_of_folder(folder: Path) -> Split | None:
    """The split a folder is named after: ``train/``, ``valid/``, ``dev/``.
    Only an exact name: ``tests/fixtures/`` or ``test_data/`` is no split."""
    return _SPLIT_WORDS.get(folder.name.lower())


def split_from_words(name: str) -> Split | None:
    """The split a split name states by its words (``test_prefs``, ``dev``),
    as a file name would; None for none or several."""
    splits = _splits_in(name)
    return splits.pop() if len(splits) == 1 else None


def _splits_in(name: str) -> set[Split]:
    return {_SPLIT_WORDS[w] for w in _WORD.findall(name.lower()) if w in _SPLIT_WORDS}


def without_compression(name: str) -> str:
    """``name`` without its compression suffix: ``train.jsonl.gz`` is
    ``train.jsonl`` (case kept; the suffix matched in any case)."""
    lower = name.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def with_compression(suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """``suffixes`` followed by each of them with every compression suffix:
    ``(".csv",)`` gives ``(".csv", ".csv.gz", ".csv.zst")``."""
    return suffixes + tuple(s + c for s in suffixes for c in COMPRESSION_SUFFIXES)


def _stem(name: str) -> str:
    """The name without compression and format suffixes: ``train.jsonl.gz`` -> ``train``."""
    return without_compression(name).rsplit(".", 1)[0]
