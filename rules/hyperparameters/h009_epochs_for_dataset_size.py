"""H009 epochs-for-dataset-size."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import finding_at, fmt, training_data, training_view


class EpochsForDatasetSizeOptions(RuleOptions):
    default_epochs: float = Field(
        default=3,
        gt=0,
        description=(
            "The size-appropriate epochs for a dataset of `small-records` to `large-records` "
            "records."
        ),
    )
    small_records: int = Field(
        default=100, ge=1, description="Records under which a dataset is small."
    )
    small_epochs: float = Field(
        default=6, gt=0, description="The size-appropriate epochs for a small dataset."
    )
    large_records: int = Field(
        default=25000, ge=1, description="Records over which a dataset is large."
    )
    large_epochs: float = Field(
        default=1, gt=0, description="The size-appropriate epochs for a large dataset."
    )
    min_epochs: float = Field(default=3, ge=0, description="Epochs up to this are never reported.")


class EpochsForDatasetSize(ConfigRule):
    """## What it does
    Relates the number of epochs to the size of the training data linted in
    the same run. The size-appropriate count is `default-epochs` (3), more
    (`small-epochs`, 6) under `small-records` (100) records, fewer
    (`large-epochs`, 1) over `large-records` (25,000). Epochs over twice that
    and over `min-epochs` (3) are reported.

    ## Why is this bad?
    Each epoch shows the model every record again. Ten epochs over 40,000
    records teach it those records by heart (the training loss goes to zero
    and the validation loss climbs); the epoch count was set for a dataset a
    hundred times smaller.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: train.jsonl
        type: chat_template
    num_epochs: 10
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: train.jsonl
        type: chat_template
    num_epochs: 3
    ```
    """

    code = "H009"
    name = "epochs-for-dataset-size"
    summary = "Far more epochs than the size of the training data calls for."
    severity = Severity.WARNING
    Options = EpochsForDatasetSizeOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or view.epochs is None or view.max_steps is not None:
            return
        data = training_data(config)
        if data is None or data.records == 0:
            return
        epochs = view.epochs
        suitable = self._suitable(data.records)
        if epochs.value <= max(2 * suitable, self.options.min_epochs):
            return
        yield finding_at(
            self,
            config,
            epochs,
            f"{fmt(epochs.value)} epochs over {data.description}: about {fmt(suitable)} "
            f"suit a dataset of this size; more will memorise it",
        )

    def _suitable(self, records: int) -> float:
        if records < self.options.small_records:
            return float(self.options.small_epochs)
        if records > self.options.large_records:
            return float(self.options.large_epochs)
        return float(self.options.default_epochs)
