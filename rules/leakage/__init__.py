"""Leakage rules (L): validation and test records that also occur in train,
exactly, nearly or by their prompt, and training records that contain text
of reference files (benchmarks)."""

from __future__ import annotations

from ftlint.api import Rule

from .l001_exact_leakage import ExactLeakage
from .l002_near_leakage import NearLeakage
from .l003_prompt_leakage import PromptLeakage
from .l004_reference_contamination import ReferenceContamination

RULES: tuple[type[Rule], ...] = (ExactLeakage, NearLeakage, PromptLeakage, ReferenceContamination)

__all__ = ["RULES"]
