"""H003 lora-lr-large-model."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import finding_at, fmt, training_view

from ._common import is_sft_like, model_phrase


class LoraLrLargeModelOptions(RuleOptions):
    large_model_b: float = Field(
        default=30.0, gt=0, description="Parameters (billions) from which a model is large."
    )
    max_lr: float = Field(
        default=2e-4, gt=0, description="Highest LoRA learning rate for a large model."
    )


class LoraLrLargeModel(ConfigRule):
    """## What it does
    Checks LoRA runs on large models (from `large-model-b`, 30B parameters)
    for a learning rate over `max-lr` (2e-4).

    ## Why is this bad?
    Larger models need smaller steps: the 2e-4 to 3e-4 that suits LoRA on a
    7B model makes a 70B run's loss spike. Configs for large models are
    often scaled up from a small model's config without lowering the rate.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.3-70B-Instruct
    adapter: qlora
    load_in_4bit: true
    learning_rate: 3e-4
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.3-70B-Instruct
    adapter: qlora
    load_in_4bit: true
    learning_rate: 1e-4
    ```
    """

    code = "H003"
    name = "lora-lr-large-model"
    summary = "LoRA on a 30B+ model with a learning rate over 2e-4."
    severity = Severity.WARNING
    Options = LoraLrLargeModelOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or not view.is_lora or view.learning_rate is None:
            return
        params = view.params_b
        if params is None or params < self.options.large_model_b or not is_sft_like(view):
            return
        lr = view.learning_rate
        if lr.value <= self.options.max_lr:
            return
        yield finding_at(
            self,
            config,
            lr,
            f"learning_rate {fmt(lr.value)} for LoRA on {model_phrase(view)}: models of "
            f"{fmt(self.options.large_model_b)}B parameters and more usually train LoRA at "
            f"{fmt(self.options.max_lr)} or less",
        )
