"""H010 seq-len-exceeds-context."""

from __future__ import annotations

from collections.abc import Iterator

from ftlint.api import ConfigContext, ConfigRule, Finding, Severity
from ftlint.api.configs import finding_at, training_view

from ._common import model_phrase


class SeqLenExceedsContext(ConfigRule):
    """## What it does
    Checks the training sequence length against the context length of the
    model (from a local `config.json`, or ftlint's table of model families).
    A longer sequence length with no rope scaling in the config (or in the
    local model's `config.json`) is reported.

    ## Why is this bad?
    Positions past the model's context were never seen in pretraining: the
    model's attention degrades there, and training on them teaches noise
    unless the rope is scaled (YaRN, linear, dynamic). A 32k sequence length
    copied from a Qwen config onto an 8k Llama 3 does exactly that.

    ## Example
    ```yaml
    base_model: meta-llama/Meta-Llama-3-8B
    sequence_len: 32768
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Meta-Llama-3-8B
    sequence_len: 8192
    ```
    """

    code = "H010"
    name = "seq-len-exceeds-context"
    summary = "The sequence length is over the model's context, with no rope scaling."
    severity = Severity.WARNING

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or view.sequence_len is None or view.sequence_len.default:
            return
        facts = view.model_facts
        if facts is None or facts.context is None or facts.rope_scaling:
            return
        if view.rope_scaling is not None:
            return
        length = view.sequence_len
        if length.value <= facts.context:
            return
        yield finding_at(
            self,
            config,
            length,
            f"{length.key} {length.value:,} is over the {facts.context:,}-token context of "
            f"{model_phrase(view)}, and the config sets no rope scaling",
        )
