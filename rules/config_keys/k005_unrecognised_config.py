"""K005 unrecognised-config."""

from __future__ import annotations

from collections.abc import Iterator

from ftlint import ConfigContext, ConfigRule, Finding, Location, Severity


#: Configs of tools around training, by keys that identify them.
class UnrecognisedConfig(ConfigRule):
    """## What it does
    Reports a YAML or JSON file named on the command line as a config that no
    known framework recognises (axolotl, LLaMA-Factory v0 and v1, torchtune,
    Hugging Face `TrainingArguments`/TRL, OpenAI fine-tuning jobs, MLX-LM,
    Unsloth Studio) but reads like a training config: a mapping with a
    training key (`learning_rate`, `base_model`, `num_epochs`, ...) at its
    top level. Files found by walking a folder are skipped, and so are named
    files that read like no training config (a CI workflow, `package.json`,
    an Accelerate or DeepSpeed launcher config), since pre-commit names every
    changed YAML and JSON file.

    ## Why is this bad?
    None of the config rules can check it: a typo in the top-level keys, a
    config of a framework ftlint does not know, or a file that is not a
    training config at all. The user asked for it to be linted, so silence
    would be a false all-clear.

    ## Example
    ```yaml
    model: my-model
    lr: 0.001
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    learning_rate: 0.0002
    ```

    ## Options
    None.
    """

    code = "K005"
    name = "unrecognised-config"
    summary = "A file named as a config that matches no known framework."
    severity = Severity.ERROR

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        if config.framework is not None:
            return
        data = config.document.data
        keys = ", ".join(f"'{key}'" for key in list(data)[:6]) if isinstance(data, dict) else ""
        yield self.finding(
            f"no known training framework recognises this config (top-level keys {keys}); "
            "the config rules cannot check it",
            Location(config.document.display, 0, 1),
            content_key="unrecognised",
        )
