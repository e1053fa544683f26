"""K005 unrecognised-config."""

from __future__ import annotations

from collections.abc import Iterator

from ftlint import ConfigContext, ConfigRule, Finding, Location, Severity

#: Configs of tools around training, by keys that identify them.
_NOT_TRAINING = (
    (("compute_environment", "distributed_type"), "an Accelerate launcher config"),
    (("zero_optimization",), "a DeepSpeed config"),
    (("train_micro_batch_size_per_gpu",), "a DeepSpeed config"),
)


class UnrecognisedConfig(ConfigRule):
    """## What it does
    Reports a YAML or JSON file named on the command line as a config that no
    known framework recognises (axolotl, LLaMA-Factory v0 and v1, torchtune,
    Hugging Face `TrainingArguments`/TRL, OpenAI fine-tuning jobs, MLX-LM,
    Unsloth Studio). Files found by walking a folder are skipped instead.
    Launcher configs (Accelerate, DeepSpeed) are named as such.

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
        what = "no known training framework recognises this config"
        if isinstance(data, dict):
            for keys, name in _NOT_TRAINING:
                if all(key in data for key in keys):
                    what = f"this looks like {name}, not a training config"
                    break
        elif data is None:
            what = "the file is empty"
        else:
            kind = "list" if isinstance(data, list) else "single value"
            what = f"the file holds a {kind}, not a config mapping"
        yield self.finding(
            f"{what}; the config rules cannot check it",
            Location(config.document.display, 0, 1),
            content_key="unrecognised",
        )
