"""C002 tokenizer-model-mismatch."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.api import ConfigContext, ConfigRule, Finding, Severity
from ftlint.api.configs import (
    FOREIGN_MODULES,
    ConfigView,
    Located,
    ModelCatalog,
    ModelFacts,
    catalog,
    class_family,
    class_loads,
    finding_at,
    model_id_from_builder,
    tokenizer_lineage,
)

from ._common import model_name, model_view


class TokenizerModelMismatch(ConfigRule):
    """## What it does
    Checks that the pieces a config names around the model belong to it:
    the tokenizer (a tokenizer class, a tokenizer model id such as axolotl's
    `tokenizer_config`, TRL's `tokenizer_name_or_path` or open-instruct's
    `tokenizer_name`, torchtune's tokenizer builder), the model class or checkpoint type (axolotl
    `model_type`, torchtune `checkpointer.model_type` and `checkpoint_dir`),
    and the LoRA target modules (`query_key_value` is Falcon's, `qkv_proj`
    Phi-3's; Llama-style models have neither).

    ## Why is this bad?
    A Llama 2 tokenizer on a Llama 3 model maps text to the wrong ids; a
    checkpoint type of another family loads or converts weights wrongly; a
    LoRA target that does not exist in the model is either an error or, when
    some other target matches, silently leaves part of the model untrained.
    All three come from copying a config written for another model.

    ## Example
    ```yaml
    base_model: meta-llama/Meta-Llama-3-8B
    tokenizer_type: LlamaTokenizer
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Meta-Llama-3-8B
    tokenizer_type: AutoTokenizer
    ```
    """

    code = "C002"
    name = "tokenizer-model-mismatch"
    summary = "Tokenizer, checkpoint type or LoRA target modules from another model family."
    severity = Severity.ERROR

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        found = model_view(config)
        if found is None:
            return
        view, facts = found
        models = catalog(config)
        for value, message in (
            *self._tokenizer(view, facts, models),
            *self._model_class(view, facts),
            *self._checkpoint(view, facts, models),
            *self._targets(view, facts),
        ):
            yield finding_at(self, config, value, message)

    def _tokenizer(
        self, view: ConfigView, facts: ModelFacts, models: ModelCatalog
    ) -> Iterator[tuple[Located[str], str]]:
        if facts.tokenizer is None:
            return
        for value in (view.tokenizer_type, view.tokenizer):
            if value is None:
                continue
            lineage = _tokenizer_of(value.value, view.framework, models)
            if lineage is not None and lineage != facts.tokenizer:
                yield (
                    value,
                    (
                        f"{value.key} '{value.value}' is a {lineage} tokenizer, but the model "
                        f"{model_name(facts)} uses a {facts.tokenizer} tokenizer"
                    ),
                )

    def _model_class(
        self, view: ConfigView, facts: ModelFacts
    ) -> Iterator[tuple[Located[str], str]]:
        value = view.model_class
        if value is None or facts.family is None:
            return
        family = class_family(value.value)
        if family is not None and not class_loads(family, facts.family):
            yield (
                value,
                (
                    f"{value.key} '{value.value}' is for {family} models, but the model is "
                    f"{model_name(facts)}"
                ),
            )

    def _checkpoint(
        self, view: ConfigView, facts: ModelFacts, models: ModelCatalog
    ) -> Iterator[tuple[Located[str], str]]:
        value = view.checkpoint
        if value is None or "${" in value.value or facts.family is None:
            return
        other = models.family_in(value.value)
        if other is None or other.family is None:
            return
        if other.family != facts.family:
            yield (
                value,
                (
                    f"{value.key} '{value.value}' holds a {other.generation or other.family} "
                    f"checkpoint, but the model is {model_name(facts)}"
                ),
            )

    def _targets(self, view: ConfigView, facts: ModelFacts) -> Iterator[tuple[Located[str], str]]:
        targets = view.lora_target_modules
        if targets is None or facts.modules is None or view.framework == "torchtune":
            return
        foreign = FOREIGN_MODULES.get(facts.modules, frozenset())
        names = {
            word.lower()
            for target in targets.value
            for word in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", target)
        }
        wrong = sorted(names & foreign)
        if wrong and "vision" not in facts.id.lower():
            yield (
                Located[str](
                    value=",".join(wrong),
                    pointer=targets.pointer,
                    line=targets.line,
                    column=targets.column,
                ),
                (
                    f"LoRA target module{'s' if len(wrong) > 1 else ''} {', '.join(wrong)} "
                    f"{'do' if len(wrong) > 1 else 'does'} not exist in {model_name(facts)}, whose "
                    f"layers use {facts.modules}-style names; they come from another architecture"
                ),
            )


def _tokenizer_of(name: str, framework: str, models: ModelCatalog) -> str | None:
    """The lineage of a tokenizer a config names: a class, a torchtune
    builder, or a model id."""
    if framework == "torchtune" and name.startswith("torchtune.models."):
        module = name.split(".")[2]
        model_id = model_id_from_builder(f"torchtune.models.{module}.{module}")
        return models.from_name(model_id).tokenizer if model_id else None
    lineage = tokenizer_lineage(name)
    if lineage is not None or re.fullmatch(r"[A-Za-z0-9]+", name):
        return lineage
    return models.from_name(name).tokenizer
