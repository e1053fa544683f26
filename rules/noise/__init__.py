"""Noise rules (N): what scraping, copying and distillation leave in texts:
markup, control characters, stray whitespace and AI boilerplate. Each is
tuned for precision: a noise rule that cries wolf gets disabled."""

from __future__ import annotations

from ftlint.api import Rule

from .n001_markup_residue import MarkupResidue
from .n002_control_characters import ControlCharacters
from .n003_whitespace_noise import WhitespaceNoise
from .n004_ai_boilerplate import AiBoilerplate

RULES: tuple[type[Rule], ...] = (MarkupResidue, ControlCharacters, WhitespaceNoise, AiBoilerplate)

__all__ = ["RULES"]
