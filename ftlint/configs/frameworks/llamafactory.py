"""LLaMA-Factory configs, in both layouts.

v0 (``llamafactory-cli train``): flat YAML of Hugging Face ``TrainingArguments``
plus LLaMA-Factory's own keys: ``model_name_or_path``, ``stage``,
``finetuning_type``, ``template``, ``dataset`` (names from
``<dataset_dir>/dataset_info.json``), ``cutoff_len``. The same layout serves
inference (``infer_backend``) and LoRA export (``export_dir``).

v1: ``model``, ``peft_config``, ``train_dataset``, ``micro_batch_size``,
``dist_config``.

Both are loaded with OmegaConf, so ``learning_rate: 1e-4`` is a float.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import (
    BuiltinFramework,
    Fields,
    config_folder,
    count_markers,
    dataset_ref,
    items,
    method_from_name,
    model_facts,
    named_datasets,
    positive,
    top_keys,
    training_arguments,
)
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema, YamlDialect
from ftlint.configs.view import ConfigView, DatasetRef, Located, Method, Objective, Task

_V0_STRONG = ("stage", "finetuning_type")
_V0_MARKERS = (
    "template",
    "cutoff_len",
    "dataset",
    "dataset_dir",
    "max_samples",
    "lora_target",
    "export_dir",
    "infer_backend",
    "plot_loss",
    "adapter_name_or_path",
    "quantization_bit",
)
_V1_MARKERS = (
    "peft_config",
    "train_dataset",
    "dist_config",
    "kernel_config",
    "model_class",
    "init_config",
    "sample_backend",
    "quant_config",
    "batching_strategy",
)
_STAGES = {
    "sft": Objective.SFT,
    "pt": Objective.PRETRAIN,
    "rm": Objective.REWARD,
    "ppo": Objective.PPO,
    "dpo": Objective.DPO,
    "kto": Objective.KTO,
}
_PREF_LOSS = {"orpo": Objective.ORPO, "simpo": Objective.SIMPO}
_FINETUNING = {"lora": Method.LORA, "full": Method.FULL, "freeze": Method.FREEZE}


class LlamaFactory(BuiltinFramework):
    """LLaMA-Factory's flat (v0) layout."""

    name: ClassVar[str] = "llamafactory"
    dialect: ClassVar[YamlDialect] = YamlDialect.OMEGACONF

    def __init__(self) -> None:
        self._dataset_infos: dict[Path, dict[str, Any]] = {}

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        if "model_name_or_path" not in keys:
            return 0.0
        if any(key in keys for key in _V0_STRONG):
            return 0.95
        markers = count_markers(keys, _V0_MARKERS)
        return min(0.9, 0.7 + 0.1 * markers) if markers else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_llamafactory import SCHEMA_V0

        return SCHEMA_V0

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/model_name_or_path")
        method = _v0_method(f)
        rank = f.number("/lora_rank") or f.default(8.0, "/finetuning_type")
        is_lora = method.value.is_lora
        return ConfigView(
            framework=self.name,
            task=_v0_task(f),
            model=model,
            model_facts=model_facts(model, document, catalog),
            method=method,
            objective=_v0_objective(f),
            **training_arguments(f),
            learning_rate=f.number("/learning_rate") or f.default(5e-5),
            sequence_len=f.integer("/cutoff_len") or f.default(2048),
            packing=f.boolean("/packing", "/neat_packing"),
            # Its collators extend transformers' DataCollatorForSeq2Seq, which
            # pads each batch to its longest record.
            pads_to_longest=True,
            rope_scaling=f.any("/rope_scaling"),
            lora_r=rank if is_lora else None,
            lora_alpha=(
                (f.number("/lora_alpha") or f.default(rank.value * 2, rank.pointer))
                if is_lora
                else None
            ),
            lora_dropout=f.number("/lora_dropout") if is_lora else None,
            rslora=f.boolean("/use_rslora"),
            lora_target_modules=f.strings("/lora_target") if is_lora else None,
            val_size=f.number("/val_size"),
            bf16=f.any("/bf16", "/pure_bf16"),
            load_in_4bit=_quantization(f, 4),
            load_in_8bit=_quantization(f, 8),
            template=f.string("/template"),
            datasets=self._datasets(f, "/dataset", "train"),
            eval_datasets=self._datasets(f, "/eval_dataset", "eval"),
            max_samples=f.integer("/max_samples"),
            streaming=f.boolean("/streaming"),
        )

    def _datasets(self, f: Fields, at: str, role: str) -> tuple[DatasetRef, ...]:
        """Dataset names (comma-separated or a list), resolved through
        ``<dataset_dir>/dataset_info.json`` to local files where it says so."""
        dataset_dir = f.string("/dataset_dir")
        folder_name = dataset_dir.value if dataset_dir else "data"
        info, folder = self._dataset_info(f.document, folder_name)
        refs = []
        for item_pointer, value in items(f, at):
            if not isinstance(value, str):
                continue
            for name in (part.strip() for part in value.split(",")):
                if not name:
                    continue
                entry = info.get(name)
                ref = dataset_ref(f, item_pointer, name, role)
                if isinstance(entry, dict) and folder is not None:
                    ref = _with_info(ref, entry, folder, f)
                refs.append(ref)
        return tuple(refs)

    def _dataset_info(
        self, document: ConfigDocument, folder_name: str
    ) -> tuple[dict[str, Any], Path | None]:
        for base in (Path.cwd(), config_folder(document)):
            folder = (base / folder_name).resolve()
            info_path = folder / "dataset_info.json"
            if info_path in self._dataset_infos:
                return self._dataset_infos[info_path], folder
            try:
                data = json.loads(info_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(data, dict):
                self._dataset_infos[info_path] = data
                return data, folder
        return {}, None


def _with_info(ref: DatasetRef, entry: dict[str, Any], folder: Path, f: Fields) -> DatasetRef:
    """A dataset reference resolved through its ``dataset_info.json`` entry."""
    file_name = entry.get("file_name")
    if isinstance(file_name, str):
        target = folder / file_name
        if target.is_file():
            return ref.model_copy(update={"local_files": (str(target),)})
        if target.is_dir():
            found = dataset_ref(f, ref.pointer, str(target), ref.role).local_files
            return ref.model_copy(update={"local_files": found})
    hub = entry.get("hf_hub_url")
    if isinstance(hub, str):
        return ref.model_copy(update={"name": hub})
    return ref


def _v0_task(f: Fields) -> Task:
    """What the config runs. ``stage`` names the workflow, not whether it
    trains: a ``do_predict`` config without ``do_train`` (``stage: sft`` with
    ``predict_with_generate``) only generates."""
    if f.has("/export_dir"):
        return Task.EXPORT
    if f.is_true("/do_train"):
        return Task.TRAIN
    if f.is_true("/do_predict"):
        return Task.EVALUATION
    if f.has("/stage"):
        return Task.TRAIN
    if f.has("/infer_backend") or not f.has("/dataset"):
        return Task.INFERENCE
    return Task.TRAIN


def _v0_method(f: Fields) -> Located[Method]:
    kind = f.string("/finetuning_type")
    quantized = f.integer("/quantization_bit") is not None
    if kind is None:  # LoRA is the default
        return f.default(Method.QLORA if quantized else Method.LORA, "/model_name_or_path")
    return method_from_name(f, kind, _FINETUNING, quantized=quantized)


def _v0_objective(f: Fields) -> Located[Objective]:
    stage = f.string("/stage")
    if stage is None:
        return f.default(Objective.SFT)
    objective = _STAGES.get(stage.value.strip().lower(), Objective.OTHER)
    if objective is Objective.DPO:
        loss = f.string("/pref_loss")
        if loss is not None and loss.value in _PREF_LOSS:
            return f.locate(loss.pointer, _PREF_LOSS[loss.value])
    return f.locate(stage.pointer, objective)


def _quantization(f: Fields, bits: int) -> Located[bool] | None:
    value = f.integer("/quantization_bit")
    if value is None:
        return None
    return f.locate(value.pointer, value.value == bits)


class LlamaFactoryV1(BuiltinFramework):
    """LLaMA-Factory's v1 layout (``model``, ``peft_config``, ``train_dataset``)."""

    name: ClassVar[str] = "llamafactory-v1"
    dialect: ClassVar[YamlDialect] = YamlDialect.OMEGACONF

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        if "model" not in keys or not isinstance(document.get("/model"), str):
            return 0.0
        markers = count_markers(keys, _V1_MARKERS)
        return min(1.0, 0.75 + 0.1 * markers) if markers else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_llamafactory import SCHEMA_V1

        return SCHEMA_V1

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/model")
        method = _v1_method(f)
        micro = f.integer("/micro_batch_size") or f.default(1)
        is_lora = method.value.is_lora
        return ConfigView(
            framework=self.name,
            task=_v1_task(f),
            model=model,
            model_facts=model_facts(model, document, catalog),
            method=method,
            objective=_v1_objective(f),
            learning_rate=f.number("/learning_rate"),
            micro_batch_size=micro,
            gradient_accumulation=_v1_accumulation(f, micro),
            epochs=f.number("/num_train_epochs"),
            max_steps=positive(f.integer("/max_steps")),
            sequence_len=f.integer("/cutoff_len"),
            lora_r=f.number("/peft_config/r") if is_lora else None,
            lora_alpha=f.number("/peft_config/lora_alpha") if is_lora else None,
            lora_dropout=f.number("/peft_config/lora_dropout") if is_lora else None,
            lora_target_modules=f.strings("/peft_config/target_modules") if is_lora else None,
            save_steps=f.number("/save_steps"),
            bf16=f.any("/bf16"),
            template=f.string("/template"),
            datasets=named_datasets(f, "/train_dataset", "train"),
            eval_datasets=named_datasets(f, "/eval_dataset", "eval"),
            output_names=f.each_string("/output_dir"),
            seed=f.integer("/seed"),
        )


def _v1_task(f: Fields) -> Task:
    if f.has("/peft_config/export_dir"):
        return Task.EXPORT
    if f.has("/train_dataset"):
        return Task.TRAIN
    return Task.INFERENCE


def _v1_method(f: Fields) -> Located[Method]:
    name = f.string("/peft_config/name")
    if name is None:
        return f.default(Method.FULL, "/model")
    return method_from_name(f, name, _FINETUNING, quantized=f.has("/quant_config"))


def _v1_objective(f: Fields) -> Located[Objective]:
    # v1 picks the trainer from the command; a DPO config says so in its data
    # or its file name.
    stem = f.document.path.stem.lower()
    for word, objective in (
        ("dpo", Objective.DPO),
        ("kto", Objective.KTO),
        ("rm", Objective.REWARD),
    ):
        if word in stem.replace("-", "_").split("_"):
            return f.default(objective)
    return f.default(Objective.SFT)


def _v1_accumulation(f: Fields, micro: Located[int]) -> Located[int]:
    """v1 states a global batch; accumulation is what makes it up on one device."""
    global_batch = f.integer("/global_batch_size")
    if global_batch is not None and micro.value > 0:
        return f.locate(global_batch.pointer, max(global_batch.value // micro.value, 1))
    return f.default(1)
