"""Hugging Face ``TrainingArguments`` and TRL configs (``SFTConfig``,
``DPOConfig``, ...), as YAML for ``TrlParser``/``HfArgumentParser`` (the
alignment-handbook recipes) or as JSON (``training_args.json``).

``HfArgumentParser.parse_yaml_file`` and the many scripts that do
``TrainingArguments(**yaml.safe_load(...))`` hand values on as PyYAML read
them, so ``learning_rate: 2e-5`` arrives as the string ``"2e-5"``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import (
    BuiltinFramework,
    Fields,
    count_markers,
    dataset_ref,
    items,
    lora_switch,
    model_facts,
    named_datasets,
    objective_in_path,
    top_keys,
    training_arguments,
)
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema
from ftlint.configs.view import ConfigView, DatasetRef, Located, Method, Objective, Task
from ftlint.core.pointers import pointer

#: TrainingArguments keys that identify a config by themselves.
_TRAINING_ARGS = (
    "per_device_train_batch_size",
    "num_train_epochs",
    "learning_rate",
    "gradient_accumulation_steps",
    "lr_scheduler_type",
    "output_dir",
    "warmup_ratio",
    "logging_steps",
    "save_strategy",
    "eval_strategy",
    "evaluation_strategy",
    "per_device_eval_batch_size",
)
_DATASET_KEYS = ("dataset_mixture", "dataset_mixer", "dataset_name", "dataset_splits")


class TrainingArguments(BuiltinFramework):
    name: ClassVar[str] = "trl"

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        args = count_markers(keys, _TRAINING_ARGS)
        if "model_name_or_path" in keys:
            if any(key in keys for key in _DATASET_KEYS):
                return 0.9
            return 0.7 if args else 0.0
        return 0.65 if args >= 4 else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_trl import SCHEMA

        return SCHEMA

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/model_name_or_path")
        method = _method(f)
        is_lora = method.value.is_lora
        template = f.string("/chat_template")
        return ConfigView(
            framework=self.name,
            task=Task.TRAIN,
            model=model,
            model_facts=model_facts(model, document, catalog),
            method=method,
            objective=_objective(f),
            **training_arguments(f),
            learning_rate=f.number("/learning_rate"),
            sequence_len=f.integer("/max_length", "/max_seq_length"),
            packing=f.boolean("/packing"),
            # SFTTrainer's default collator pads each batch to its longest record.
            pads_to_longest=True,
            streaming=f.boolean("/dataset_streaming", "/streaming"),
            rope_scaling=f.any("/rope_scaling"),
            lora_r=(f.number("/lora_r") or f.default(16.0, "/use_peft")) if is_lora else None,
            lora_alpha=(f.number("/lora_alpha") or f.default(32.0, "/use_peft"))
            if is_lora
            else None,
            lora_dropout=f.number("/lora_dropout") if is_lora else None,
            rslora=f.boolean("/use_rslora"),
            lora_target_modules=f.strings("/lora_target_modules") if is_lora else None,
            eval_data_known=False,
            bf16=f.any("/bf16"),
            dtype=f.string("/torch_dtype", "/dtype"),
            load_in_4bit=f.boolean("/load_in_4bit"),
            load_in_8bit=f.boolean("/load_in_8bit"),
            template=template if template and "{" not in template.value else None,
            tokenizer=f.string("/tokenizer_name_or_path"),
            datasets=_datasets(f),
            eval_datasets=_eval_datasets(f),
        )


def _method(f: Fields) -> Located[Method]:
    """``use_peft`` (TRL's switch), or another framework's LoRA switch in a
    config read as TRL."""
    peft = f.boolean("/use_peft")
    if peft is not None and not peft.value:
        return f.locate(peft.pointer, Method.FULL)
    return lora_switch(f) or f.default(Method.FULL, "/model_name_or_path")


def _objective(f: Fields) -> Located[Objective]:
    named = objective_in_path(f.document)
    if named is not None:
        return f.default(named)
    loss = f.string("/loss_type")
    if loss is not None and loss.value.lower() == "simpo":
        return f.locate(loss.pointer, Objective.SIMPO)
    for key, objective in (
        ("/desirable_weight", Objective.KTO),
        ("/cpo_alpha", Objective.CPO),
        ("/num_generations", Objective.GRPO),
        ("/max_prompt_length", Objective.DPO),
        ("/beta", Objective.DPO),
    ):
        if f.has(key):
            return f.locate(key, objective)
    return f.default(Objective.SFT)


def _datasets(f: Fields) -> tuple[DatasetRef, ...]:
    refs = list(named_datasets(f, "/dataset_name"))
    mixer = f.raw("/dataset_mixer")
    if isinstance(mixer, dict):
        refs += [dataset_ref(f, pointer("dataset_mixer", k), str(k)) for k in mixer]
    mixture = f.raw("/dataset_mixture")
    if isinstance(mixture, dict):
        for item_pointer, entry in items(f, "/dataset_mixture/datasets"):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                refs.append(dataset_ref(f, item_pointer + "/id", entry["id"]))
        if "datasets" not in mixture:
            refs += [dataset_ref(f, pointer("dataset_mixture", k), str(k)) for k in mixture]
    return tuple(refs)


def _eval_datasets(f: Fields) -> tuple[DatasetRef, ...]:
    """An eval split named by ``dataset_test_split``, the second of
    ``dataset_splits``, or carved out by ``dataset_mixture.test_split_size``."""
    refs: list[DatasetRef] = []
    for key in ("/dataset_test_split", "/dataset_mixture/test_split_size"):
        value: Any = f.raw(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool) and value:
            refs.append(dataset_ref(f, key, str(value), "eval"))
    splits = f.raw("/dataset_splits")
    if isinstance(splits, list):
        refs += [
            dataset_ref(f, f"/dataset_splits/{i}", str(s), "eval")
            for i, s in enumerate(splits)
            if isinstance(s, str) and "test" in s.lower()
        ]
    return tuple(refs)
