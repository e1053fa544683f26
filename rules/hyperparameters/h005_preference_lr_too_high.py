"""H005 preference-lr-too-high."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import Objective, finding_at, fmt, training_view

from ._common import model_phrase


class PreferenceLrTooHighOptions(RuleOptions):
    max_lr_full: float = Field(
        default=5e-6, gt=0, description="Highest learning rate for full preference training."
    )
    max_lr_orpo_full: float = Field(
        default=1e-5, gt=0, description="Highest learning rate for full ORPO training."
    )
    max_lr_lora: float = Field(
        default=5e-5, gt=0, description="Highest learning rate for preference training with LoRA."
    )


class PreferenceLrTooHigh(ConfigRule):
    """## What it does
    Checks the learning rate of preference training (DPO, KTO, ORPO, SimPO,
    CPO): over `max-lr-full` (5e-6) for full fine-tunes (`max-lr-orpo-full`,
    1e-5, for ORPO, which also does the SFT), over `max-lr-lora` (5e-5) with
    LoRA.

    ## Why is this bad?
    Preference losses push the chosen answer up and the rejected one down
    without bound; at SFT learning rates (2e-5 full, 2e-4 LoRA) both
    likelihoods collapse within a few steps and the model degenerates
    (repetition, gibberish) while the reward margin looks great. DPO papers
    and recipes use 5e-7 to 5e-6. Such rates are copied from the SFT config
    of the same run.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B-Instruct
    rl: dpo
    adapter: lora
    lora_r: 16
    lora_alpha: 32
    learning_rate: 2e-4
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B-Instruct
    rl: dpo
    adapter: lora
    lora_r: 16
    lora_alpha: 32
    learning_rate: 5e-6
    ```
    """

    code = "H005"
    name = "preference-lr-too-high"
    summary = "DPO/KTO/ORPO with an SFT learning rate."
    severity = Severity.WARNING
    Options = PreferenceLrTooHighOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or not view.is_preference or view.learning_rate is None:
            return
        if view.method is None or not (view.is_full or view.is_lora):
            return
        assert view.objective is not None
        objective = view.objective.value
        if view.is_lora:
            limit, method = self.options.max_lr_lora, "LoRA"
        elif objective is Objective.ORPO:
            limit, method = self.options.max_lr_orpo_full, "full"
        else:
            limit, method = self.options.max_lr_full, "full"
        lr = view.learning_rate
        if lr.value <= limit:
            return
        yield finding_at(
            self,
            config,
            lr,
            f"learning_rate {fmt(lr.value)} for {objective.label} ({method}) on "
            f"{model_phrase(view)}: preference training usually uses at most {fmt(limit)}; "
            f"{fmt(lr.value)} is an SFT learning rate",
        )
