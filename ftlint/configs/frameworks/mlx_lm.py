"""MLX-LM LoRA configs (``mlx_lm.lora --config``): ``model``, ``data``,
``fine_tune_type``, ``iters``, ``batch_size`` and ``lora_parameters`` with a
``scale`` (the LoRA multiplier itself, not alpha).

MLX-LM's loader adds a YAML float resolver, so ``1e-5`` is a float there.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import (
    BuiltinFramework,
    Fields,
    count_markers,
    dataset_ref,
    local_files,
    method_from_name,
    model_facts,
    top_keys,
)
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema, YamlDialect
from ftlint.configs.view import ConfigView, DatasetRef, Located, Method, Objective, Task

_MARKERS = (
    "fine_tune_type",
    "lora_parameters",
    "iters",
    "adapter_path",
    "num_layers",
    "lora_layers",
    "steps_per_eval",
    "val_batches",
    "steps_per_report",
    "grad_checkpoint",
    "mask_prompt",
)
_METHODS = {"lora": Method.LORA, "dora": Method.LORA, "full": Method.FULL}


class MlxLm(BuiltinFramework):
    name: ClassVar[str] = "mlx-lm"
    dialect: ClassVar[YamlDialect] = YamlDialect.PYYAML_FLOATS

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        if "model" not in keys:
            return 0.0
        markers = count_markers(keys, _MARKERS)
        return min(1.0, 0.5 + 0.15 * markers) if markers else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_small import MLX_LM

        return MLX_LM

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/model")
        method = _method(f)
        train = f.boolean("/train")
        is_lora = method.value.is_lora
        data = f.string("/data") or f.default("data")
        train_refs, eval_refs = _data(f, data)
        return ConfigView(
            framework=self.name,
            task=Task.TRAIN if train is None or train.value else Task.EVALUATION,
            model=model,
            model_facts=model_facts(model, document, catalog),
            method=method,
            objective=f.default(Objective.SFT),
            learning_rate=f.number("/learning_rate") or f.default(1e-5),
            micro_batch_size=f.integer("/batch_size") or f.default(4),
            gradient_accumulation=f.integer("/grad_accumulation_steps") or f.default(1),
            max_steps=f.integer("/iters") or f.default(1000),
            sequence_len=f.integer("/max_seq_length") or f.default(2048),
            lora_r=(f.number("/lora_parameters/rank") or f.default(8.0)) if is_lora else None,
            lora_scale=(
                (f.number("/lora_parameters/scale") or f.default(20.0, "/lora_parameters"))
                if is_lora
                else None
            ),
            lora_dropout=f.number("/lora_parameters/dropout") if is_lora else None,
            lora_target_modules=f.strings("/lora_parameters/keys") if is_lora else None,
            warmup_steps=f.number("/lr_schedule/warmup"),
            eval_steps=f.number("/steps_per_eval") or f.default(200.0),
            save_steps=f.number("/save_every"),
            eval_data_known=bool(local_files(data.value, document)),
            datasets=train_refs,
            eval_datasets=eval_refs,
            output_names=f.each_string("/adapter_path"),
            seed=f.integer("/seed"),
        )


def _method(f: Fields) -> Located[Method]:
    kind = f.string("/fine_tune_type")
    if kind is None:
        return f.default(Method.LORA, "/model")
    return method_from_name(f, kind, _METHODS)


def _data(f: Fields, data: Located[str]) -> tuple[tuple[DatasetRef, ...], tuple[DatasetRef, ...]]:
    """``data`` is a folder with ``train.jsonl`` and ``valid.jsonl``, or a hub id."""
    folder_files = local_files(data.value, f.document)
    if not folder_files:
        return (dataset_ref(f, data.pointer, data.value),), ()
    train = [p for p in folder_files if Path(p).name.startswith("train")]
    valid = [p for p in folder_files if Path(p).name.startswith("valid")]
    base = dataset_ref(f, data.pointer, data.value)
    train_ref = base.model_copy(update={"local_files": tuple(train)})
    eval_refs = (
        (base.model_copy(update={"role": "eval", "local_files": tuple(valid)}),) if valid else ()
    )
    return (train_ref,), eval_refs
