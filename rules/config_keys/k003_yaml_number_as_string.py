"""K003 yaml-number-as-string."""

from __future__ import annotations

from collections.abc import Iterator

from ftlint.api import ConfigContext, ConfigRule, Finding, Fix, FixSafety, Severity
from ftlint.api.configs import Difference, ScalarDifference, float_for_both

from ._common import differences, replace_scalar, yaml_dialect


class YamlNumberAsString(ConfigRule):
    """## What it does
    Finds numbers such as `2e-5` or `1.0e5` that YAML 1.2 reads as floats
    but PyYAML (YAML 1.1) reads as strings: PyYAML's floats need a dot in
    the mantissa and a sign in the exponent. Only reported for frameworks
    that hand the value on as PyYAML read it (Hugging Face `TrainingArguments`
    and TRL scripts); axolotl, LLaMA-Factory, torchtune and MLX-LM turn such
    strings into numbers themselves.

    ## Why is this bad?
    `learning_rate: 2e-5` reaches the trainer as the string `"2e-5"`;
    `HfArgumentParser.parse_yaml_file` does not convert it, and the run fails
    in the optimizer (`'<=' not supported between 'float' and 'str'`) after
    the model has loaded, or a script that does its own arithmetic goes
    wrong.

    ## Example
    ```yaml
    model_name_or_path: Qwen/Qwen2.5-7B
    per_device_train_batch_size: 4
    learning_rate: 2e-5
    ```

    Use instead:
    ```yaml
    model_name_or_path: Qwen/Qwen2.5-7B
    per_device_train_batch_size: 4
    learning_rate: 2.0e-5
    ```

    ## Fix safety
    The number is written with a dot in the mantissa and a sign in the
    exponent (`2e-5` becomes `2.0e-5`, `1E5` becomes `1.0E+5`): the float
    YAML 1.2 read, which PyYAML now reads too. Nothing else on the line
    changes.
    """

    code = "K003"
    name = "yaml-number-as-string"
    summary = "A float in YAML 1.2 that PyYAML (YAML 1.1) reads as a string."
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        dialect = yaml_dialect(config)
        if dialect is None or not dialect.reads_exponents_as_strings:
            return
        for difference in differences(config.document.text):
            if difference.kind is Difference.FLOAT_AS_STRING and not difference.is_key:
                yield self.finding(
                    f"'{difference.text}' is a float in YAML 1.2 but the string "
                    f"'{difference.text}' for PyYAML, which {config.framework} configs are "
                    f"loaded with; write it with a dot and a signed exponent",
                    config.document.location(difference.pointer),
                    fix=_fix(difference),
                    content_key=f"{difference.pointer}={difference.text}",
                )


def _fix(difference: ScalarDifference) -> Fix | None:
    rewritten = float_for_both(difference.text)
    if rewritten is None:
        return None
    return Fix(f"write {difference.text} as {rewritten}", (replace_scalar(difference, rewritten),))
