"""Reading reference files (``--reference``) into the n-gram index of
:class:`~ftlint.text.references.References`."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ftlint.readers.base import Reader, ReadError, reader_for
from ftlint.text.minhash import U64, offsets_of
from ftlint.text.normalise import word_hashes
from ftlint.text.references import ReferenceItem, References


def load_references(paths: Sequence[tuple[Path, str]], readers: Sequence[Reader]) -> References:
    """Read reference files, given as (path, display path) pairs.

    A file one of ``readers`` accepts (:func:`~ftlint.readers.base.reader_for`)
    is read as records; any other as plain text, a paragraph an item. Raises
    :class:`ReadError` when a file cannot be read.
    """
    items: list[ReferenceItem] = []
    strings: list[U64] = []
    item_of: list[int] = []
    for path, display in paths:
        if not path.is_file():
            raise ReadError(f"{display}: reference file not found")
        reader = reader_for(path, readers)
        found = _records(reader, path, display) if reader else _paragraphs(path, display)
        for line, texts in found:
            hashed = [h for h in (word_hashes(t) for t in texts) if len(h)]
            if not hashed:
                continue
            strings.extend(hashed)
            item_of.extend([len(items)] * len(hashed))
            items.append(ReferenceItem(display, line))
    words = np.concatenate(strings) if strings else np.empty(0, dtype=np.uint64)
    offsets = offsets_of([len(s) for s in strings])
    return References(items, words, offsets, np.asarray(item_of, dtype=np.int64))


def _records(reader: Reader, path: Path, display: str) -> Iterator[tuple[int, list[str]]]:
    for record in reader.read(path, display):
        if record.ok:
            yield record.line, list(_strings(record.value))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _paragraphs(path: Path, display: str) -> Iterator[tuple[int, list[str]]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise ReadError(f"{display}: cannot read reference file: {error.strerror}") from error
    line = 1
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        block = text[position:end]
        if block.strip():
            leading = len(block) - len(block.lstrip("\n"))
            yield line + block.count("\n", 0, leading), [block]
        if match:
            line += text.count("\n", position, match.end())
            position = match.end()


_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
