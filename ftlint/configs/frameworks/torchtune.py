"""torchtune recipe configs: nested ``_component_`` mappings naming
torchtune builders (``torchtune.models.llama3_1.lora_llama3_1_8b``), read by
OmegaConf (``lr: 3e-4`` is a float there).

The model, its size and the method come from the model builder's name; the
objective from the loss component.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import (
    BuiltinFramework,
    Fields,
    dataset_ref,
    items,
    positive,
    top_keys,
)
from ftlint.configs.model_catalog import ModelCatalog, model_id_from_builder
from ftlint.configs.schema import KeySchema, YamlDialect
from ftlint.configs.view import ConfigView, DatasetRef, Located, Method, Objective, Task

#: torchtune's dataset builders that wrap a hub dataset, by builder name.
_BUILDER_DATASETS = {
    "alpaca_dataset": "tatsu-lab/alpaca",
    "alpaca_cleaned_dataset": "yahma/alpaca-cleaned",
    "slimorca_dataset": "Open-Orca/SlimOrca-Dedup",
    "stack_exchange_paired_dataset": "lvwerra/stack-exchange-paired",
    "samsum_dataset": "Samsung/samsum",
    "grammar_dataset": "liweili/c4_200m",
    "wikitext_dataset": "EleutherAI/wikitext_document_level",
    "cnn_dailymail_articles_dataset": "ccdv/cnn_dailymail",
    "hh_rlhf_helpful_dataset": "RLHFlow/HH-RLHF-Helpful-standard",
    "the_cauldron_dataset": "HuggingFaceM4/the_cauldron",
    "llava_instruct_dataset": "liuhaotian/LLaVA-Instruct-150K",
}
_LOSSES = (
    ("simpo", Objective.SIMPO),
    ("dpo", Objective.DPO),
    ("rso", Objective.DPO),
    ("ipo", Objective.DPO),
    ("ppo", Objective.PPO),
    ("grpo", Objective.GRPO),
)


class Torchtune(BuiltinFramework):
    name: ClassVar[str] = "torchtune"
    dialect: ClassVar[YamlDialect] = YamlDialect.OMEGACONF

    def recognise(self, document: ConfigDocument) -> float:
        components = [c for c in _components(document.data) if isinstance(c, str)]
        if any(c.startswith("torchtune.") for c in components):
            return 0.95
        return 0.55 if components and "output_dir" in top_keys(document) else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_torchtune import SCHEMA

        return SCHEMA

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        component = f.string("/model/_component_", "/policy_model/_component_")
        model_id = model_id_from_builder(component.value) if component else None
        model = f.locate(component.pointer, model_id) if component and model_id else None
        return ConfigView(
            framework=self.name,
            task=_task(f),
            model=model,
            model_facts=catalog.from_name(model_id) if model_id else None,
            method=_method(f, component),
            objective=_objective(f),
            learning_rate=f.number("/optimizer/lr"),
            micro_batch_size=f.integer("/batch_size"),
            gradient_accumulation=f.integer("/gradient_accumulation_steps") or f.default(1),
            epochs=f.number("/epochs"),
            max_steps_per_epoch=positive(f.integer("/max_steps_per_epoch")),
            sequence_len=f.integer("/tokenizer/max_seq_len"),
            packing=f.boolean("/dataset/packed", "/dataset/0/packed"),
            lora_r=f.number("/model/lora_rank"),
            lora_alpha=f.number("/model/lora_alpha"),
            lora_dropout=f.number("/model/lora_dropout"),
            lora_target_modules=f.strings("/model/lora_attn_modules"),
            warmup_steps=f.number("/lr_scheduler/num_warmup_steps"),
            eval_steps=f.number("/run_val_every_n_steps"),
            dtype=f.string("/dtype"),
            tokenizer=f.string("/tokenizer/_component_"),
            model_class=f.string("/checkpointer/model_type"),
            datasets=_datasets(f, "/dataset", "train"),
            eval_datasets=_datasets(f, "/dataset_val", "eval"),
            checkpoint=f.string("/checkpointer/checkpoint_dir"),
            output_names=tuple(n for n in f.each_string("/output_dir") if "${" not in n.value),
            seed=f.integer("/seed"),
        )


def _components(data: Any) -> list[Any]:
    """The ``_component_`` values of the top-level mappings (and lists of them)."""
    found: list[Any] = []
    if not isinstance(data, dict):
        return found
    for value in data.values():
        entries = value if isinstance(value, list) else [value]
        for entry in entries:
            if isinstance(entry, dict) and "_component_" in entry:
                found.append(entry["_component_"])
    return found


def _task(f: Fields) -> Task:
    if f.has("/optimizer") or f.has("/loss"):
        return Task.TRAIN
    if f.has("/tasks"):
        return Task.EVALUATION
    if f.has("/quantizer"):
        return Task.EXPORT
    if f.has("/prompt") or f.has("/max_new_tokens"):
        return Task.INFERENCE
    return Task.OTHER


def _method(f: Fields, component: Located[str] | None) -> Located[Method] | None:
    if component is None:
        return None
    function = component.value.rsplit(".", 1)[-1]
    if function.startswith(("qlora_", "qdora_")):
        method = Method.QLORA
    elif function.startswith(("lora_", "dora_")):
        method = Method.LORA
    else:
        method = Method.FULL
    return f.locate(component.pointer, method)


def _objective(f: Fields) -> Located[Objective]:
    loss = f.string("/loss/_component_")
    if loss is not None:
        name = loss.value.lower()
        for word, objective in _LOSSES:
            if word in name:
                return f.locate(loss.pointer, objective)
    if f.has("/kd_loss"):
        return f.locate("/kd_loss", Objective.DISTILL)
    if f.has("/grpo_samples") or "grpo" in f.document.path.stem.lower():
        return f.default(Objective.GRPO)
    return f.default(Objective.SFT)


def _datasets(f: Fields, at: str, role: str) -> tuple[DatasetRef, ...]:
    """Builders with a local ``data_files``/``source``, or a known hub dataset."""
    refs = []
    for item_pointer, entry in items(f, at):
        if not isinstance(entry, dict):
            continue
        files = entry.get("data_files")
        source = entry.get("source")
        if isinstance(files, str):
            refs.append(dataset_ref(f, item_pointer + "/data_files", files, role))
        elif isinstance(source, str) and source not in ("json", "csv", "parquet", "text"):
            refs.append(dataset_ref(f, item_pointer + "/source", source, role))
        else:
            builder = str(entry.get("_component_", "")).rsplit(".", 1)[-1]
            if builder in _BUILDER_DATASETS:
                refs.append(
                    dataset_ref(f, item_pointer + "/_component_", _BUILDER_DATASETS[builder], role)
                )
    return tuple(refs)
