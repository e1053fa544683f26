"""Consistency rules (C): settings copied from a config for another model or
left over from an example, and settings that contradict each other."""

from __future__ import annotations

from ftlint.api import Rule

from .c001_template_model_mismatch import TemplateModelMismatch
from .c002_tokenizer_model_mismatch import TokenizerModelMismatch
from .c003_foreign_model_name import ForeignModelName
from .c004_example_dataset import ExampleDataset
from .c005_copied_example_config import CopiedExampleConfig
from .c006_conflicting_settings import ConflictingSettings
from .c007_missing_eval import MissingEval

RULES: tuple[type[Rule], ...] = (
    TemplateModelMismatch,
    TokenizerModelMismatch,
    ForeignModelName,
    ExampleDataset,
    CopiedExampleConfig,
    ConflictingSettings,
    MissingEval,
)
