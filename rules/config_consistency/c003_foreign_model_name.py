"""C003 foreign-model-name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import ModelFacts, catalog, finding_at, format_size, sizes_in

from ._common import model_name, model_view


class ForeignModelNameOptions(RuleOptions):
    size_tolerance: float = Field(
        default=0.15,
        ge=0,
        description="Relative difference between two sizes still taken as equal.",
    )


class ForeignModelName(ConfigRule):
    """## What it does
    Checks the names a run gives its outputs (`output_dir`, `run_name`,
    `wandb_name`, `hub_model_id`, OpenAI's `suffix`) against the base model:
    a name that mentions another model family (`llama-3-8b-lora` for a Qwen
    model), another Llama generation, or another size (`qwen2.5-7b-sft` for
    the 1.5B) is reported. Names that mention no model are fine.

    ## Why is this bad?
    The name is left over from the config this one was copied from, and so,
    likely, are settings nobody re-checked. It also mislabels the result: a
    checkpoint pushed as `llama-3-8b-...` that is a Qwen model, or a run
    that overwrites the folder of the model it was copied from.

    ## Example
    ```yaml
    base_model: Qwen/Qwen2.5-7B-Instruct
    output_dir: ./outputs/llama-3-8b-lora
    ```

    Use instead:
    ```yaml
    base_model: Qwen/Qwen2.5-7B-Instruct
    output_dir: ./outputs/qwen2.5-7b-lora
    ```
    """

    code = "C003"
    name = "foreign-model-name"
    summary = "An output or run name names another model family or size than the base model."
    severity = Severity.WARNING
    Options = ForeignModelNameOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        found = model_view(config)
        if found is None:
            return
        view, facts = found
        models = catalog(config)
        for value in view.output_names:
            named = models.from_name(value.value)
            problem = self._mismatch(facts, named, sizes_in(value.value))
            if problem is not None:
                yield finding_at(
                    self,
                    config,
                    value,
                    f"{value.key} '{value.value}' names {problem}, but the model is "
                    f"{model_name(facts)}",
                )

    def _mismatch(self, model: ModelFacts, named: ModelFacts, sizes: list[float]) -> str | None:
        """What the name says that the model is not: another family, another
        Llama generation, or only sizes other than the model's."""
        if named.family is not None and model.family is not None:
            if named.family != model.family:
                return f"a {named.generation or named.family} model"
            majors = (_llama_major(named), _llama_major(model))
            if model.family == "llama" and None not in majors and majors[0] != majors[1]:
                return f"a {named.generation} model"
        if not sizes or model.params_b is None or named.family not in (None, model.family):
            return None
        candidates = [model.params_b, model.active_params_b or model.params_b]
        if any(self._same_size(size, c) for size in sizes for c in candidates):
            return None
        return f"a {format_size(sizes[0])} model"

    def _same_size(self, a: float, b: float) -> bool:
        tolerance: float = self.options.size_tolerance
        return abs(a - b) <= tolerance * b


def _llama_major(facts: ModelFacts) -> str | None:
    match = re.match(r"Llama (\d)", facts.generation or "")
    return match.group(1) if match else None
