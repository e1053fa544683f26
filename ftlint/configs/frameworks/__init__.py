"""The training-config frameworks ftlint knows out of the box.

Each module recognises one framework's configs by content and normalises
them into a :class:`~ftlint.configs.view.ConfigView`; the ``_keys_*`` data
modules list the keys each framework accepts (for K001 and K002).
"""

from __future__ import annotations

from ftlint.configs.framework import ConfigFramework
from ftlint.configs.frameworks.axolotl import Axolotl
from ftlint.configs.frameworks.llamafactory import LlamaFactory, LlamaFactoryV1
from ftlint.configs.frameworks.mlx_lm import MlxLm
from ftlint.configs.frameworks.open_instruct import OpenInstruct
from ftlint.configs.frameworks.open_r1 import OpenR1
from ftlint.configs.frameworks.openai import OpenAIFineTuning
from ftlint.configs.frameworks.torchtune import Torchtune
from ftlint.configs.frameworks.trl import TrainingArguments
from ftlint.configs.frameworks.unsloth import UnslothStudio

BUILTIN_FRAMEWORKS: tuple[ConfigFramework, ...] = (
    Axolotl(),
    LlamaFactory(),
    LlamaFactoryV1(),
    Torchtune(),
    TrainingArguments(),
    OpenInstruct(),
    OpenR1(),
    OpenAIFineTuning(),
    MlxLm(),
    UnslothStudio(),
)

__all__ = ["BUILTIN_FRAMEWORKS"]
