"""H001 full-finetune-lr-too-high."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import finding_at, fmt, training_view

from ._common import is_sft_like, model_phrase


class FullFinetuneLrTooHighOptions(RuleOptions):
    max_lr: float = Field(
        default=5e-5, gt=0, description="Highest learning rate for models under `large-model-b`."
    )
    max_lr_large: float = Field(
        default=2e-5, gt=0, description="Highest learning rate from `large-model-b` on."
    )
    large_model_b: float = Field(
        default=30.0, gt=0, description="Parameters (billions) from which a model is large."
    )
    error_lr: float = Field(
        default=1e-4, gt=0, description="Learning rate from which the finding is an error."
    )
    small_model_b: float = Field(
        default=2.0, gt=0, description="Parameters (billions) under which a model is small."
    )
    max_lr_small: float = Field(
        default=3e-4, gt=0, description="Highest learning rate for models under `small-model-b`."
    )
    error_lr_small: float = Field(
        default=2e-3,
        gt=0,
        description=(
            "Learning rate from which the finding is an error, for models under `small-model-b`."
        ),
    )
    tiny_model_b: float = Field(
        default=0.2,
        gt=0,
        description="Parameters (billions) under which a model is tiny (GPT-2, SmolLM2-135M).",
    )
    max_lr_tiny: float = Field(
        default=1e-3, gt=0, description="Highest learning rate for tiny models."
    )
    error_lr_tiny: float = Field(
        default=1e-2,
        gt=0,
        description="Learning rate from which a tiny model's finding is an error.",
    )


class FullFinetuneLrTooHigh(ConfigRule):
    """## What it does
    Checks the learning rate of full fine-tunes (no adapter): over `max-lr`
    (5e-5) for most models, over `max-lr-large` (2e-5) from 30B parameters,
    over `max-lr-small` (3e-4) under 2B, where small models are routinely
    trained faster, and over `max-lr-tiny` (1e-3) under 0.2B, where models of
    tens of millions of parameters are fine-tuned at rates near their
    pretraining rate. From `error-lr` (1e-4; `error-lr-small`, 2e-3, under
    2B; `error-lr-tiny`, 1e-2, under 0.2B) on it is an error. Preference
    objectives have their own rule (H005); continued pretraining and RL are
    skipped.

    ## Why is this bad?
    Updating every weight at a LoRA learning rate (1e-4 to 3e-4) wipes out
    what the base model knew within a few hundred steps: the loss falls, the
    model forgets. Such a rate is almost always copied from a LoRA config
    whose `adapter:` line was removed.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    learning_rate: 2e-4
    num_epochs: 3
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    learning_rate: 2e-5
    num_epochs: 3
    ```
    """

    code = "H001"
    name = "full-finetune-lr-too-high"
    summary = "A full fine-tune with a learning rate that belongs to LoRA."
    severity = Severity.WARNING
    Options = FullFinetuneLrTooHighOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or not view.is_full or view.learning_rate is None:
            return
        if not is_sft_like(view):
            return  # continued pretraining, preference and RL runs have their own rates
        lr = view.learning_rate
        limit, error_lr = self._limits(view.params_b)
        if lr.value <= limit:
            return
        severity = Severity.ERROR if lr.value >= error_lr else None
        message = (
            f"learning_rate {fmt(lr.value)} on a full fine-tune of {model_phrase(view)}: "
            f"full fine-tunes of this size usually use at most {fmt(limit)}"
        )
        if lr.value >= error_lr:
            message += f" ({fmt(lr.value)} is a LoRA learning rate; is an adapter missing?)"
        yield finding_at(self, config, lr, message, severity=severity)

    def _limits(self, params: float | None) -> tuple[float, float]:
        """(warning limit, error limit) for a model of ``params`` billions."""
        options = self.options
        if params is not None and params >= options.large_model_b:
            return options.max_lr_large, options.error_lr
        if params is not None and params < options.tiny_model_b:
            return options.max_lr_tiny, options.error_lr_tiny
        if params is not None and params < options.small_model_b:
            return options.max_lr_small, options.error_lr_small
        return options.max_lr, options.error_lr
