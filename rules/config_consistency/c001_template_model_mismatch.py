"""C001 template-model-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from ftlint.api import ConfigContext, ConfigRule, Finding, Severity
from ftlint.api.configs import accepted_template_families, finding_at, template_family

from ._common import model_name, model_view


class TemplateModelMismatch(ConfigRule):
    """## What it does
    Checks that a named chat template (axolotl `chat_template`, LLaMA-Factory
    `template`) belongs to the base model's family: `llama3` on Llama 3,
    `qwen`/`qwen3` on Qwen, `gemma` on Gemma. Generic formats (`chatml`,
    `alpaca`, `jinja`, `tokenizer_default`) and models of unknown family are
    not checked.

    ## Why is this bad?
    A template from another family wraps every turn in special tokens the
    model's tokenizer does not have (`<|start_header_id|>` on Qwen): they
    are split into ordinary text or added as untrained embeddings, the
    model learns a format it will never be prompted with, and inference with
    the model's own template gets worse, not better.

    ## Example
    ```yaml
    base_model: Qwen/Qwen2.5-7B-Instruct
    chat_template: llama3
    ```

    Use instead:
    ```yaml
    base_model: Qwen/Qwen2.5-7B-Instruct
    chat_template: qwen_25
    ```
    """

    code = "C001"
    name = "template-model-mismatch"
    summary = "The chat template belongs to another model family than the base model."
    severity = Severity.ERROR

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        found = model_view(config)
        if found is None:
            return
        view, facts = found
        template = view.template
        if template is None:
            return
        family = template_family(template.value)
        accepted = accepted_template_families(facts)
        if family is None or not accepted or family in accepted:
            return
        yield finding_at(
            self,
            config,
            template,
            f"{template.key} '{template.value}' is the {family} chat format, but the model "
            f"{model_name(facts)} uses the {'/'.join(sorted(accepted))} format",
        )
