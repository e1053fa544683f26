"""Helpers shared by the hyperparameter rules: which view they look at, and
how they name the model and a learning rate in messages."""

from __future__ import annotations

from ftlint import ConfigContext
from ftlint.config_view import ConfigView, Objective, fmt


def training_view(config: ConfigContext) -> ConfigView | None:
    """The normalised view of a training config; None for other configs
    (inference, export, evaluation) and for configs no framework normalised."""
    view = config.view
    return view if view is not None and view.is_training else None


def model_phrase(view: ConfigView) -> str:
    """``an 8B Llama 3.1 model``, ``a 70B model``, or ``the model``."""
    facts = view.model_facts
    if facts is None or (facts.params_b is None and facts.generation is None):
        return "the model"
    label = facts.label
    article = "an" if label[:1].lower() in "aeio8" or label.startswith("11") else "a"
    return f"{article} {label} model"


def is_sft_like(view: ConfigView, *, pretraining: bool = False) -> bool:
    """Supervised objectives, where LoRA and full fine-tune learning rates
    are well known. Preference objectives have their own rule; RL and
    unknown objectives (GRPO, axolotl's ``ebft``) use rates of their own;
    continued pretraining counts only when ``pretraining``."""
    if view.objective is None:
        return True
    allowed = {Objective.SFT, Objective.DISTILL}
    if pretraining:
        allowed.add(Objective.PRETRAIN)
    return view.objective.value in allowed


__all__ = ["fmt", "is_sft_like", "model_phrase", "training_view"]
