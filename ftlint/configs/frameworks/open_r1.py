"""open-r1 (huggingface) configs: TRL configs (``TrlParser`` over open-r1's
extensions of TRL's ``ScriptArguments``, ``SFTConfig`` and ``GRPOConfig``)
with keys of open-r1's own. They normalise as TRL's do; only the key schema
differs, and recognition needs one of open-r1's own keys, since a recipe that
uses none of them is a plain TRL config. The dataset-filtering configs
(``pass_rate_min``) run a generation script, not a trainer.
"""

from __future__ import annotations

from typing import ClassVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.frameworks._base import count_markers, top_keys
from ftlint.configs.frameworks.trl import TrainingArguments
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.schema import KeySchema
from ftlint.configs.view import ConfigView, Task

#: Keys of open-r1's dataclasses that neither TRL nor another built-in
#: framework declares (not the generic ``system_prompt`` or ``dataset_split``).
_MARKERS = (
    "dataset_prompt_column",
    "benchmarks",
    "push_to_hub_revision",
    "overwrite_hub_revision",
    "code_provider",
    "code_language",
    "code_eval_test_batch_size",
    "code_eval_scoring_mode",
    "e2b_router_url",
    "morph_router_url",
    "ioi_provider",
    "parallel_code_exec_per_proc",
    "cosine_min_value_wrong",
    "cosine_max_len",
    "repetition_n_grams",
    "repetition_max_penalty",
    "pass_rate_min",
    "pass_rate_max",
    "output_dataset_name",
)


#: Keys only ``scripts/pass_rate_filtering/compute_pass_rate.py`` reads.
_PASS_RATE_KEYS = ("pass_rate_min", "pass_rate_max", "output_dataset_name")


class OpenR1(TrainingArguments):
    name: ClassVar[str] = "open-r1"

    def recognise(self, document: ConfigDocument) -> float:
        if super().recognise(document) == 0.0:
            return 0.0
        # Above TRL's scores: every open-r1 config is a TRL config too.
        return 0.95 if count_markers(top_keys(document), _MARKERS) else 0.0

    def build_schema(self) -> KeySchema:
        from ftlint.configs.frameworks._keys_open_r1 import SCHEMA

        return SCHEMA

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView:
        view = super().normalise(document, catalog)
        if count_markers(top_keys(document), _PASS_RATE_KEYS):
            # compute_pass_rate.py generates and scores completions: no training.
            return view.model_copy(update={"task": Task.EVALUATION})
        return view
