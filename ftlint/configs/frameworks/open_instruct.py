"""open-instruct (allenai) configs: the YAML recipes its ``finetune.py``,
``dpo_tune_cache.py``, ``grpo_fast.py`` and ``reward_modeling.py`` read with
``ArgumentParserPlus`` (an ``HfArgumentParser``, so PyYAML values handed on
as read). They share Hugging Face's key names (``learning_rate``,
``per_device_train_batch_size``) but not TRL's: the model's LoRA switch is
``use_lora``/``use_qlora`` with ``lora_rank``, datasets come as
``dataset_mixer_list`` (name, fraction, name, fraction, ...), the step cap is
``max_train_steps``, and ``max_seq_length`` is current, not a rename.
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
    model_facts,
    named_datasets,
    objective_in_path,
    positive,
    top_keys,
)
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema
from ftlint.configs.view import ConfigView, DatasetRef, Located, Method, Objective, Task
from ftlint.core.pointers import pointer

#: Keys of open-instruct's dataclasses that no other built-in framework
#: declares; two of them, beside ``model_name_or_path``, identify a recipe.
_MARKERS = (
    "dataset_mixer_list",
    "dataset_mixer_list_splits",
    "dataset_mix_dir",
    "dataset_transform_fn",
    "use_slow_tokenizer",
    "tokenizer_name",
    "chat_template_name",
    "add_bos",
    "checkpointing_steps",
    "with_tracking",
    "max_train_samples",
    "max_train_steps",
    "use_lora",
    "use_qlora",
    "exp_name",
    "hf_entity",
    "try_launch_beaker_eval_jobs",
    "oe_eval_tasks",
    "do_not_randomize_output_dir",
    "num_samples_per_prompt_rollout",
)
#: Keys only open-instruct's preference and RL trainers read.
_OBJECTIVE_KEYS = (
    ("/num_samples_per_prompt_rollout", Objective.GRPO),
    ("/dpo_beta", Objective.DPO),
    ("/dpo_loss_type", Objective.DPO),
    ("/beta", Objective.DPO),
)


class OpenInstruct(BuiltinFramework):
    name: ClassVar[str] = "open-instruct"

    def recognise(self, document: ConfigDocument) -> float:
        keys = top_keys(document)
        if "model_name_or_path" not in keys:
            return 0.0
        # Above TRL's 0.9: these recipes carry TRL's markers too.
        return 0.95 if count_markers(keys, _MARKERS) >= 2 else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_open_instruct import SCHEMA

        return SCHEMA

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        f = Fields(document)
        model = f.string("/model_name_or_path")
        method = lora_switch(f) or f.default(Method.FULL, "/model_name_or_path")
        is_lora = method.value.is_lora
        objective = _objective(f)
        return ConfigView(
            framework=self.name,
            task=Task.TRAIN,
            model=model,
            model_facts=model_facts(model, document, catalog),
            method=method,
            objective=objective,
            # finetune.py's defaults; the DPO and RL trainers share them.
            learning_rate=f.number("/learning_rate") or f.default(2e-5),
            micro_batch_size=f.integer("/per_device_train_batch_size") or f.default(8),
            gradient_accumulation=f.integer("/gradient_accumulation_steps") or f.default(1),
            epochs=f.number("/num_train_epochs", "/num_epochs")
            or f.default(1.0 if objective.value.is_preference else 2.0),
            max_steps=positive(f.integer("/max_train_steps")),
            warmup_ratio=f.number("/warmup_ratio"),
            sequence_len=f.integer("/max_seq_length"),
            packing=f.boolean("/packing"),
            # finetune.py: DataCollatorForSeq2Seq(padding="longest").
            pads_to_longest=True,
            lora_r=(f.number("/lora_rank", "/lora_r") or f.default(64.0)) if is_lora else None,
            lora_alpha=(f.number("/lora_alpha") or f.default(16.0)) if is_lora else None,
            lora_dropout=f.number("/lora_dropout") if is_lora else None,
            # finetune.py and the DPO scripts have no evaluation loop (oe-eval
            # jobs run after training); grpo_fast.py evaluates on
            # dataset_mixer_eval_list every local_eval_every steps.
            evaluates_in_training=objective.value is Objective.GRPO,
            eval_steps=f.number("/local_eval_every"),
            load_in_4bit=f.boolean("/load_in_4bit", "/use_qlora"),
            tokenizer=f.string("/tokenizer_name_or_path", "/tokenizer_name"),
            datasets=_datasets(f),
            eval_datasets=_mixer_list(f, "/dataset_mixer_eval_list", "eval"),
            output_names=f.each_string("/output_dir", "/exp_name", "/hf_repo_id"),
            max_samples=f.integer("/max_train_samples"),
            seed=f.integer("/seed"),
        )


def _objective(f: Fields) -> Located[Objective]:
    named = objective_in_path(f.document)
    if named is not None:
        return f.default(named)
    for key, objective in _OBJECTIVE_KEYS:
        if f.has(key):
            return f.locate(key, objective)
    return f.default(Objective.SFT)


def _datasets(f: Fields) -> tuple[DatasetRef, ...]:
    """``dataset_name``, the keys of ``dataset_mixer``, and the names of
    ``dataset_mixer_list``, which alternates a name and its share."""
    refs = list(named_datasets(f, "/dataset_name"))
    mixer = f.raw("/dataset_mixer")
    if isinstance(mixer, dict):
        refs += [dataset_ref(f, pointer("dataset_mixer", k), str(k)) for k in mixer]
    return (*refs, *_mixer_list(f, "/dataset_mixer_list", "train"))


def _mixer_list(f: Fields, at: str, role: str) -> tuple[DatasetRef, ...]:
    """The dataset names of a mixer list, which alternates a name and its share."""
    return tuple(
        dataset_ref(f, item, name, role)
        for item, name in items(f, at)[::2]
        if isinstance(name, str)
    )
