"""Keys of the smaller formats: MLX-LM LoRA configs (mlx-lm 0.32), OpenAI
fine-tuning job requests, and Unsloth Studio training configs (whose sections
are only partly documented, so only the top level is checked)."""

from __future__ import annotations

from ftlint.configs.schema import Deprecation, KeySchema

MLX_LM = KeySchema(
    top_level=frozenset(
        {
            "model",
            "train",
            "fine_tune_type",
            "optimizer",
            "optimizer_config",
            "data",
            "hf_dataset",
            "seed",
            "num_layers",
            "batch_size",
            "iters",
            "epochs",
            "val_batches",
            "learning_rate",
            "steps_per_report",
            "steps_per_eval",
            "resume_adapter_file",
            "adapter_path",
            "save_every",
            "test",
            "test_batches",
            "max_seq_length",
            "config",
            "grad_checkpoint",
            "grad_accumulation_steps",
            "clear_cache_threshold",
            "lr_schedule",
            "lora_parameters",
            "mask_prompt",
            "report_to",
            "project_name",
            "trust_remote_code",
            "wandb",
            "lora_layers",
        }
    ),
    sections={
        "/lora_parameters": frozenset({"rank", "dropout", "scale", "keys", "alpha"}),
        "/lr_schedule": frozenset({"name", "arguments", "warmup", "warmup_init"}),
    },
    deprecated={
        "/lora_layers": Deprecation("num_layers", "renamed to num_layers in mlx-lm 0.19"),
        "/wandb": Deprecation(None, "replaced by report_to: wandb and project_name"),
    },
)

_OPENAI_HYPERPARAMETERS = frozenset(
    {
        "batch_size",
        "learning_rate_multiplier",
        "n_epochs",
        "beta",
        "compute_multiplier",
        "eval_interval",
        "eval_samples",
        "reasoning_effort",
    }
)
OPENAI = KeySchema(
    top_level=frozenset(
        {
            "model",
            "training_file",
            "validation_file",
            "hyperparameters",
            "suffix",
            "seed",
            "integrations",
            "metadata",
            "method",
        }
    ),
    sections={
        "/hyperparameters": _OPENAI_HYPERPARAMETERS,
        "/method": frozenset({"type", "supervised", "dpo", "reinforcement"}),
        "/method/supervised": frozenset({"hyperparameters"}),
        "/method/dpo": frozenset({"hyperparameters"}),
        "/method/supervised/hyperparameters": _OPENAI_HYPERPARAMETERS,
        "/method/dpo/hyperparameters": _OPENAI_HYPERPARAMETERS,
    },
    deprecated={
        "/hyperparameters": Deprecation(
            None, "deprecated in favour of method.<type>.hyperparameters"
        ),
    },
)

UNSLOTH = KeySchema(
    top_level=frozenset({"model", "data", "training", "lora", "logging", "inference", "export"}),
)
