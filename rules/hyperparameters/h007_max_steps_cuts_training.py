"""H007 max-steps-cuts-training."""

from __future__ import annotations

from collections.abc import Iterator

from ftlint.api import ConfigContext, ConfigRule, Finding, Severity
from ftlint.api.configs import finding_at, fmt, schedule, training_data, training_view


class MaxStepsCutsTraining(ConfigRule):
    """## What it does
    Checks `max_steps` (MLX-LM: `iters`) against the epochs and the data.
    With the training data linted in the same run: max_steps that stop
    before the configured epochs are done, or that cover less than half an
    epoch. Without it: max_steps set beside an explicit number of epochs
    over one (`num_epochs: 1` beside `max_steps` is the usual way to ask for
    a number of steps). A run over streamed data (axolotl's
    `pretraining_dataset`, `streaming: true`) is skipped: a stream has no
    length, and its trainer requires `max_steps`.

    ## Why is this bad?
    Trainers stop at max_steps whatever the epochs say. `max_steps: 60` is
    the demo length of many notebooks; left in a real config, it trains on a
    fraction of the data while the config still reads "3 epochs".

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    num_epochs: 3
    max_steps: 60
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    num_epochs: 3
    ```
    """

    code = "H007"
    name = "max-steps-cuts-training"
    summary = "max_steps stops the run before its epochs, or before half an epoch."
    severity = Severity.WARNING

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or view.max_steps is None or view.max_steps.default:
            return
        if view.streaming is not None and view.streaming.value:
            return  # a stream has no length: the trainer needs max_steps to stop
        max_steps = view.max_steps
        epochs = view.epochs if view.epochs is not None and not view.epochs.default else None
        data = training_data(config)
        plan = schedule(config, data)
        message = None
        if data is not None and plan is not None and plan.steps_per_epoch:
            covered = max_steps.value / plan.steps_per_epoch
            if epochs is not None and covered < epochs.value:
                message = (
                    f"max_steps {max_steps.value} stops training after {covered:.2g} of the "
                    f"{fmt(epochs.value)} epochs set by {epochs.key} ({data.description}, "
                    f"{plan.steps_per_epoch} steps an epoch at {plan.batch_description})"
                )
            elif covered < 0.5:
                message = (
                    f"max_steps {max_steps.value} x {plan.batch_description} covers "
                    f"{covered:.0%} of an epoch over the {data.description}"
                )
        elif data is None and epochs is not None and epochs.value > 1:
            message = (
                f"max_steps {max_steps.value} is set beside {epochs.key} {fmt(epochs.value)}: "
                f"training stops at max_steps, whatever the epochs say"
            )
        if message is not None:
            yield finding_at(self, config, max_steps, message)
