"""Keys of open-r1 (huggingface) configs: TRL's keys (open-r1's dataclasses
extend TRL's ``ScriptArguments``, ``SFTConfig`` and ``GRPOConfig``, parsed
with ``TrlParser`` together with ``ModelConfig``) and the fields open-r1 adds
in ``src/open_r1/configs.py`` (``ScriptArguments``, ``SFTConfig``,
``GRPOConfig``, ``GRPOScriptArguments``) and
``scripts/pass_rate_filtering/compute_pass_rate.py``
(``PassRateScriptArguments``).

open-r1 pins ``transformers==4.52.3`` and ``trl==0.18.0`` (``setup.py``), so
the later renames TRL's schema reports (``max_seq_length``, ``torch_dtype``,
transformers 5's removals) are not deprecations for its recipes: the schema
declares none.

Extracted from huggingface/open-r1 @ 1416fa0cf21595d2083b399a2a0bbddd7f6e9563;
regenerate when they move.
"""

from __future__ import annotations

from ftlint.configs.frameworks._keys_trl import KEYS as TRL_KEYS
from ftlint.configs.frameworks._keys_trl import SCHEMA as TRL_SCHEMA
from ftlint.configs.schema import KeySchema

#: The fields open-r1 declares itself.
OWN_KEYS = frozenset(
    {
        "benchmarks",
        "callbacks",
        "chat_template",
        "code_eval_scoring_mode",
        "code_eval_test_batch_size",
        "code_language",
        "code_provider",
        "cosine_max_len",
        "cosine_max_value_correct",
        "cosine_max_value_wrong",
        "cosine_min_value_correct",
        "cosine_min_value_wrong",
        "dataset_end_index",
        "dataset_mixture",
        "dataset_name",
        "dataset_prompt_column",
        "dataset_split",
        "dataset_start_index",
        "e2b_router_url",
        "hub_model_revision",
        "ioi_provider",
        "max_completion_len",
        "morph_router_url",
        "num_completions_to_print",
        "output_dataset_name",
        "overwrite_hub_revision",
        "parallel_code_exec_per_proc",
        "pass_rate_max",
        "pass_rate_min",
        "push_to_hub_revision",
        "repetition_max_penalty",
        "repetition_n_grams",
        "reward_funcs",
        "soft_punish_cache",
        "system_prompt",
        "wandb_entity",
        "wandb_log_unique_prompts",
        "wandb_project",
        "wandb_run_group",
    }
)

SCHEMA = KeySchema(top_level=TRL_KEYS | OWN_KEYS, sections=TRL_SCHEMA.sections)
