"""Hyperparameter rules (H): learning rates, LoRA scaling, batch and epoch
sizes, warmup, sequence length and precision, checked against the model and,
when it is linted in the same run, the training data."""

from __future__ import annotations

from ftlint.api import Rule

from .h001_full_finetune_lr_too_high import FullFinetuneLrTooHigh
from .h002_lora_lr_out_of_band import LoraLrOutOfBand
from .h003_lora_lr_large_model import LoraLrLargeModel
from .h004_lora_alpha_ratio import LoraAlphaRatio
from .h005_preference_lr_too_high import PreferenceLrTooHigh
from .h006_batch_exceeds_dataset import BatchExceedsDataset
from .h007_max_steps_cuts_training import MaxStepsCutsTraining
from .h008_warmup_too_long import WarmupTooLong
from .h009_epochs_for_dataset_size import EpochsForDatasetSize
from .h010_seq_len_exceeds_context import SeqLenExceedsContext
from .h011_seq_len_truncates_data import SeqLenTruncatesData
from .h012_precision_conflict import PrecisionConflict

RULES: tuple[type[Rule], ...] = (
    FullFinetuneLrTooHigh,
    LoraLrOutOfBand,
    LoraLrLargeModel,
    LoraAlphaRatio,
    PreferenceLrTooHigh,
    BatchExceedsDataset,
    MaxStepsCutsTraining,
    WarmupTooLong,
    EpochsForDatasetSize,
    SeqLenExceedsContext,
    SeqLenTruncatesData,
    PrecisionConflict,
)
