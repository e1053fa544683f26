"""Key and YAML rules (K): unknown and renamed keys, values PyYAML and YAML
1.2 read differently, configs no framework recognises, and keys given twice."""

from __future__ import annotations

from ftlint.api import Rule

from .k001_unknown_key import UnknownKey
from .k002_deprecated_key import DeprecatedKey
from .k003_yaml_number_as_string import YamlNumberAsString
from .k004_yaml_1_1_pitfall import Yaml11Pitfall
from .k005_unrecognised_config import UnrecognisedConfig
from .k006_repeated_key import RepeatedKey

RULES: tuple[type[Rule], ...] = (
    UnknownKey,
    DeprecatedKey,
    YamlNumberAsString,
    Yaml11Pitfall,
    UnrecognisedConfig,
    RepeatedKey,
)
