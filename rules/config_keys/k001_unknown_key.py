"""K001 unknown-key."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity, escape_token

from ._common import FOREIGN_UNKNOWN_KEYS, key_schema, mappings_at, split_pattern, unknown_keys

#: How many of the unknown keys a file-level finding names.
_NAMED = 5


class UnknownKeyOptions(RuleOptions):
    max_unknown_keys: int = Field(
        default=FOREIGN_UNKNOWN_KEYS,
        ge=1,
        description=(
            "More unknown top-level keys than this in one file are reported as one "
            "file-level finding (the config is probably another framework's), not "
            "one finding per key."
        ),
    )


#: Suggestions are looked for for this many unknown keys a config, of at most
#: this many characters (the search compares each with every known key).
MAX_SUGGESTIONS = 100
MAX_SUGGESTED_LENGTH = 100


class UnknownKey(ConfigRule):
    """## What it does
    Checks every key of a recognised config (the top level, and the
    sections ftlint knows, such as axolotl's dataset entries) against the
    keys its framework accepts, and suggests the closest known key. Keys of
    free-form sections (`special_tokens`, `fsdp_config`, torchtune's
    `_component_` arguments) are not checked, nor are keys left empty;
    renamed keys are K002's. The closest known key is looked for only for
    the first 100 unknown keys of a config, and only for keys of at most
    100 characters: a generated file with 30,000 keys took 33 s to suggest
    for, and such a file is no hand-written config.

    When many top-level keys are unknown (more than `max-unknown-keys`), the
    config is more likely another framework's, read as the closest one ftlint
    knows, than a file full of typos: K001 then reports the file once ("read
    as trl, but 14 keys are unknown to trl: is this another framework's
    config?"), naming the first few keys.

    ## Why is this bad?
    Most trainers ignore keys they do not know, or fail only after loading
    the model: torchtune recipes read keys with `cfg.get` and drop the rest,
    so `gradient_acumulation_steps: 8` trains with no accumulation, and
    nothing says so.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    lora_alpah: 32
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    lora_alpha: 32
    ```
    """

    code = "K001"
    name = "unknown-key"
    summary = "A key the recognised framework does not know."
    severity = Severity.WARNING
    Options = UnknownKeyOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        schema = key_schema(config)
        if schema is None:
            return
        suggested = 0
        for section in ("", *schema.sections):
            known = schema.known(section)
            if known is None:
                continue
            for pointer, mapping in mappings_at(config.document.data, section):
                unknown = unknown_keys(schema, section, mapping)
                if section == "" and len(unknown) > self.options.max_unknown_keys:
                    yield self._foreign_config(config, unknown)
                    continue
                for name in unknown:
                    suggested += 1
                    suggest = suggested <= MAX_SUGGESTIONS and len(name) <= MAX_SUGGESTED_LENGTH
                    yield self._finding(config, pointer, name, known if suggest else frozenset())

    def _foreign_config(self, config: ConfigContext, unknown: list[str]) -> Finding:
        """One finding for a file whose top level is largely unknown: the
        framework was probably recognised wrongly, and a finding per key would
        bury the one thing worth saying."""
        first = f"/{escape_token(unknown[0])}"
        named = ", ".join(f"'{name}'" for name in unknown[:_NAMED])
        more = f" and {len(unknown) - _NAMED} more" if len(unknown) > _NAMED else ""
        return self.finding(
            f"read as {config.framework}, but {len(unknown)} keys are unknown to "
            f"{config.framework} ({named}{more}): is this another framework's config?",
            config.document.location(first),
            content_key="unknown-keys",
        )

    def _finding(
        self, config: ConfigContext, pointer: str, name: str, known: frozenset[str]
    ) -> Finding:
        at = f"{pointer}/{escape_token(name)}"
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        where = split_pattern(pointer)[1] if pointer else ""
        section = f" in '{where}'" if where and not where.isdigit() else ""
        return self.finding(
            f"unknown key '{name}'{section} for {config.framework}{hint}",
            config.document.location(at),
            content_key=at,
        )
