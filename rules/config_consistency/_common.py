"""Helpers shared by the consistency rules."""

from __future__ import annotations

from ftlint.api import ConfigContext
from ftlint.api.configs import ConfigView, ModelFacts


def model_view(config: ConfigContext) -> tuple[ConfigView, ModelFacts] | None:
    """The view and the model's facts, when the config names a model with a
    known family (whatever the task: a template mismatch breaks inference
    as surely as training)."""
    view = config.view
    if view is None or view.model is None or view.model_facts is None:
        return None
    if view.model_facts.family is None:
        return None
    return view, view.model_facts


def model_name(facts: ModelFacts) -> str:
    """``Qwen/Qwen2.5-7B (Qwen2.5)``: the id, and the family when the id does not say it."""
    if facts.generation and facts.generation.lower().split()[0] in facts.id.lower():
        return facts.id
    return f"{facts.id} ({facts.generation or facts.family})"
