"""Training configs as documents: parsed data plus the position of every key.

Config files are YAML or JSON, read with ruamel.yaml in round-trip mode so that
each mapping key keeps its line and column, comments survive, and a fix can be
written back without losing either. A config is data, never code: the loader
is ruamel's safe round-trip loader, and no tag constructs a Python object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftlint.core.findings import Location
from ftlint.core.pointers import pointer_tokens

if TYPE_CHECKING:
    pass

NOQA_PATTERN = re.compile(
    r"#\s*ftlint:\s*noqa(?::\s*(?P<codes>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RepeatedKey:
    """A key given more than once in one mapping. The document holds the last
    value, as PyYAML (and so the trainer) does; ``same_value`` says whether
    the earlier ones were the same."""

    #: JSON Pointer of the key, in the document as read.
    pointer: str
    #: 1-based position of this (a later) occurrence.
    line: int
    column: int
    #: 1-based line of the first occurrence.
    first_line: int
    same_value: bool


@dataclass(slots=True)
class ConfigDocument:
    """A parsed config file.

    ``data`` is the ruamel round-trip tree (``CommentedMap``/``CommentedSeq``,
    which behave as dict and list). ``noqa`` maps a 1-based line to the codes
    or names suppressed there by ``# ftlint: noqa: CODE``; an empty set means
    every code. ``repeated_keys`` lists each later occurrence of a key given
    more than once in one mapping; ``data`` holds its last value.
    """

    path: Path
    display: str
    text: str
    data: Any
    noqa: dict[int, frozenset[str]] = field(default_factory=dict)
    repeated_keys: tuple[RepeatedKey, ...] = ()

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the key (or item) a JSON Pointer names.

        Falls back to the closest ancestor that has a position, then to (1, 1).
        """
        node = self.data
        best = (1, 1)
        for token in pointer_tokens(pointer):
            position = _child_position(node, token)
            if position is None:
                break
            best = position
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, TypeError, ValueError):
                break
        return best

    def location(self, pointer: str) -> Location:
        line, column = self.position(pointer)
        return Location(self.display, line, column, pointer=pointer)

    def get(self, pointer: str, default: Any = None) -> Any:
        """The value a JSON Pointer names, or ``default``."""
        node = self.data
        for token in pointer_tokens(pointer):
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, TypeError, ValueError):
                return default
        return node


def _child_position(node: Any, token: str) -> tuple[int, int] | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        if isinstance(node, list):
            line, col = lc.item(int(token))
        else:
            line, col = lc.key(token)
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return line + 1, col + 1


#: Top-level keys that training configs use and other YAML or JSON files (CI
#: workflows, package manifests, compose files) do not.
TRAINING_KEYS = frozenset(
    {
        "learning_rate",
        "lr",
        "base_model",
        "model_name_or_path",
        "num_train_epochs",
        "num_epochs",
        "epochs",
        "n_epochs",
        "max_steps",
        "micro_batch_size",
        "per_device_train_batch_size",
        "batch_size",
        "lora_r",
        "lora_rank",
        "lora_alpha",
        "sequence_len",
        "max_seq_length",
        "cutoff_len",
        "finetuning_type",
        "training_file",
    }
)

#: Keys that mark launcher configs: they sit beside training configs and
#: share some of their keys, but no training framework reads them.
LAUNCHER_KEYS = (
    (("compute_environment", "distributed_type"), "an Accelerate launcher config"),
    (("zero_optimization",), "a DeepSpeed config"),
    (("train_micro_batch_size_per_gpu",), "a DeepSpeed config"),
)

_TOP_LEVEL_KEY = re.compile(r"""^["']?([A-Za-z_][A-Za-z0-9_]*)["']?\s*:""", re.MULTILINE)


def reads_like_training_config(data: Any) -> bool:
    """Whether a parsed YAML or JSON document looks like a training config even
    though no framework recognised it: a mapping with a training key at its
    top level that is not a launcher config."""
    if not isinstance(data, dict) or launcher_kind(data) is not None:
        return False
    return any(key in data for key in TRAINING_KEYS)


def launcher_kind(data: dict[str, Any]) -> str | None:
    """``"an Accelerate launcher config"`` and the like, or None."""
    return next((kind for keys, kind in LAUNCHER_KEYS if all(k in data for k in keys)), None)


def mentions_training_keys(text: str) -> bool:
    """:func:`reads_like_training_config` for a text that does not parse: a
    training key at the start of a line."""
    return any(m.group(1) in TRAINING_KEYS for m in _TOP_LEVEL_KEY.finditer(text))


def parse_noqa(text: str) -> dict[int, frozenset[str]]:
    """Lines carrying ``# ftlint: noqa`` (all codes) or ``# ftlint: noqa: C1, C2``."""
    suppressed: dict[int, frozenset[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "noqa" not in line:
            continue
        match = NOQA_PATTERN.search(line)
        if match:
            codes = match.group("codes")
            suppressed[number] = (
                frozenset(c.strip() for c in codes.split(",")) if codes else frozenset()
            )
    return suppressed
