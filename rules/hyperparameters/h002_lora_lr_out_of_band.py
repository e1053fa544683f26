"""H002 lora-lr-out-of-band."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RelatedLocation, RuleOptions, Severity
from ftlint.api.configs import ConfigView, finding_at, fmt, locate, training_view

from ._common import is_sft_like


class LoraLrOutOfBandOptions(RuleOptions):
    min_step: float = Field(default=2e-5, gt=0, description="Smallest learning rate x multiplier.")
    max_step: float = Field(default=2e-3, gt=0, description="Largest learning rate x multiplier.")
    min_lr: float = Field(default=2e-5, gt=0, description="Smallest LoRA learning rate.")


class LoraLrOutOfBand(ConfigRule):
    """## What it does
    Checks the step size of LoRA runs: the learning rate times the LoRA
    multiplier, alpha / r (alpha / sqrt(r) with rsLoRA, or MLX-LM's `scale`).
    It should lie between `min-step` (2e-5) and `max-step` (2e-3). A LoRA
    learning rate under `min-lr` (2e-5) is reported too: that is a full
    fine-tune's rate, unless the framework scales updates by a factor of its
    own (MLX-LM's default `scale` of 20 makes its default 1e-5 a step of
    2e-4). Preference and RL objectives are left to H005.

    ## Why is this bad?
    LoRA scales its update by alpha / r, so the learning rate alone says
    little: 2e-4 with alpha 16 and r 16 is a normal run, 2e-4 with alpha 512
    and r 8 is a 64-times larger step that diverges, and 1e-5 with alpha 16
    and r 64 barely moves the adapter. Such pairs come from copying the
    learning rate of one config and the rank of another.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    adapter: lora
    lora_r: 8
    lora_alpha: 512
    learning_rate: 2e-4
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    adapter: lora
    lora_r: 8
    lora_alpha: 16
    learning_rate: 2e-4
    ```
    """

    code = "H002"
    name = "lora-lr-out-of-band"
    summary = "A LoRA learning rate times alpha / r far outside the usual band."
    severity = Severity.WARNING
    Options = LoraLrOutOfBandOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or not view.is_lora or view.learning_rate is None:
            return
        if not is_sft_like(view, pretraining=True):
            return
        message = self._problem(view)
        if message is not None:
            lr = view.learning_rate
            yield finding_at(self, config, lr, message, related=self._related(config, view))

    def _problem(self, view: ConfigView) -> str | None:
        assert view.learning_rate is not None
        lr = view.learning_rate.value
        multiplier = view.lora_multiplier()
        if multiplier is not None:
            factor, how = multiplier
            step = lr * factor
            bound = None
            if step > self.options.max_step:
                bound = f"above {fmt(self.options.max_step)}: the adapter's updates are too large"
            elif step < self.options.min_step:
                bound = f"below {fmt(self.options.min_step)}: the adapter will barely train"
            if bound is not None:
                return (
                    f"LoRA step size {fmt(step)} (learning_rate {fmt(lr)} x {how} = "
                    f"{fmt(lr)} x {fmt(factor)}) is {bound}"
                )
        # A scale the framework defines (MLX-LM's 20) instead of alpha / r
        # makes a small rate a normal one: only the step size says anything.
        if lr < self.options.min_lr and view.lora_scale is None:
            return (
                f"learning_rate {fmt(lr)} is a full fine-tune's learning rate; LoRA "
                f"usually needs about ten times more (1e-4 to 3e-4)"
            )
        return None

    def _related(self, config: ConfigContext, view: ConfigView) -> list[RelatedLocation]:
        related = []
        for value, what in (
            (view.lora_alpha, "alpha"),
            (view.lora_r, "rank"),
            (view.lora_scale, "scale"),
        ):
            if value is not None and value.pointer:
                related.append(RelatedLocation(locate(config.document, value), f"LoRA {what}"))
        return related
