"""Training configs as documents: parsed data plus the position of every key.

Config files are YAML or JSON, read with ruamel.yaml in round-trip mode so that
each mapping key keeps its line and column, comments survive, and a fix can be
written back without losing either. A config is data, never code: the loader
is ruamel's safe round-trip loader, and no tag constructs a Python object.
"""

from __future__ import annotations

import abc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ftlint.model import Location

if TYPE_CHECKING:
    from ftlint.config_view import ConfigView, KeySchema, YamlDialect
    from ftlint.model_catalog import ModelCatalog

NOQA_PATTERN = re.compile(
    r"#\s*ftlint:\s*noqa(?::\s*(?P<codes>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*))?",
    re.IGNORECASE,
)


@dataclass(slots=True)
class ConfigDocument:
    """A parsed config file.

    ``data`` is the ruamel round-trip tree (``CommentedMap``/``CommentedSeq``,
    which behave as dict and list). ``noqa`` maps a 1-based line to the codes
    or names suppressed there by ``# ftlint: noqa: CODE``; an empty set means
    every code.
    """

    path: Path
    display: str
    text: str
    data: Any
    noqa: dict[int, frozenset[str]] = field(default_factory=dict)

    def position(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the key (or item) a JSON Pointer names.

        Falls back to the closest ancestor that has a position, then to (1, 1).
        """
        node = self.data
        best = (1, 1)
        for token in _pointer_tokens(pointer):
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
        for token in _pointer_tokens(pointer):
            try:
                node = node[int(token)] if isinstance(node, list) else node[token]
            except (KeyError, IndexError, TypeError, ValueError):
                return default
        return node


def escape_token(token: object) -> str:
    """One reference token of an RFC 6901 pointer: ``~`` as ``~0``, then ``/``
    as ``~1``; :meth:`ConfigDocument.get` undoes it."""
    return str(token).replace("~", "~0").replace("/", "~1")


def _pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


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


class ConfigFramework(abc.ABC):
    """A training framework whose configs ftlint can recognise (axolotl,
    LLaMA-Factory, torchtune, TRL, ...)."""

    #: Short name shown in findings and accepted in settings: ``axolotl``.
    name: ClassVar[str]

    @abc.abstractmethod
    def recognise(self, document: ConfigDocument) -> float:
        """How sure we are that ``document`` is a config of this framework:
        0.0 (not at all) to 1.0 (certain). The highest score above 0.5 wins."""

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView | None:
        """The config as a :class:`~ftlint.config_view.ConfigView`, for the
        hyperparameter and consistency rules; None (the default) when this
        framework does not normalise its configs. ``catalog`` looks model ids up.
        Must not raise on any document this framework recognised."""
        return None

    def key_schema(self) -> KeySchema | None:
        """The keys this framework knows and the ones it renamed, for the
        unknown-key and deprecated-key rules; None (the default) skips them."""
        return None

    def yaml_dialect(self, document: ConfigDocument) -> YamlDialect | None:
        """How this framework's loader reads ``document``'s YAML, for the YAML
        1.1/1.2 rules; None (the default) skips them."""
        return None
