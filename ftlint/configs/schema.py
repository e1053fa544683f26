"""What a framework declares about its keys and its YAML loader."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


class YamlDialect(enum.StrEnum):
    """How a framework's own loader reads a YAML config; decides which YAML
    1.1/1.2 differences change what the trainer gets (K003, K004)."""

    #: PyYAML (YAML 1.1), values handed on as read (HfArgumentParser, LLaMA-Factory).
    PYYAML = "pyyaml"
    #: PyYAML, then a schema that turns numeric strings into numbers (axolotl).
    PYYAML_COERCED = "pyyaml-coerced"
    #: OmegaConf (torchtune): YAML 1.1 booleans, but ``1e-5`` is a float.
    OMEGACONF = "omegaconf"
    #: PyYAML with a float resolver that accepts ``1e-5`` (MLX-LM).
    PYYAML_FLOATS = "pyyaml-floats"
    #: Not YAML at all.
    JSON = "json"

    @property
    def reads_exponents_as_strings(self) -> bool:
        return self is YamlDialect.PYYAML

    @property
    def is_yaml_1_1(self) -> bool:
        return self is not YamlDialect.JSON


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A key a framework renamed or removed. ``replacement`` is the new key when
    a plain rename keeps the meaning (and so can be fixed automatically)."""

    replacement: str | None
    note: str = ""
    #: With ``replacement``: the value the new key takes when the old one is
    #: true (``flash_attention: true`` is ``attn_implementation: flash_attention_2``).
    value: str | None = None
    #: The transformers major version that removed the key, when the removal
    #: comes from transformers rather than the framework itself.
    transformers_major: int | None = None


@dataclass(frozen=True, slots=True)
class KeySchema:
    """The keys a framework knows, for K001 and K002.

    ``sections`` maps a pointer pattern of a mapping (``/peft_config``,
    ``/datasets/*`` for every item of a list) to the keys it may hold. Keys in
    ``open_sections`` hold free-form mappings (``/special_tokens``) and are not
    checked. ``deprecated`` maps a key at a pointer pattern (``/max_seq_length``)
    to its :class:`Deprecation`.
    """

    top_level: frozenset[str]
    sections: Mapping[str, frozenset[str]] = field(default_factory=dict)
    deprecated: Mapping[str, Deprecation] = field(default_factory=dict)
    #: Top-level keys starting with one of these are accepted (plugin namespaces).
    prefixes: tuple[str, ...] = ()

    def known(self, section: str) -> frozenset[str] | None:
        """The keys allowed in the mapping at pointer pattern ``section``
        (``""`` for the top level), or None when it is not checked."""
        if section == "":
            return self.top_level
        return self.sections.get(section)
