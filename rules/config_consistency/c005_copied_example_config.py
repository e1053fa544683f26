"""C005 copied-example-config."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import ConfigView, content_key, fmt, locate

from ._common import model_view


@dataclass(frozen=True, slots=True)
class ExampleConfig:
    """The hyperparameters of a well-known example config and the model
    family it was written for."""

    name: str
    family: str
    model: str
    values: dict[str, float]


#: Well-known example configs. Field names are :class:`ConfigView` fields.
EXAMPLES: tuple[ExampleConfig, ...] = (
    ExampleConfig(
        "axolotl's examples/llama-3/lora-8b.yml",
        "llama",
        "Llama 3 8B",
        {
            "learning_rate": 2e-4,
            "lora_r": 32,
            "lora_alpha": 16,
            "lora_dropout": 0.05,
            "micro_batch_size": 2,
            "gradient_accumulation": 4,
            "epochs": 4,
            "sequence_len": 4096,
            "warmup_ratio": 0.1,
        },
    ),
    ExampleConfig(
        "axolotl's examples/mistral/qlora.yml",
        "mistral",
        "Mistral 7B",
        {
            "learning_rate": 2e-4,
            "lora_r": 32,
            "lora_alpha": 16,
            "lora_dropout": 0.05,
            "micro_batch_size": 2,
            "gradient_accumulation": 4,
            "epochs": 1,
            "sequence_len": 8192,
            "warmup_ratio": 0.1,
        },
    ),
    ExampleConfig(
        "torchtune's llama3_1/8B_lora_single_device.yaml",
        "llama",
        "Llama 3.1 8B",
        {
            "learning_rate": 3e-4,
            "lora_r": 8,
            "lora_alpha": 16,
            "lora_dropout": 0.0,
            "micro_batch_size": 2,
            "gradient_accumulation": 8,
            "epochs": 1,
            "warmup_steps": 100,
        },
    ),
    ExampleConfig(
        "LLaMA-Factory's train_lora/qwen3_lora_sft.yaml",
        "qwen",
        "Qwen3 4B Instruct",
        {
            "learning_rate": 1e-4,
            "lora_r": 8,
            "micro_batch_size": 1,
            "gradient_accumulation": 8,
            "epochs": 3,
            "sequence_len": 2048,
            "warmup_ratio": 0.1,
            "max_samples": 1000,
        },
    ),
    ExampleConfig(
        "the alignment-handbook's zephyr-7b-beta sft/config_qlora.yaml",
        "mistral",
        "Mistral 7B",
        {
            "learning_rate": 2e-4,
            "lora_r": 16,
            "lora_alpha": 16,
            "lora_dropout": 0.05,
            "micro_batch_size": 4,
            "gradient_accumulation": 2,
            "epochs": 1,
            "sequence_len": 2048,
            "warmup_ratio": 0.1,
            "seed": 42,
        },
    ),
    ExampleConfig(
        "the Unsloth Llama 3.1 8B notebook",
        "llama",
        "Llama 3.1 8B",
        {
            "learning_rate": 2e-4,
            "lora_r": 16,
            "lora_alpha": 16,
            "lora_dropout": 0.0,
            "micro_batch_size": 2,
            "gradient_accumulation": 4,
            "warmup_steps": 5,
            "max_steps": 60,
            "seed": 3407,
        },
    ),
)


class CopiedExampleConfigOptions(RuleOptions):
    min_matches: int = Field(
        default=6,
        ge=1,
        description=(
            "Values a config must share with a well-known example config to be taken for a "
            "copy of it."
        ),
    )
    max_differences: int = Field(default=1, ge=0, description="Values a copy may still differ in.")


class CopiedExampleConfig(ConfigRule):
    """## What it does
    Compares the hyperparameters a config states (learning rate, LoRA r,
    alpha and dropout, batch, accumulation, epochs or steps, sequence
    length, warmup, seed, sample cap) with well-known example configs
    (axolotl's, torchtune's, LLaMA-Factory's, the alignment-handbook's, the
    Unsloth notebooks'). At least `min-matches` (6) equal values and at most
    `max-differences` (1) different ones, for a model of another family than
    the example's, is reported.

    ## Why is this bad?
    Example hyperparameters were tuned (if at all) for one model and one
    toy dataset. Carried over to another model family they are a guess; the
    finding is a reminder to tune them, and it explains other findings
    (a demo `max_steps`, an example dataset) of the same config.

    ## Example
    ```yaml
    base_model: Qwen/Qwen2.5-7B
    adapter: lora
    learning_rate: 0.0002
    lora_r: 32
    lora_alpha: 16
    lora_dropout: 0.05
    micro_batch_size: 2
    gradient_accumulation_steps: 4
    num_epochs: 4
    sequence_len: 4096
    warmup_ratio: 0.1
    ```

    Use instead:
    ```yaml
    base_model: Qwen/Qwen2.5-7B
    adapter: lora
    learning_rate: 0.0001
    lora_r: 16
    lora_alpha: 32
    lora_dropout: 0.05
    micro_batch_size: 4
    gradient_accumulation_steps: 4
    num_epochs: 2
    sequence_len: 8192
    warmup_ratio: 0.03
    ```
    """

    code = "C005"
    name = "copied-example-config"
    summary = "The hyperparameters match a well-known example config for another model."
    severity = Severity.INFO
    Options = CopiedExampleConfigOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        found = model_view(config)
        if found is None or not found[0].is_training:
            return
        view, facts = found
        stated = _stated(view)
        for example in EXAMPLES:
            if example.family == facts.family:
                continue
            same = [k for k, v in example.values.items() if k in stated and _equal(stated[k], v)]
            different = [k for k in example.values if k in stated and k not in same]
            if (
                len(same) >= self.options.min_matches
                and len(different) <= self.options.max_differences
            ):
                anchor = view.learning_rate or view.model
                shown = ", ".join(f"{k} {fmt(example.values[k])}" for k in same)
                yield self.finding(
                    f"these hyperparameters ({shown}) are those of {example.name}, written for "
                    f"{example.model}; the model here is {facts.id}: tune them for it",
                    locate(config.document, anchor),
                    content_key=f"{example.name}:{content_key(anchor)}",
                )
                return


def _stated(view: ConfigView) -> dict[str, float]:
    """The numeric values the config states itself (no framework defaults)."""
    values: dict[str, float] = {}
    for name in (
        "learning_rate",
        "lora_r",
        "lora_alpha",
        "lora_dropout",
        "micro_batch_size",
        "gradient_accumulation",
        "epochs",
        "max_steps",
        "sequence_len",
        "warmup_steps",
        "warmup_ratio",
        "seed",
        "max_samples",
    ):
        value: Any = getattr(view, name)
        if value is not None and not value.default and isinstance(value.value, int | float):
            values[name] = float(value.value)
    return values


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)
