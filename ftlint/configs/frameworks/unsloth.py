"""Unsloth Studio training configs: ``model``, and ``data``, ``training``,
``lora`` and ``logging`` sections. Per-model default files have no ``model``
key and name the model in their header comment instead.
"""

from __future__ import annotations

from typing import ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import (
    BuiltinFramework,
    Fields,
    count_markers,
    dataset_ref,
    method_from_name,
    model_facts,
    model_from_header_comment,
    positive,
    top_keys,
)
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema, YamlDialect
from ftlint.configs.view import ConfigView, Located, Method, Objective, Task

_TRAINING_MARKERS = ("training_type", "max_seq_length", "num_epochs", "batch_size", "random_seed")
_METHODS = {"lora": Method.LORA, "qlora": Method.QLORA, "full": Method.FULL}


class UnslothStudio(BuiltinFramework):
    name: ClassVar[str] = "unsloth"
    dialect: ClassVar[YamlDialect] = YamlDialect.PYYAML_COERCED

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        training = document.get("/training")
        lora = document.get("/lora")
        if not isinstance(training, dict):
            return 0.0
        markers = count_markers(training, _TRAINING_MARKERS)
        if isinstance(lora, dict) and "lora_r" in lora:
            markers += 2
        if "model" in keys or "data" in keys:
            markers += 1
        return min(1.0, 0.4 + 0.1 * markers) if markers >= 2 else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_small import UNSLOTH

        return UNSLOTH

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/model")
        if model is None:
            named = model_from_header_comment(document)
            model = f.default(named) if named else None
        method = _method(f)
        is_lora = method.value.is_lora
        dataset = f.string("/data/dataset")
        return ConfigView(
            framework=self.name,
            task=Task.TRAIN,
            model=model,
            model_facts=model_facts(model, document, catalog),
            method=method,
            objective=f.default(Objective.SFT),
            learning_rate=f.number("/training/learning_rate"),
            micro_batch_size=f.integer("/training/batch_size"),
            gradient_accumulation=f.integer("/training/gradient_accumulation_steps"),
            epochs=positive(f.number("/training/num_epochs")),
            max_steps=positive(f.integer("/training/max_steps")),
            sequence_len=f.integer("/training/max_seq_length"),
            packing=f.boolean("/training/packing"),
            lora_r=f.number("/lora/lora_r") if is_lora else None,
            lora_alpha=f.number("/lora/lora_alpha") if is_lora else None,
            lora_dropout=f.number("/lora/lora_dropout") if is_lora else None,
            rslora=f.boolean("/lora/use_rslora"),
            lora_target_modules=f.strings("/lora/target_modules") if is_lora else None,
            warmup_steps=f.number("/training/warmup_steps"),
            warmup_ratio=f.number("/training/warmup_ratio"),
            eval_steps=f.number("/training/eval_steps"),
            save_steps=f.number("/training/save_steps"),
            eval_data_known=False,
            load_in_4bit=f.boolean("/training/load_in_4bit"),
            datasets=(dataset_ref(f, dataset.pointer, dataset.value),) if dataset else (),
            output_names=f.each_string("/training/output_dir"),
            seed=f.integer("/training/random_seed"),
        )


def _method(f: Fields) -> Located[Method]:
    kind = f.string("/training/training_type")
    if kind is None:
        return f.default(Method.LORA, "/lora")
    return method_from_name(f, kind, _METHODS, quantized=f.is_true("/training/load_in_4bit"))
