"""K004 yaml-1.1-pitfall."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ftlint.api import ConfigContext, ConfigRule, Finding, Fix, FixSafety, Severity
from ftlint.api.configs import Difference, ScalarDifference

from ._common import differences, replace_scalar, yaml_dialect

_BOOLEAN_WORDS = frozenset({"yes", "no", "on", "off"})
#: Keys whose values are names, where ``no`` means the strategy "no".
_STRING_KEY = re.compile(
    r"(?:_strategy|_side|_type|report_to|optim|optimizer|attn_implementation|device_map|padding)$"
)


class Yaml11Pitfall(ConfigRule):
    """## What it does
    Finds plain values that PyYAML (YAML 1.1), which nearly every trainer
    loads configs with, reads differently from YAML 1.2: `yes`/`no`/`on`/
    `off` (booleans for PyYAML, strings for YAML 1.2), leading-zero numbers
    (`010` is 8 for PyYAML), `1:30` (90 for PyYAML), `0o10` (a string for
    PyYAML).

    ## Why is this bad?
    The trainer sees another value than the one tools built on YAML 1.2
    (editors, linters, converters) show: `save_strategy: no` reaches
    transformers as the boolean False and fails validation, `seed: 0042` is
    34.

    ## Example
    ```yaml
    model_name_or_path: Qwen/Qwen2.5-7B
    per_device_train_batch_size: 4
    save_strategy: no
    ```

    Use instead:
    ```yaml
    model_name_or_path: Qwen/Qwen2.5-7B
    per_device_train_batch_size: 4
    save_strategy: "no"
    ```

    ## Fix safety
    Only a `yes`/`no`/`on`/`off` value on one line is fixed. It becomes
    `true` or `false`, the boolean the trainer reads today, so the run does
    not change; where the key takes a name (`*_strategy`, `report_to`,
    `optim`, ...) it is quoted instead (`save_strategy: "no"`), which is
    what was meant and what the key accepts, but hands the trainer a string
    where it got a boolean before. Keys and numbers are not fixed: only the
    user knows which reading they meant.
    """

    code = "K004"
    name = "yaml-1.1-pitfall"
    summary = "A value that PyYAML (YAML 1.1) and YAML 1.2 read differently."
    severity = Severity.WARNING
    fix_safety = FixSafety.SAFE

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        dialect = yaml_dialect(config)
        if dialect is None or not dialect.is_yaml_1_1:
            return
        for difference in differences(config.document.text):
            if difference.kind is Difference.FLOAT_AS_STRING:
                continue
            what = "key" if difference.is_key else "value"
            yield self.finding(
                f"the {what} '{difference.text}' is the {difference.type11} "
                f"{difference.yaml11!r} for PyYAML (YAML 1.1), which {config.framework} loads "
                f"configs with, but the {difference.type12} {difference.yaml12!r} in YAML 1.2",
                config.document.location(difference.pointer),
                fix=None if difference.is_key else _fix(difference),
                content_key=f"{difference.pointer}={difference.text}",
            )


def _fix(difference: ScalarDifference) -> Fix | None:
    word = difference.text.lower()
    if word not in _BOOLEAN_WORDS or difference.end_line != difference.line:
        return None
    key = difference.pointer.rsplit("/", 1)[-1]
    if _STRING_KEY.search(key):
        replacement, why = f'"{difference.text}"', "quote it: the key takes a name"
    else:
        replacement = "true" if word in ("yes", "on") else "false"
        why = f"write {replacement}, the value the trainer reads"
    return Fix(
        f"{why} ({difference.text} -> {replacement})", (replace_scalar(difference, replacement),)
    )
