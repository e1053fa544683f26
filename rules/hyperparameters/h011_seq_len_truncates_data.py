"""H011 seq-len-truncates-data."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import finding_at, training_data, training_view


class SeqLenTruncatesDataOptions(RuleOptions):
    warn_share: float = Field(
        default=0.01, ge=0, le=1, description="Share of truncated records for a warning."
    )
    error_share: float = Field(
        default=0.10, ge=0, le=1, description="Share of truncated records for an error."
    )
    short_quantile: float = Field(
        default=0.99,
        gt=0,
        le=1,
        description=(
            "The quantile of record lengths that, under `short-fraction` of the sequence "
            "length (and with packing off), makes the length reported as wasteful."
        ),
    )
    short_fraction: float = Field(
        default=0.25,
        gt=0,
        le=1,
        description=(
            "The fraction of the sequence length that `short-quantile` of the record lengths "
            "must stay under to be reported as wasteful."
        ),
    )


class SeqLenTruncatesData(ConfigRule):
    """## What it does
    Compares the sequence length with the token lengths of the training
    records linted in the same run (tokens are counted with the encoding in
    settings, as for T001). Over `warn-share` (1%) of records longer than the sequence
    length is a warning, over `error-share` (10%) an error. When the 99th
    percentile is under a quarter of the sequence length and packing is off,
    an info finding suggests a shorter length or packing; where the trainer
    pads each batch to its longest record (TRL's and LLaMA-Factory's
    collators, axolotl without `pad_to_sequence_len`), a shorter length
    would change nothing, and the finding suggests packing only.

    ## Why is this bad?
    Records longer than the sequence length are cut (losing their end, often
    the answer) or dropped, silently. A sequence length far above every
    record wastes memory on padding when the trainer pads to it, and time
    on short batches unless the records are packed.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: train.jsonl
        type: chat_template
    sequence_len: 512
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: train.jsonl
        type: chat_template
    sequence_len: 4096
    ```
    """

    code = "H011"
    name = "seq-len-truncates-data"
    summary = "Many training records are longer than the sequence length."
    severity = Severity.WARNING
    Options = SeqLenTruncatesDataOptions
    requires = frozenset({"tokens"})

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or view.sequence_len is None:
            return
        data = training_data(config)
        if data is None or not data.token_lengths:
            return
        length = view.sequence_len
        lengths = data.token_lengths
        over = sum(1 for n in lengths if n > length.value)
        share = over / len(lengths)
        # A default no key states has no key to name (its pointer is empty).
        name = length.key or "the default sequence length"
        where = f"{name} {length.value:,}" + (" (default)" if length.default and length.key else "")
        if share > self.options.warn_share:
            severity = Severity.ERROR if share > self.options.error_share else None
            yield finding_at(
                self,
                config,
                length,
                f"{over:,} of {len(lengths):,} training records ({share:.1%}) are longer than "
                f"{where} tokens and will be truncated or dropped; the longest has "
                f"{max(lengths):,} tokens",
                severity=severity,
            )
            return
        packing = view.packing is not None and view.packing.value
        quantile = sorted(lengths)[
            min(len(lengths) - 1, int(self.options.short_quantile * len(lengths)))
        ]
        if not packing and quantile < self.options.short_fraction * length.value:
            if view.pads_to_longest:
                # Padding stops at each batch's longest record: a shorter
                # length would change nothing, only packing fills the room.
                advice = (
                    "the trainer pads each batch to its longest record, so a shorter "
                    "sequence length would change nothing; packing would save time"
                )
            else:
                advice = "a shorter sequence length or packing would save memory and time"
            yield finding_at(
                self,
                config,
                length,
                f"{self.options.short_quantile:.0%} of training records have at most "
                f"{quantile:,} tokens, under a quarter of {where}, and packing is off: "
                f"{advice}",
                severity=Severity.INFO,
            )
