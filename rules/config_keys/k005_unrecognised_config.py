"""K005 unrecognised-config."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftlint.api import ConfigContext, ConfigRule, Finding, Location, Severity
from ftlint.api.configs import launcher_kind, reads_like_training_config


#: Configs of tools around training, by keys that identify them.
class UnrecognisedConfig(ConfigRule):
    """## What it does
    Reports a YAML or JSON file named on the command line as a config that no
    known framework recognises (axolotl, LLaMA-Factory v0 and v1, torchtune,
    Hugging Face `TrainingArguments`/TRL, open-instruct, open-r1, OpenAI
    fine-tuning jobs, MLX-LM, Unsloth Studio). Files found by walking a
    folder are skipped (the summary counts them; `--show-files` lists them).
    A named file that reads like a training config (a mapping with a
    training key such as `learning_rate`, `base_model` or `num_epochs` at its
    top level) is an error; one that does not (an Accelerate or DeepSpeed launcher
    config, a CI workflow, `package.json`) is reported as information only,
    so that a pre-commit hook, which names every changed YAML and JSON file,
    does not fail on it.

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
    """

    code = "K005"
    name = "unrecognised-config"
    summary = "A file named as a config that matches no known framework."
    severity = Severity.ERROR

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        if config.framework is not None:
            return
        data = config.document.data
        location = Location(config.document.display, 0, 1)
        if reads_like_training_config(data):
            keys = ", ".join(f"'{key}'" for key in list(data)[:6])
            yield self.finding(
                f"no known training framework recognises this config (top-level keys {keys}); "
                "the config rules cannot check it",
                location,
                content_key="unrecognised",
            )
            return
        yield self.finding(
            f"{_what_it_is(data)}, not a training config; the config rules do not check it",
            location,
            severity=Severity.INFO,
            content_key="not-a-training-config",
        )


def _what_it_is(data: Any) -> str:
    """What a named YAML or JSON file that is no training config seems to be."""
    if isinstance(data, dict):
        launcher = launcher_kind(data)
        return f"this looks like {launcher}" if launcher else "this file has no training keys"
    if data is None:
        return "the file is empty"
    return f"the file holds a {'list' if isinstance(data, list) else 'single value'}"
