"""One typed view of a training config, whatever framework wrote it.

axolotl says ``micro_batch_size``, LLaMA-Factory ``per_device_train_batch_size``,
torchtune ``batch_size`` and MLX-LM ``batch_size`` with ``iters`` for steps.
Each framework (``ftlint.frameworks``) normalises its configs into a
:class:`ConfigView`, so a rule asks one question (``view.learning_rate``) and
never learns the spelling of eight frameworks. Every value is
:class:`Located`: it keeps the JSON Pointer, line and column of the key it was
read from, so a finding points at the key, or, for a framework default that
the file does not write, at the key that made it matter.

The module also holds what rules derive from a view together with the run:
the training data a config names (:func:`training_data`), the step schedule
(:func:`schedule`), and what frameworks declare about their keys
(:class:`KeySchema`) and YAML loaders (:class:`YamlDialect`).
"""

from __future__ import annotations

import enum
import math
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from ftlint.discovery import split_from_name
from ftlint.model import Finding, Location, RelatedLocation, Severity
from ftlint.model_catalog import ModelCatalog, ModelFacts, builtin_catalog
from ftlint.records import Split

if TYPE_CHECKING:
    from ftlint.configs import ConfigDocument
    from ftlint.rule import ConfigContext, Rule

T = TypeVar("T")


class Located(BaseModel, Generic[T]):
    """A config value and where its key is.

    ``default`` is True for a value the framework assumes when the key is
    absent (LLaMA-Factory's ``lora_alpha`` of twice the rank); its pointer then
    names the key the default depends on, or is empty.
    """

    model_config = ConfigDict(frozen=True)

    value: T
    pointer: str = ""
    line: int = 0
    column: int = 0
    default: bool = False

    @property
    def key(self) -> str:
        """The last token of the pointer: the key as the file spells it."""
        return self.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")


class Task(enum.StrEnum):
    """What a config file is for. Only ``train`` configs get the hyperparameter
    and consistency rules; inference, export and evaluation configs share the
    format but not the concerns."""

    TRAIN = "train"
    INFERENCE = "inference"
    EXPORT = "export"
    EVALUATION = "evaluation"
    OTHER = "other"


class Method(enum.StrEnum):
    """Which weights a run trains."""

    FULL = "full"
    LORA = "lora"
    QLORA = "qlora"
    #: Some layers fully, the rest frozen (LLaMA-Factory ``freeze``).
    FREEZE = "freeze"
    #: Another adapter (OFT, IA3, LoHa, prompt tuning): no LoRA arithmetic.
    ADAPTER = "adapter"

    @property
    def is_lora(self) -> bool:
        return self in (Method.LORA, Method.QLORA)


class Objective(enum.StrEnum):
    """What the run optimises."""

    SFT = "sft"
    PRETRAIN = "pretrain"
    DPO = "dpo"
    KTO = "kto"
    ORPO = "orpo"
    SIMPO = "simpo"
    CPO = "cpo"
    GRPO = "grpo"
    PPO = "ppo"
    REWARD = "reward"
    DISTILL = "distill"
    OTHER = "other"

    @property
    def is_preference(self) -> bool:
        """Trained on chosen/rejected (or desirable/undesirable) pairs."""
        return self in _PREFERENCE

    @property
    def label(self) -> str:
        """How people write it: ``DPO``, ``SimPO``."""
        return _OBJECTIVE_TITLES.get(self, self.value)


_PREFERENCE = frozenset(
    {Objective.DPO, Objective.KTO, Objective.ORPO, Objective.SIMPO, Objective.CPO}
)
_OBJECTIVE_TITLES = {
    Objective.SFT: "SFT",
    Objective.DPO: "DPO",
    Objective.KTO: "KTO",
    Objective.ORPO: "ORPO",
    Objective.SIMPO: "SimPO",
    Objective.CPO: "CPO",
    Objective.GRPO: "GRPO",
    Objective.PPO: "PPO",
}


