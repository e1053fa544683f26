"""Token rules (T): records longer than the training run's sequence length,
and records far outside their split's length distribution. They count tokens
with tiktoken, offline (see ``ftlint.text.tokens``)."""

from __future__ import annotations

from ftlint.api import Rule

from .t001_exceeds_max_tokens import ExceedsMaxTokens
from .t002_length_outlier import LengthOutlier

RULES: tuple[type[Rule], ...] = (ExceedsMaxTokens, LengthOutlier)

__all__ = ["RULES"]
