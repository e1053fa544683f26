"""H012 precision-conflict."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftlint.api import ConfigContext, ConfigRule, Finding, Severity
from ftlint.api.configs import finding_at, training_view

#: Frameworks whose recipes refuse fp16 training outright.
_NO_FP16 = {"torchtune": "torchtune's recipes support bf16 and fp32 only"}


class PrecisionConflict(ConfigRule):
    """## What it does
    Checks the mixed-precision settings: `fp16` and `bf16` both on, or fp16
    where the framework rejects it (torchtune's `dtype: fp16`).

    ## Why is this bad?
    fp16 and bf16 exclude each other; trainers either stop with an error
    after loading the model or pick one silently, so the run is not the one
    the config describes. Both flags on is the mark of a config merged from
    two others.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    fp16: true
    bf16: true
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    bf16: true
    ```
    """

    code = "H012"
    name = "precision-conflict"
    summary = "fp16 and bf16 both on, or fp16 where the framework rejects it."
    severity = Severity.ERROR

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None:
            return
        fp16, bf16 = view.fp16, view.bf16
        if fp16 is not None and bf16 is not None and _on(fp16.value) and _on(bf16.value):
            yield finding_at(
                self,
                config,
                fp16,
                f"{fp16.key} and {bf16.key} are both on; they exclude each other",
            )
        reason = _NO_FP16.get(view.framework)
        dtype = view.dtype
        if reason and dtype is not None and dtype.value.lower() in ("fp16", "float16", "half"):
            yield finding_at(self, config, dtype, f"{dtype.key}: {dtype.value}: {reason}")


def _on(value: Any) -> bool:
    """Explicitly on: True or a YAML 1.1 true word; ``auto`` is not."""
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() in ("true", "yes", "on")
