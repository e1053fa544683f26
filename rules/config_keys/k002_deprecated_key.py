"""K002 deprecated-key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field

from ftlint.api import (
    ConfigContext,
    ConfigRule,
    Edit,
    Finding,
    Fix,
    FixSafety,
    RuleOptions,
    Severity,
    escape_token,
)
from ftlint.api.configs import Deprecation

from ._common import key_schema, looks_foreign, mappings_at, split_pattern


class DeprecatedKeyOptions(RuleOptions):
    transformers_major: int = Field(
        default=5,
        ge=4,
        description=(
            "The transformers major version the config targets; removals of a later version "
            "are not reported."
        ),
    )


class DeprecatedKey(ConfigRule):
    """## What it does
    Reports keys the recognised framework renamed or removed: TRL's
    `max_seq_length` (now `max_length`), `evaluation_strategy` (now
    `eval_strategy`), axolotl's `flash_attention` (now `attn_implementation`),
    MLX-LM's `lora_layers` (now `num_layers`), and the `TrainingArguments`
    that transformers 5 removed (`warmup_ratio`, `overwrite_output_dir`, ...;
    set `transformers-major = 4` to accept those). Keys left empty are
    harmless and not reported. A config
    with more unknown top-level keys than K001 tolerates (3) is probably
    another framework's, whose keys the recognised one's renames do not
    concern: K002 leaves it to K001's question.

    ## Why is this bad?
    A removed key is an error in the framework's newer versions
    (HfArgumentParser refuses unknown keys) or, worse, silently ignored,
    and a renamed one stops working the day the old name is dropped.

    ## Example
    ```yaml
    model_name_or_path: Qwen/Qwen2.5-7B
    per_device_train_batch_size: 4
    evaluation_strategy: steps
    ```

    Use instead:
    ```yaml
    model_name_or_path: Qwen/Qwen2.5-7B
    per_device_train_batch_size: 4
    eval_strategy: steps
    ```

    ## Fix safety
    A rename that keeps the meaning is fixed: `evaluation_strategy: steps`
    becomes `eval_strategy: steps`, and a switch replaced by a setting
    (`flash_attention: true`) becomes that setting
    (`attn_implementation: flash_attention_2`) when its value is a plain
    true. There is no fix when the new key is already there, when the old
    key is quoted or in a flow mapping (`{...}`), or when the key was
    removed without a replacement: what to do then is the user's choice.
    """

    code = "K002"
    name = "deprecated-key"
    summary = "A key the framework renamed or removed."
    severity = Severity.WARNING
    Options = DeprecatedKeyOptions
    fix_safety = FixSafety.SAFE

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        schema = key_schema(config)
        if schema is None or looks_foreign(config, schema):
            return  # K001 asks whether it is another framework's config
        for pattern, deprecation in schema.deprecated.items():
            major = deprecation.transformers_major
            if major is not None and major > self.options.transformers_major:
                continue
            parent, key = split_pattern(pattern)
            for pointer, mapping in mappings_at(config.document.data, parent):
                if key in mapping and mapping[key] is not None:
                    yield self._finding(config, pointer, mapping, key, deprecation)

    def _finding(
        self,
        config: ConfigContext,
        pointer: str,
        mapping: dict[str, Any],
        key: str,
        deprecation: Deprecation,
    ) -> Finding:
        at = f"{pointer}/{escape_token(key)}"
        note = deprecation.note or (
            f"renamed to {deprecation.replacement}" if deprecation.replacement else "removed"
        )
        return self.finding(
            f"'{key}' is deprecated in {config.framework}: {note}",
            config.document.location(at),
            fix=_rename(config, mapping, key, deprecation),
            content_key=at,
        )


def _rename(
    config: ConfigContext, mapping: dict[str, Any], key: str, deprecation: Deprecation
) -> Fix | None:
    """The rename of a key whose replacement keeps its meaning, when the new
    key is not already there and the old one is written plainly."""
    replacement = deprecation.replacement
    lc = getattr(mapping, "lc", None)
    if replacement is None or replacement in mapping or lc is None:
        return None
    line, column = lc.key(key)
    lines = config.document.text.splitlines()
    if line >= len(lines) or not lines[line][column:].startswith(key):
        return None  # a quoted or flow-style key: leave it to the user
    if deprecation.value is None:
        edit = Edit(line + 1, column + 1, line + 1, column + 1 + len(key), replacement)
        return Fix(f"rename '{key}' to '{replacement}'", (edit,))
    # The value as written, not as YAML 1.2 reads it: `yes` and `on` are true
    # for the PyYAML that trainers load configs with (K004's business).
    value_line, value_column = lc.value(key)
    text = lines[value_line][value_column:]
    word = text.split("#", 1)[0].strip()
    if value_line != line or word.lower() not in ("true", "yes", "on"):
        return None
    end = value_column + text.index(word) + len(word)
    edit = Edit(line + 1, column + 1, line + 1, end + 1, f"{replacement}: {deprecation.value}")
    return Fix(f"replace '{key}: {word}' with '{replacement}: {deprecation.value}'", (edit,))