class DatasetRef(BaseModel):
    """A dataset a config names: a hub id, a local file or folder, or a name
    the framework resolves (LLaMA-Factory's ``dataset_info.json``).

    ``local_files`` are the existing files it resolves to, as absolute paths;
    empty for hub datasets. ``role`` is ``train`` or ``eval``.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    pointer: str
    line: int = 0
    column: int = 0
    role: str = "train"
    local_files: tuple[str, ...] = ()


class ConfigView(BaseModel):
    """A training config, normalised. Every field is optional: None means the
    config does not say and the framework has no default worth assuming."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    framework: str
    task: Task = Task.TRAIN

    model: Located[str] | None = None
    model_facts: ModelFacts | None = None
    method: Located[Method] | None = None
    #: The adapter as the config spells it (axolotl ``adapter: qlora``).
    adapter_name: Located[str] | None = None
    objective: Located[Objective] | None = None
    #: Weights loaded from somewhere the model key does not name (torchtune
    #: ``checkpointer.checkpoint_dir``).
    checkpoint: Located[str] | None = None

    learning_rate: Located[float] | None = None
    micro_batch_size: Located[int] | None = None
    gradient_accumulation: Located[int] | None = None
    epochs: Located[float] | None = None
    max_steps: Located[int] | None = None
    #: torchtune's cap on the steps of each epoch.
    max_steps_per_epoch: Located[int] | None = None
    sequence_len: Located[int] | None = None
    packing: Located[bool] | None = None
    rope_scaling: Located[Any] | None = None

    lora_r: Located[float] | None = None
    lora_alpha: Located[float] | None = None
    #: A LoRA scale given directly (MLX-LM's ``scale``), instead of alpha / r.
    lora_scale: Located[float] | None = None
    lora_dropout: Located[float] | None = None
    rslora: Located[bool] | None = None
    lora_target_modules: Located[tuple[str, ...]] | None = None

    warmup_steps: Located[float] | None = None
    warmup_ratio: Located[float] | None = None

    eval_strategy: Located[str] | None = None
    eval_steps: Located[float] | None = None
    evals_per_epoch: Located[float] | None = None
    val_size: Located[float] | None = None
    do_eval: Located[bool] | None = None
    save_steps: Located[float] | None = None
    saves_per_epoch: Located[float] | None = None
    #: False when evaluation data may come from outside the config (TRL takes a
    #: hub dataset's ``test`` split by default), so "no eval split" is unknown.
    eval_data_known: bool = True

    fp16: Located[Any] | None = None
    bf16: Located[Any] | None = None
    #: One precision name (torchtune ``dtype``, MLX none): ``bf16``, ``fp16``, ``fp32``.
    dtype: Located[str] | None = None
    load_in_4bit: Located[bool] | None = None
    load_in_8bit: Located[bool] | None = None

    template: Located[str] | None = None
    tokenizer: Located[str] | None = None
    tokenizer_type: Located[str] | None = None
    #: The model class or checkpoint type the config asks for
    #: (axolotl ``model_type``, torchtune ``checkpointer.model_type``).
    model_class: Located[str] | None = None

    datasets: tuple[DatasetRef, ...] = ()
    eval_datasets: tuple[DatasetRef, ...] = ()
    #: Keys that name the run's outputs: output folder, run name, hub id.
    output_names: tuple[Located[str], ...] = ()
    max_samples: Located[int] | None = None
    seed: Located[int] | None = None

    # --- Derived facts, shared by the rules.

    @property
    def is_training(self) -> bool:
        return self.task is Task.TRAIN

    @property
    def is_lora(self) -> bool:
        return self.method is not None and self.method.value.is_lora

    @property
    def is_full(self) -> bool:
        return self.method is not None and self.method.value is Method.FULL

    @property
    def is_preference(self) -> bool:
        return self.objective is not None and self.objective.value.is_preference

    @property
    def params_b(self) -> float | None:
        return self.model_facts.params_b if self.model_facts else None

    def lora_multiplier(self) -> tuple[float, str] | None:
        """The factor LoRA multiplies its update by, and how it came about:
        alpha / r, alpha / sqrt(r) with rsLoRA, or a scale given directly."""
        if self.lora_scale is not None:
            return self.lora_scale.value, f"scale {fmt(self.lora_scale.value)}"
        if self.lora_r is None or self.lora_alpha is None or self.lora_r.value <= 0:
            return None
        r, alpha = self.lora_r.value, self.lora_alpha.value
        if self.rslora is not None and self.rslora.value:
            return alpha / math.sqrt(r), f"alpha {fmt(alpha)} / sqrt(r {fmt(r)}) (rsLoRA)"
        return alpha / r, f"alpha {fmt(alpha)} / r {fmt(r)}"

    def has_eval_split(self) -> bool:
        """Whether the run has held-out data to evaluate on."""
        return bool(self.eval_datasets) or (self.val_size is not None and self.val_size.value > 0)

    def eval_switched_on(self) -> Located[Any] | None:
        """The key that switches evaluation on (an eval strategy other than
        ``no``, ``do_eval: true``): without evaluation data, trainers refuse it."""
        if self.eval_strategy is not None and self.eval_strategy.value not in ("no", "none", ""):
            return self.eval_strategy
        if self.do_eval is not None and self.do_eval.value:
            return self.do_eval
        return None

    def eval_requested(self) -> Located[Any] | None:
        """The key that asks for evaluation, if any does: a switch, or an
        evaluation frequency (which trainers ignore without evaluation data)."""
        switched = self.eval_switched_on()
        if switched is not None:
            return switched
        for value in (self.eval_steps, self.evals_per_epoch):
            if value is not None and value.value > 0:
                return value
        return None


