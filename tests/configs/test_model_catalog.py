"""Model facts from ids, local config.json files and plugins."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from ftlint import hookimpl
from ftlint.configs.model_catalog import (
    ModelCatalog,
    ModelSpec,
    format_size,
    size_from_id,
    sizes_in,
    template_family,
)
from ftlint.testing import check_files


@pytest.mark.parametrize(
    ("model_id", "sizes"),
    [
        ("meta-llama/Llama-3.1-8B-Instruct", (8.0, None)),
        ("Qwen/Qwen2.5-0.5B", (0.5, None)),
        ("TinyLlama/TinyLlama-1.1B-Chat-v1.0", (1.1, None)),
        ("HuggingFaceTB/SmolLM2-135M", (0.135, None)),
        ("mistralai/Mixtral-8x7B-v0.1", (46.7, None)),
        ("Qwen/Qwen3-30B-A3B", (30.0, 3.0)),
        ("stabilityai/stablelm-2-1_6b", (1.6, None)),
        ("mistralai/Mistral-7B-Instruct-v0.2", (7.0, None)),
        ("mlx-community/Mistral-7B-Instruct-v0.3-4bit", (7.0, None)),
        ("my-org/house-model", (None, None)),
    ],
)
def test_sizes_written_in_ids(model_id: str, sizes: tuple[float | None, float | None]) -> None:
    assert size_from_id(model_id) == sizes


def test_sizes_in_free_form_names_keep_every_reading() -> None:
    assert sizes_in("/tmp/torchtune/llama3_2_8B_to_1B/KD") == [8.0, 1.0]
    assert sorted(sizes_in("saves/qwen2-1_5b/full")) == [1.5, 5.0]


@pytest.mark.parametrize(
    ("model_id", "generation", "context"),
    [
        ("meta-llama/Meta-Llama-3-8B", "Llama 3", 8192),
        ("meta-llama/Llama-3.1-70B", "Llama 3.1", 131072),
        ("NousResearch/Llama-2-7b-hf", "Llama 2", 4096),
        ("openlm-research/open_llama_3b_v2", "Llama", None),
        ("Qwen/Qwen2.5-7B-Instruct", "Qwen2.5", 32768),
        ("google/gemma-3-1b-it", "Gemma 3", 32768),
        ("google/gemma-3-27b-it", "Gemma 3", 131072),
        ("microsoft/Phi-3-mini-128k-instruct", "Phi-3", 131072),
        ("microsoft/phi-4", "Phi-4", 16384),
        ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "DeepSeek-R1-Distill-Qwen", 131072),
        ("HuggingFaceTB/SmolLM-360M", "SmolLM", 2048),
        ("openai/gpt-oss-20b", "gpt-oss", 131072),
    ],
)
def test_families_and_contexts(model_id: str, generation: str, context: int | None) -> None:
    facts = ModelCatalog().from_name(model_id)
    assert (facts.generation, facts.context) == (generation, context)


def test_local_config_json_comes_first(tmp_path: Path) -> None:
    folder = tmp_path / "ckpt"
    folder.mkdir()
    (folder / "config.json").write_text(
        json.dumps(
            {
                "model_type": "qwen2",
                "max_position_embeddings": 65536,
                "hidden_size": 896,
                "num_hidden_layers": 24,
                "num_attention_heads": 14,
                "num_key_value_heads": 2,
                "intermediate_size": 4864,
                "vocab_size": 151936,
                "tie_word_embeddings": True,
                "rope_scaling": {"type": "yarn", "factor": 2.0},
            }
        )
    )
    facts = ModelCatalog().lookup("ckpt", tmp_path)
    assert (facts.family, facts.context, facts.source) == ("qwen", 65536, "config.json")
    assert facts.rope_scaling
    assert facts.params_b is not None
    assert 0.4 < facts.params_b < 0.6


def test_template_names() -> None:
    assert template_family("llama3") == "llama3"
    assert template_family("qwen3_nothink") == "qwen"
    assert template_family("chatml") is None
    assert template_family("{% for m in messages %}{{ m }}{% endfor %}") is None


def test_format_size() -> None:
    assert [format_size(s) for s in (8.0, 0.5, 1.1, 0.135, 46.7)] == [
        "8B",
        "0.5B",
        "1.1B",
        "135M",
        "46.7B",
    ]


class HouseModels:
    """A plugin that teaches ftlint a private model family."""

    @staticmethod
    @hookimpl
    def ftlint_models() -> Sequence[ModelSpec]:
        return [ModelSpec(r"acme-lm", "acme", "Acme LM", 2048, template_family="acme")]


def test_plugins_add_models_through_the_hook(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {"config.yml": "base_model: acme/acme-lm-7b\nsequence_len: 8192\nchat_template: llama3\n"},
        select=["H010", "C001"],
        extra_plugins=[HouseModels],
    )
    assert sorted(f.code for f in findings) == ["C001", "H010"]
    assert any("2,048-token context of a 7B Acme LM model" in f.message for f in findings)
