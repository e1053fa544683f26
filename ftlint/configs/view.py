"""One typed view of a training config, whatever framework wrote it.

axolotl says ``micro_batch_size``, LLaMA-Factory ``per_device_train_batch_size``,
torchtune ``batch_size`` and MLX-LM ``batch_size`` with ``iters`` for steps.
Each framework (``ftlint.configs.frameworks``) normalises its configs into a
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
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from ftlint.configs.model_catalog import ModelFacts
from ftlint.core.findings import Location
from ftlint.core.pointers import unescape_token

if TYPE_CHECKING:
    from ftlint.configs.document import ConfigDocument

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
        return unescape_token(self.pointer.rsplit("/", 1)[-1])


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
    #: The training data is streamed (axolotl ``pretraining_dataset``,
    #: ``streaming: true``): its length is unknown, so the trainer needs
    #: ``max_steps`` and counts no epochs.
    streaming: Located[bool] | None = None
    sequence_len: Located[int] | None = None
    packing: Located[bool] | None = None
    #: True when the trainer pads each batch to its longest record (TRL's and
    #: transformers' default collators, axolotl without ``sample_packing`` or
    #: ``pad_to_sequence_len``), so that a sequence length above the records
    #: costs nothing; None when the framework does not say.
    pads_to_longest: bool | None = None
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
    #: False when the trainer has no evaluation loop to configure (open-instruct's
    #: SFT and DPO scripts evaluate with separate jobs), so there is no eval
    #: setting to ask for.
    evaluates_in_training: bool = True

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


# --- Facts derived from the view and the run.
