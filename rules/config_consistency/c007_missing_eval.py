"""C007 missing-eval."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ftlint.api import ConfigContext, ConfigRule, Finding, Severity
from ftlint.api.configs import ConfigView, Located, locate, training_view


class MissingEval(ConfigRule):
    """## What it does
    Reports training configs that go over their data more than once (over
    one epoch) without evaluation data (a validation split,
    `val_set_size`/`val_size`, an eval dataset, a `validation_file`), also
    when they set an evaluation frequency (`evals_per_epoch: 4` beside
    `val_set_size: 0`) that is then silently ignored. For formats where
    evaluation data may come from the dataset itself (TRL takes a hub
    dataset's `test` split), only the absence of evaluation settings counts.
    Trainers without an evaluation loop (open-instruct's SFT and DPO
    scripts, which evaluate with separate jobs) are skipped: there is
    nothing to set.

    ## Why is this bad?
    Without held-out data the only curve is the training loss. In the first
    epoch every batch is new, so that loss still shows how the model
    generalises; from the second epoch on it keeps falling while the model
    memorises, and overfitting, a too-high learning rate or too many epochs
    cannot be seen until the model is used.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: data/train.jsonl
        type: chat_template
    num_epochs: 3
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: data/train.jsonl
        type: chat_template
    val_set_size: 0.05
    evals_per_epoch: 4
    num_epochs: 3
    ```
    """

    code = "C007"
    name = "missing-eval"
    summary = "No validation split and no eval settings: overfitting cannot be seen."
    severity = Severity.WARNING

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None or (not view.datasets and view.model is None):
            return
        if not view.evaluates_in_training:
            return  # nothing to configure: the trainer has no evaluation loop
        if not _several_epochs(view) or _evaluates(view):
            return
        requested = view.eval_requested()
        anchor: Located[Any] | None
        if requested is not None and not requested.default:
            message = (
                f"no evaluation data, so {requested.key} {requested.value:g} is ignored: only "
                f"the training loss will be seen, which cannot show overfitting"
            )
            anchor = requested
        else:
            message = (
                "no evaluation data and no evaluation settings: only the training loss will "
                "be seen, which cannot show overfitting"
            )
            anchor = view.val_size or view.eval_strategy or view.do_eval or view.model
        yield self.finding(message, locate(config.document, anchor), content_key="missing-eval")


def _evaluates(view: ConfigView) -> bool:
    """Whether the run evaluates (or C006 reports an evaluation switch that
    has no data). Where the data may hold its own eval split (TRL), any
    evaluation setting counts."""
    if view.eval_data_known:
        return view.has_eval_split() or view.eval_switched_on() is not None
    requested = view.eval_requested()
    return requested is not None and not requested.default


def _several_epochs(view: ConfigView) -> bool:
    """Whether the run goes over its data more than once, as far as the
    config says (a step count alone says nothing without the data, and gets
    the benefit of the doubt)."""
    if view.max_steps is not None and (view.epochs is None or view.epochs.default):
        return False
    return view.epochs is not None and view.epochs.value > 1
