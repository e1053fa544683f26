"""Duplicate rules (D): records repeated in a split, exactly or nearly, and
one prompt answered in different ways."""

from __future__ import annotations

from ftlint.api import Rule

from .d001_exact_duplicate import ExactDuplicate
from .d002_near_duplicate import NearDuplicate
from .d003_conflicting_responses import ConflictingResponses

RULES: tuple[type[Rule], ...] = (ExactDuplicate, NearDuplicate, ConflictingResponses)

__all__ = ["RULES"]
