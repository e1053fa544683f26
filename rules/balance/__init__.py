"""Balance rules (B): how records are distributed: rare class labels, eval
splits unlike train, one response everywhere, no eval split at all, labels
one split has and another lacks."""

from __future__ import annotations

from ftlint.api import Rule

from .b001_label_imbalance import LabelImbalance
from .b002_split_distribution_shift import SplitDistributionShift
from .b003_dominant_response import DominantResponse
from .b004_missing_eval_split import MissingEvalSplit
from .b005_label_coverage import LabelCoverage

RULES: tuple[type[Rule], ...] = (
    LabelImbalance,
    SplitDistributionShift,
    DominantResponse,
    MissingEvalSplit,
    LabelCoverage,
)

__all__ = ["RULES"]
