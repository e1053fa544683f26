"""C006 conflicting-settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftlint.api import ConfigContext, ConfigRule, Finding, RelatedLocation, Severity
from ftlint.api.configs import ConfigView, Located, finding_at, fmt, locate, training_view


class ConflictingSettings(ConfigRule):
    """## What it does
    Reports pairs of settings that exclude each other:
    - `warmup_steps` and `warmup_ratio` both set;
    - `save_steps` and `saves_per_epoch` (or `eval_steps` and
      `evals_per_epoch`) both set;
    - evaluation switched on (an eval strategy other than `no`, `do_eval`)
      with no evaluation data (no validation split, `val_set_size`/`val_size`,
      eval dataset); an evaluation frequency alone (`evals_per_epoch`) is
      ignored without data and is C007's;
    - 4-bit or 8-bit loading without an adapter (a full fine-tune of a
      quantized model);
    - `adapter: qlora` without `load_in_4bit: true`.

    ## Why is this bad?
    Each of these either stops the trainer with an error after the model
    has loaded, or makes it pick one setting silently (Hugging Face uses
    `warmup_steps` and ignores `warmup_ratio`), so the run differs from the
    config. They appear when two configs are merged or one is half edited.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    adapter: qlora
    load_in_4bit: false
    warmup_steps: 100
    warmup_ratio: 0.1
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    adapter: qlora
    load_in_4bit: true
    warmup_ratio: 0.1
    ```
    """

    code = "C006"
    name = "conflicting-settings"
    summary = "Two settings that exclude each other are both set."
    severity = Severity.ERROR

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None:
            return
        for first, second, message in (
            *_pairs(view),
            *_eval_without_data(view),
            *_quantization(view),
        ):
            related = (
                [RelatedLocation(locate(config.document, second), second.key)] if second else []
            )
            yield finding_at(self, config, first, message, related=related)


Conflict = tuple[Located[Any], Located[Any] | None, str]


def _set(value: Located[Any] | None) -> bool:
    return value is not None and not value.default and bool(value.value)


def _pairs(view: ConfigView) -> Iterator[Conflict]:
    pairs = (
        (view.warmup_steps, view.warmup_ratio, "the warmup steps win and the ratio is ignored"),
        (view.save_steps, view.saves_per_epoch, "axolotl refuses both"),
        (view.eval_steps, view.evals_per_epoch, "axolotl refuses both"),
    )
    for first, second, why in pairs:
        if first is not None and second is not None and _set(first) and _set(second):
            yield (
                first,
                second,
                (
                    f"{first.key} {fmt(first.value)} and {second.key} {fmt(second.value)} are both "
                    f"set: {why}"
                ),
            )


def _eval_without_data(view: ConfigView) -> Iterator[Conflict]:
    switched = view.eval_switched_on()
    if switched is None or switched.default or not view.eval_data_known:
        return
    if view.has_eval_split():
        return
    yield (
        switched,
        None,
        (
            f"{switched.key} {switched.value} turns evaluation on, but the config has no "
            f"evaluation data (no validation split, eval dataset or held-out share): the trainer "
            f"refuses to start"
        ),
    )


def _quantization(view: ConfigView) -> Iterator[Conflict]:
    for bits, flag in ((4, view.load_in_4bit), (8, view.load_in_8bit)):
        if flag is not None and flag.value and view.is_full:
            method = view.method if view.method and view.method.pointer else None
            yield (
                flag,
                method,
                (
                    f"{flag.key} loads the model in {bits}-bit, but there is no adapter: quantized "
                    f"weights cannot be fully fine-tuned (add a LoRA adapter, or drop the "
                    f"quantization)"
                ),
            )
    adapter, four_bit = view.adapter_name, view.load_in_4bit
    if adapter is None or adapter.value.strip().lower() != "qlora":
        return
    if four_bit is None or not four_bit.value:
        yield (
            adapter,
            four_bit,
            (
                "adapter: qlora needs load_in_4bit: true; without it the run is either refused "
                "or an unquantized LoRA"
            ),
        )
