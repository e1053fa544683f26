"""Finishing the exact-key rules by partitions (D001, D003, L001): each file's
rows are emitted with their key (a content or prompt hash), an executor
sends the rows of one key to one partition, and each partition finds what
the whole-dataset ``finish`` would find for its keys. A record is placed by
its *group* (a split, as :func:`~._compare.split_groups` makes them, or the
train and eval sides), its *member* (the file's position in the group) and
its row, so that "the first occurrence" is the same in both ways."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ftlint.api import DatasetFile, FileState, Location
from ftlint.api.text import HashedRecords

from ._compare import split_groups, train_and_eval

#: One emitted record: its key, where it is in its group, and its position.
ROW = [
    ("key", "u8"),
    ("group", "i4"),
    ("member", "i4"),
    ("row", "i8"),
    ("line", "u4"),
    ("column", "u4"),
]
#: How many records share the key of a pair, and the key.
COUNTED = [("copies", "i8"), ("key", "u8")]
#: Where a record is, in a pair a partition found.
PLACE = [("group", "i4"), ("member", "i4"), ("row", "i8"), ("line", "u4"), ("column", "u4")]


def rows_of(
    state: HashedRecords,
    key_column: int,
    group: int,
    member: int,
    extra: Sequence[tuple[str, str, npt.NDArray[np.generic]]] = (),
) -> npt.NDArray[np.void]:
    """The rows of one file's hashed state, keyed by its ``key_column``, with
    ``extra`` fields (name, dtype, values)."""
    count = len(state)
    rows = np.empty(count, dtype=ROW + [(name, kind) for name, kind, _ in extra])
    rows["key"] = state.table()[:, key_column]
    rows["group"], rows["member"] = group, member
    rows["row"] = np.arange(count)
    rows["line"] = np.frombuffer(state.lines, dtype=np.uint32) if count else 0
    rows["column"] = np.frombuffer(state.columns, dtype=np.uint32) if state.columns else 1
    for name, _, values in extra:
        rows[name] = values
    return rows


def runs(
    rows: npt.NDArray[np.void], *, across_groups: bool = False
) -> tuple[npt.NDArray[np.void], npt.NDArray[np.int64]]:
    """``rows`` in (group, key, member, row) order, and where each run of one
    (group, key) starts (with the end as the last value). ``across_groups``:
    in (key, group, member, row) order, a run for each key."""
    if across_groups:
        order = np.lexsort((rows["row"], rows["member"], rows["group"], rows["key"]))
    else:
        order = np.lexsort((rows["row"], rows["member"], rows["key"], rows["group"]))
    ordered = rows[order]
    if not len(ordered):
        return ordered, np.zeros(1, dtype=np.int64)
    new = ordered["key"][1:] != ordered["key"][:-1]
    if not across_groups:
        new |= ordered["group"][1:] != ordered["group"][:-1]
    starts = np.flatnonzero(np.r_[True, new]).astype(np.int64)
    return ordered, np.r_[starts, len(ordered)]


def paired(
    later: npt.NDArray[np.void],
    first: npt.NDArray[np.void],
    extra: Sequence[tuple[str, str]] = (),
) -> npt.NDArray[np.void]:
    """Pairs of a ``later`` record and its ``first`` (rows of the same length):
    where each is (the first's fields prefixed ``first_``), and ``extra``
    fields left for the caller to fill."""
    found = np.empty(len(later), dtype=[*placed(""), *placed("first_"), *extra])
    for name, _ in PLACE:
        found[name] = later[name]
        found["first_" + name] = first[name]
    return found


def placed(prefix: str) -> list[tuple[str, str]]:
    return [(prefix + name, kind) for name, kind in PLACE]


def location(groups: Sequence[Sequence[DatasetFile]], pair: np.void, prefix: str) -> Location:
    file = groups[int(pair[prefix + "group"])][int(pair[prefix + "member"])]
    return Location(file.display, int(pair[prefix + "line"]), int(pair[prefix + "column"]))


def in_order(found: Sequence[npt.NDArray[np.void]], prefix: str) -> npt.NDArray[np.void]:
    """The pairs of every partition, in the order of their ``prefix`` record."""
    pairs: npt.NDArray[np.void] = np.concatenate(found)
    order = np.lexsort((pairs[prefix + "row"], pairs[prefix + "member"], pairs[prefix + "group"]))
    return pairs[order]


def split_members(files: Sequence[DatasetFile]) -> list[list[DatasetFile]]:
    """The files of a dataset grouped as :func:`~._compare.split_groups` groups them."""
    return [[f.file for f in group] for group in split_groups([FileState(f, None) for f in files])]


def side_members(files: Sequence[DatasetFile]) -> list[list[DatasetFile]]:
    """The train files (group 0) and the validation/test files (group 1), as
    :func:`~._compare.train_and_eval` tells them."""
    train, evaluation = train_and_eval([FileState(f, None) for f in files])
    return [[f.file for f in train], [f.file for f in evaluation]]


def member_of(groups: Sequence[Sequence[DatasetFile]], file: DatasetFile) -> tuple[int, int] | None:
    """The group and position of ``file``; None when it is in no group."""
    for number, group in enumerate(groups):
        for position, member in enumerate(group):
            if member == file:
                return number, position
    return None
