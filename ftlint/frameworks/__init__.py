"""The training-config frameworks ftlint knows out of the box.

Each module recognises one framework's configs by content and normalises
them into a :class:`~ftlint.config_view.ConfigView`; the ``_keys_*`` data
modules list the keys each framework accepts (for K001 and K002).
"""

from __future__ import annotations

from ftlint.configs import ConfigFramework
from ftlint.frameworks.axolotl import Axolotl
from ftlint.frameworks.llamafactory import LlamaFactory, LlamaFactoryV1
from ftlint.frameworks.mlx_lm import MlxLm
from ftlint.frameworks.openai import OpenAIFineTuning
from ftlint.frameworks.torchtune import Torchtune
from ftlint.frameworks.trl import TrainingArguments
from ftlint.frameworks.unsloth import UnslothStudio

BUILTIN_FRAMEWORKS: tuple[ConfigFramework, ...] = (
    Axolotl(),
    LlamaFactory(),
    LlamaFactoryV1(),
    Torchtune(),
    TrainingArguments(),
    OpenAIFineTuning(),
    MlxLm(),
    UnslothStudio(),
)

__all__ = ["BUILTIN_FRAMEWORKS"]
