"""H006 batch-exceeds-dataset."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import Located, finding_at, schedule, training_data, training_view


class BatchExceedsDatasetOptions(RuleOptions):
    min_total_steps: int = Field(default=30, ge=1, description="Fewest optimizer steps for a run.")


class BatchExceedsDataset(ConfigRule):
    """## What it does
    Relates the batch size to the training data linted in the same run (the
    local files the config names, or the dataset files named beside it on
    the command line). Effective batch = micro batch x gradient accumulation
    x devices (`devices` in settings, default 1). An effective batch larger
    than the whole training set is an error; a run of fewer than
    `min-total-steps` (30) optimizer steps is a warning.

    ## Why is this bad?
    With fewer records than one batch, an epoch is a single, partial
    optimizer step; with a handful of steps, warmup and the learning-rate
    schedule never play out and the adapter barely moves. Batch settings
    copied from a config written for a 50,000-record dataset do this to a
    200-record one.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: train.jsonl
        type: chat_template
    micro_batch_size: 16
    gradient_accumulation_steps: 8
    num_epochs: 1
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: train.jsonl
        type: chat_template
    micro_batch_size: 2
    gradient_accumulation_steps: 2
    num_epochs: 3
    ```
    """

    code = "H006"
    name = "batch-exceeds-dataset"
    summary = "The effective batch is larger than the training data, or the run is a few steps."
    severity = Severity.ERROR
    Options = BatchExceedsDatasetOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        data = training_data(config) if view is not None else None
        plan = schedule(config, data) if data is not None else None
        if view is None or data is None or plan is None:
            return
        anchor: Located[int] | None = view.micro_batch_size or view.gradient_accumulation
        if data.records < plan.effective_batch:
            yield finding_at(
                self,
                config,
                anchor,
                f"{plan.batch_description} is larger than the {data.description}: "
                f"an epoch is less than one optimizer step",
            )
            return
        total = plan.total_steps
        if total is not None and total < self.options.min_total_steps:
            yield finding_at(
                self,
                config,
                anchor,
                f"the run is only {total} optimizer step{'s' if total != 1 else ''} "
                f"({data.description}, {plan.batch_description}"
                f"{_epochs(plan.epochs, plan.max_steps)}); under "
                f"{self.options.min_total_steps} steps the schedule never plays out",
                severity=Severity.WARNING,
            )


def _epochs(epochs: float | None, max_steps: int | None) -> str:
    if max_steps is not None:
        return f", max_steps {max_steps}"
    if epochs is not None:
        return f", {epochs:g} epoch{'s' if epochs != 1 else ''}"
    return ""
