"""axolotl configs: flat YAML with ``base_model``, ``micro_batch_size``,
``sequence_len``, ``adapter`` and a ``datasets`` list.

axolotl loads them with PyYAML and validates them with pydantic, which turns
numeric strings into numbers, so ``learning_rate: 2e-5`` is harmless here.
"""

from __future__ import annotations

from typing import ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import (
    BuiltinFramework,
    Fields,
    count_markers,
    dataset_ref,
    items,
    lora_switch,
    method_from_name,
    model_facts,
    positive,
    top_keys,
)
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema, YamlDialect
from ftlint.configs.view import ConfigView, DatasetRef, Located, Method, Objective, Task

#: Keys few other formats use; three of them identify axolotl without ``base_model``.
_MARKERS = (
    "micro_batch_size",
    "sequence_len",
    "sample_packing",
    "val_set_size",
    "num_epochs",
    "lora_r",
    "adapter",
    "wandb_project",
    "dataset_prepared_path",
    "special_tokens",
)
_ADAPTERS = {"lora": Method.LORA, "qlora": Method.QLORA}
_RL = {
    "dpo": Objective.DPO,
    "ipo": Objective.DPO,
    "kto": Objective.KTO,
    "orpo": Objective.ORPO,
    "simpo": Objective.SIMPO,
    "grpo": Objective.GRPO,
    "gdpo": Objective.GRPO,
}
_OUTPUT_KEYS = (
    "/output_dir",
    "/hub_model_id",
    "/wandb_name",
    "/mlflow_run_name",
    "/trackio_run_name",
    "/swanlab_experiment_name",
)


class Axolotl(BuiltinFramework):
    name: ClassVar[str] = "axolotl"
    dialect: ClassVar[YamlDialect] = YamlDialect.PYYAML_COERCED

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        markers = count_markers(keys, _MARKERS)
        if "base_model" in keys:
            return min(1.0, 0.7 + 0.05 * markers)
        return 0.6 + 0.05 * (markers - 3) if markers >= 3 else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_axolotl import SCHEMA

        return SCHEMA

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/base_model")
        micro = f.integer("/micro_batch_size")
        return ConfigView(
            framework=self.name,
            task=Task.TRAIN,
            model=model,
            model_facts=model_facts(model, document, catalog),
            method=_method(f),
            adapter_name=f.string("/adapter"),
            objective=_objective(f),
            learning_rate=f.number("/learning_rate"),
            micro_batch_size=micro,
            gradient_accumulation=_accumulation(f, micro),
            epochs=f.number("/num_epochs") or f.default(1.0),
            max_steps=positive(f.integer("/max_steps")),
            streaming=_streaming(f),
            sequence_len=f.integer("/sequence_len") or f.default(512),
            packing=f.boolean("/sample_packing"),
            pads_to_longest=not (f.is_true("/sample_packing") or f.is_true("/pad_to_sequence_len")),
            rope_scaling=f.any("/rope_scaling", "/model_config/rope_scaling", "/rope_theta"),
            lora_r=f.number("/lora_r"),
            lora_alpha=f.number("/lora_alpha"),
            lora_dropout=f.number("/lora_dropout"),
            rslora=f.boolean("/peft_use_rslora"),
            lora_target_modules=f.strings("/lora_target_modules"),
            warmup_steps=f.number("/warmup_steps"),
            warmup_ratio=f.number("/warmup_ratio"),
            eval_strategy=f.string("/eval_strategy"),
            eval_steps=f.number("/eval_steps"),
            evals_per_epoch=f.number("/evals_per_epoch"),
            val_size=f.number("/val_set_size"),
            save_steps=f.number("/save_steps"),
            saves_per_epoch=f.number("/saves_per_epoch"),
            fp16=f.any("/fp16"),
            bf16=f.any("/bf16"),
            load_in_4bit=f.boolean("/load_in_4bit"),
            load_in_8bit=f.boolean("/load_in_8bit"),
            template=f.string("/chat_template"),
            tokenizer=f.string("/tokenizer_config"),
            tokenizer_type=f.string("/tokenizer_type"),
            model_class=f.string("/model_type"),
            datasets=_datasets(f, "/datasets", "train")
            + _datasets(f, "/pretraining_dataset", "train"),
            eval_datasets=_datasets(f, "/test_datasets", "eval"),
            output_names=f.each_string(*_OUTPUT_KEYS),
            seed=f.integer("/seed"),
        )


def _method(f: Fields) -> Located[Method]:
    adapter = f.string("/adapter")
    if adapter is None or adapter.value.strip() == "":
        return lora_switch(f) or f.default(Method.FULL, "/base_model")
    return method_from_name(f, adapter, _ADAPTERS, quantized=f.is_true("/load_in_4bit"))


def _objective(f: Fields) -> Located[Objective]:
    rl = f.string("/rl")
    if rl is not None and rl.value.strip():
        return f.locate(rl.pointer, _RL.get(rl.value.strip().lower(), Objective.OTHER))
    for key, objective in (
        ("/reward_model", Objective.REWARD),
        ("/process_reward_model", Objective.REWARD),
    ):
        flag = f.boolean(key)
        if flag is not None and flag.value:
            return f.locate(flag.pointer, objective)
    if f.has("/pretraining_dataset"):
        return f.locate("/pretraining_dataset", Objective.PRETRAIN)
    return f.default(Objective.SFT)


def _streaming(f: Fields) -> Located[bool] | None:
    """axolotl streams a ``pretraining_dataset`` always, and ``datasets`` with
    ``streaming: true``."""
    if f.has("/pretraining_dataset"):
        return f.locate("/pretraining_dataset", True)
    return f.boolean("/streaming")


def _accumulation(f: Fields, micro: Located[int] | None) -> Located[int] | None:
    """``gradient_accumulation_steps``, or the older ``batch_size`` (the
    per-device batch after accumulation) divided by the micro batch."""
    accumulation = f.integer("/gradient_accumulation_steps")
    if accumulation is not None:
        return accumulation
    batch = f.integer("/batch_size")
    if batch is not None and micro is not None and micro.value > 0:
        return f.locate(batch.pointer, max(batch.value // micro.value, 1))
    return f.default(1)


def _datasets(f: Fields, at: str, role: str) -> tuple[DatasetRef, ...]:
    """Dataset entries: a hub id or path (``path``), or local ``data_files``."""
    refs = []
    for item_pointer, entry in items(f, at):
        if isinstance(entry, str):
            refs.append(dataset_ref(f, item_pointer, entry, role))
            continue
        if not isinstance(entry, dict):
            continue
        files = entry.get("data_files")
        if isinstance(files, str):
            refs.append(dataset_ref(f, item_pointer + "/data_files", files, role))
            continue
        if isinstance(files, list) and files:
            for index, name in enumerate(files):
                if isinstance(name, str):
                    refs.append(dataset_ref(f, f"{item_pointer}/data_files/{index}", name, role))
            continue
        path = entry.get("path")
        if isinstance(path, str):
            refs.append(dataset_ref(f, item_pointer + "/path", path, role))
    return tuple(refs)