def locate(document: ConfigDocument, value: Located[Any] | DatasetRef | None) -> Location:
    """Where a finding about ``value`` points: its key, or the whole file when
    the value is a default no key states."""
    if value is None or not value.pointer:
        return Location(document.display, 0, 1)
    return document.location(value.pointer)


def content_key(value: Located[Any] | DatasetRef | None) -> str:
    """A finding's content key for a config value: its pointer and value (no
    line numbers, so baselines survive edits above it)."""
    if value is None:
        return ""
    shown = value.name if isinstance(value, DatasetRef) else value.value
    return f"{value.pointer}={shown}"


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


def fmt(value: float) -> str:
    """A number as a config would write it: ``2e-05`` as ``2e-5``, ``16.0`` as ``16``."""
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    text = f"{value:.3g}" if abs(value) >= 1e-3 else f"{value:.2e}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    return text


# --- What frameworks declare about their files.


class YamlDialect(enum.StrEnum):
    """How a framework's own loader reads a YAML config; decides which YAML
    1.1/1.2 differences change what the trainer gets (K003, K004)."""

    #: PyYAML (YAML 1.1), values handed on as read (HfArgumentParser, LLaMA-Factory).
    PYYAML = "pyyaml"
    #: PyYAML, then a schema that turns numeric strings into numbers (axolotl).
    PYYAML_COERCED = "pyyaml-coerced"
    #: OmegaConf (torchtune): YAML 1.1 booleans, but ``1e-5`` is a float.
    OMEGACONF = "omegaconf"
    #: PyYAML with a float resolver that accepts ``1e-5`` (MLX-LM).
    PYYAML_FLOATS = "pyyaml-floats"
    #: Not YAML at all.
    JSON = "json"

    @property
    def reads_exponents_as_strings(self) -> bool:
        return self is YamlDialect.PYYAML

    @property
    def is_yaml_1_1(self) -> bool:
        return self is not YamlDialect.JSON


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A key a framework renamed or removed. ``replacement`` is the new key when
    a plain rename keeps the meaning (and so can be fixed automatically)."""

    replacement: str | None
    note: str = ""
    #: With ``replacement``: the value the new key takes when the old one is
    #: true (``flash_attention: true`` is ``attn_implementation: flash_attention_2``).
    value: str | None = None
    #: The transformers major version that removed the key, when the removal
    #: comes from transformers rather than the framework itself.
    transformers_major: int | None = None


@dataclass(frozen=True, slots=True)
class KeySchema:
    """The keys a framework knows, for K001 and K002.

    ``sections`` maps a pointer pattern of a mapping (``/peft_config``,
    ``/datasets/*`` for every item of a list) to the keys it may hold. Keys in
    ``open_sections`` hold free-form mappings (``/special_tokens``) and are not
    checked. ``deprecated`` maps a key at a pointer pattern (``/max_seq_length``)
    to its :class:`Deprecation`.
    """

    top_level: frozenset[str]
    sections: Mapping[str, frozenset[str]] = field(default_factory=dict)
    deprecated: Mapping[str, Deprecation] = field(default_factory=dict)
    #: Top-level keys starting with one of these are accepted (plugin namespaces).
    prefixes: tuple[str, ...] = ()

    def known(self, section: str) -> frozenset[str] | None:
        """The keys allowed in the mapping at pointer pattern ``section``
        (``""`` for the top level), or None when it is not checked."""
        if section == "":
            return self.top_level
        return self.sections.get(section)


# --- Facts derived from the view and the run.


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
