"""Everything a config rule uses, in one place.

The helpers defined here work on a :class:`~ftlint.api.rules.ConfigContext`:
where a finding about a config value points (:func:`finding_at`), the view of
a training config (:func:`training_view`), the run's model catalogue
(:func:`catalog`), the training data a config names (:func:`training_data`)
and its step schedule (:func:`schedule`). The rest is re-exported from
:mod:`ftlint.configs`: the normalised view and its located values, the key
schemas frameworks declare, the model catalogue and the YAML 1.1 vs 1.2
comparison.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftlint.configs.document import (
    ConfigDocument,
    launcher_kind,
    reads_like_training_config,
)
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.model_catalog import (
    FOREIGN_MODULES,
    ModelCatalog,
    ModelFacts,
    ModelSpec,
    accepted_template_families,
    builtin_catalog,
    class_family,
    class_loads,
    format_size,
    model_id_from_builder,
    sizes_in,
    template_family,
    tokenizer_lineage,
)
from ftlint.configs.schema import Deprecation, KeySchema, YamlDialect
from ftlint.configs.view import (
    ConfigView,
    DatasetRef,
    Located,
    Method,
    Objective,
    Task,
    content_key,
    fmt,
    locate,
)
from ftlint.configs.yaml_compat import (
    Difference,
    ScalarDifference,
    float_for_both,
    scalar_differences,
)
from ftlint.core.findings import Finding, RelatedLocation, Severity
from ftlint.core.naming import split_from_name
from ftlint.core.records import Split

if TYPE_CHECKING:
    from ftlint.api.rules import ConfigContext, Rule

__all__ = [
    "FOREIGN_MODULES",
    "ConfigDocument",
    "ConfigFramework",
    "ConfigView",
    "DatasetRef",
    "Deprecation",
    "Difference",
    "KeySchema",
    "Located",
    "Method",
    "ModelCatalog",
    "ModelFacts",
    "ModelSpec",
    "Objective",
    "ScalarDifference",
    "Schedule",
    "Task",
    "TrainingData",
    "YamlDialect",
    "accepted_template_families",
    "catalog",
    "class_family",
    "class_loads",
    "content_key",
    "finding_at",
    "float_for_both",
    "fmt",
    "format_size",
    "launcher_kind",
    "locate",
    "model_id_from_builder",
    "reads_like_training_config",
    "scalar_differences",
    "schedule",
    "sizes_in",
    "template_family",
    "tokenizer_lineage",
    "training_data",
    "training_view",
]


def finding_at(
    rule: Rule,
    config: ConfigContext,
    value: Located[Any] | DatasetRef | None,
    message: str,
    *,
    related: Iterable[RelatedLocation] = (),
    severity: Severity | None = None,
) -> Finding:
    """A config rule's finding about ``value``: it points at the value's key
    (:func:`locate`) and is known by the value itself (:func:`content_key`),
    so that every config rule places and names its findings alike."""
    return rule.finding(
        message,
        locate(config.document, value),
        related=related,
        severity=severity,
        content_key=content_key(value),
    )


def training_view(config: ConfigContext) -> ConfigView | None:
    """The view of a training config; None for the configs of other tasks
    (inference, export, evaluation: the same format, other concerns) and for
    configs no framework normalised."""
    view = config.view
    return view if view is not None and view.is_training else None


def catalog(config: ConfigContext) -> ModelCatalog:
    """The run's model catalog (built-ins and plugin models)."""
    return config.catalog or builtin_catalog()


@dataclass(frozen=True, slots=True)
class TrainingData:
    """The linted training files a config uses, and what the run counted.

    ``token_lengths`` holds every record's token count when the run counted
    tokens for all of ``files``, else None. ``named`` is True when the config
    names the files itself (not only the command line).
    """

    records: int
    files: tuple[str, ...]
    token_lengths: array[int] | None
    named: bool

    @property
    def description(self) -> str:
        shown = ", ".join(self.files[:2]) + (", ..." if len(self.files) > 2 else "")
        return f"{self.records:,} records in {shown}"


def training_data(config: ConfigContext) -> TrainingData | None:
    """The training data of a config, from the dataset files linted in the same
    run: those the config names when they are local, else those named on the
    command line beside the config. None when neither applies."""
    view = config.view
    if view is None:
        return None
    counts = config.datasets
    by_path = {_resolved(display): display for display in counts}
    named = [by_path[file] for ref in view.datasets for file in ref.local_files if file in by_path]
    files = list(dict.fromkeys(named))
    was_named = bool(files)
    if not files:
        files = [d for d in sorted(config.explicit_datasets) if d in counts and _is_train(d)]
    if not files:
        return None
    records = sum(counts[f] for f in files)
    lengths: array[int] | None = array("I")
    for display in files:
        file_lengths = config.token_lengths.get(display)
        if file_lengths is None or lengths is None:
            lengths = None
            continue
        lengths.extend(file_lengths)
    return TrainingData(records, tuple(files), lengths, was_named)


def _resolved(display: str) -> str:
    try:
        return str(Path(display).resolve())
    except OSError:
        return display


def _is_train(display: str) -> bool:
    split = split_from_name(Path(display))
    return split is None or split is Split.TRAIN


@dataclass(frozen=True, slots=True)
class Schedule:
    """How many optimizer steps a run takes.

    effective batch = micro batch x gradient accumulation x devices;
    steps per epoch = ceil(records / effective batch) (capped by torchtune's
    ``max_steps_per_epoch``); total steps = max_steps, else steps per epoch x
    epochs. Record-dependent numbers are None without training data.
    """

    micro_batch: int
    accumulation: int
    devices: int
    records: int | None
    epochs: float | None
    max_steps: int | None
    steps_per_epoch: int | None
    total_steps: int | None

    @property
    def effective_batch(self) -> int:
        return self.micro_batch * self.accumulation * self.devices

    @property
    def batch_description(self) -> str:
        devices = f"{self.devices} device" + ("s" if self.devices != 1 else "")
        return (
            f"effective batch {self.effective_batch} (micro batch {self.micro_batch} x "
            f"accumulation {self.accumulation} x {devices})"
        )


def schedule(config: ConfigContext, data: TrainingData | None = None) -> Schedule | None:
    """The step schedule of a training config (see :class:`Schedule`)."""
    view = training_view(config)
    if view is None:
        return None
    micro = view.micro_batch_size.value if view.micro_batch_size else 1
    accumulation = view.gradient_accumulation.value if view.gradient_accumulation else 1
    devices = max(config.devices, 1)
    epochs = view.epochs.value if view.epochs is not None else None
    max_steps = view.max_steps.value if view.max_steps is not None else None
    records = data.records if data is not None else None
    steps_per_epoch = None
    if records is not None and micro > 0 and accumulation > 0:
        steps_per_epoch = math.ceil(records / (micro * accumulation * devices)) if records else 0
        if view.max_steps_per_epoch is not None and view.max_steps_per_epoch.value > 0:
            steps_per_epoch = min(steps_per_epoch, view.max_steps_per_epoch.value)
    total = max_steps
    if total is None and steps_per_epoch is not None and epochs is not None:
        total = math.ceil(steps_per_epoch * epochs)
    return Schedule(
        micro_batch=max(micro, 1),
        accumulation=max(accumulation, 1),
        devices=devices,
        records=records,
        epochs=epochs,
        max_steps=max_steps,
        steps_per_epoch=steps_per_epoch,
        total_steps=total,
    )
