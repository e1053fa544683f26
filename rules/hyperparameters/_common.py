"""Helpers shared by the hyperparameter rules: how they name the model in
messages, and which objectives have well-known learning rates. (The view they
look at is :func:`ftlint.api.configs.training_view`.)"""

from __future__ import annotations

from ftlint.api.configs import ConfigView, Objective, fmt


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


__all__ = ["fmt", "is_sft_like", "model_phrase"]
