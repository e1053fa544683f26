"""Recognising each framework's configs and normalising them into one view."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

import pytest

from ftlint.configs.model_catalog import ModelCatalog, model_id_from_builder
from ftlint.configs.schema import YamlDialect
from ftlint.configs.view import Located, Method, Objective, Task
from tests.configs._helpers import document, recognised, view_of

T = TypeVar("T")

AXOLOTL = """\
base_model: NousResearch/Meta-Llama-3-8B
datasets:
  - path: data/train.jsonl
    type: chat_template
val_set_size: 0.05
adapter: qlora
load_in_4bit: true
lora_r: 32
lora_alpha: 16
sequence_len: 4096
micro_batch_size: 2
gradient_accumulation_steps: 4
num_epochs: 4
learning_rate: 0.0002
output_dir: ./outputs/qlora-out
"""

SAMPLES = {
    "axolotl": AXOLOTL,
    "llamafactory": "model_name_or_path: Qwen/Qwen3-4B\nstage: sft\nfinetuning_type: lora\n",
    "llamafactory-v1": "model: Qwen/Qwen3-4B\npeft_config:\n  name: lora\n  r: 16\n"
    "train_dataset: data/v1_sft_demo.yaml\nmicro_batch_size: 1\n",
    "torchtune": "model:\n  _component_: torchtune.models.llama3_1.lora_llama3_1_8b\n"
    "optimizer:\n  _component_: torch.optim.AdamW\n  lr: 3e-4\n",
    "trl": "model_name_or_path: Qwen/Qwen2.5-7B\ndataset_name: my-org/chats\n"
    "per_device_train_batch_size: 4\nlearning_rate: 2.0e-5\n",
    "openai": '{"model": "gpt-4o-mini-2024-07-18", "training_file": "file-abc123",'
    ' "hyperparameters": {"n_epochs": 3}}',
    "mlx-lm": "model: mlx-community/Mistral-7B-Instruct-v0.3-4bit\nfine_tune_type: lora\n"
    "iters: 600\nlora_parameters:\n  rank: 8\n  scale: 20.0\n",
    "unsloth": "model: unsloth/Qwen2.5-0.5B\ndata:\n  dataset: tatsu-lab/alpaca\ntraining:\n"
    "  training_type: lora\n  max_seq_length: 2048\n  num_epochs: 1\nlora:\n  lora_r: 64\n",
    "open-instruct": "model_name_or_path: allenai/OLMo-2-1124-7B\nuse_slow_tokenizer: false\n"
    "dataset_mixer_list: [allenai/tulu-3-sft-mixture, '1.0']\nlearning_rate: 2.0e-5\n",
    "open-r1": "model_name_or_path: Qwen/Qwen2.5-1.5B-Instruct\ndataset_name: open-r1/OpenR1-Math\n"
    "dataset_prompt_column: problem\nlearning_rate: 2.0e-5\n",
}


@pytest.mark.parametrize(("name", "text"), SAMPLES.items(), ids=list(SAMPLES))
def test_each_framework_is_recognised_by_content(name: str, text: str, tmp_path: Path) -> None:
    file_name = "job.json" if name == "openai" else "config.yaml"
    framework = recognised(document(tmp_path, text, file_name))
    assert framework is not None
    assert framework.name == name


@pytest.mark.parametrize(
    "text",
    [
        "compute_environment: LOCAL_MACHINE\ndistributed_type: MULTI_GPU\n",
        "name: CI\non: [push]\njobs: {}\n",
        "- a\n- b\n",
        "model: my-model\nlr: 0.001\n",
    ],
)
def test_other_yaml_is_not_recognised(text: str, tmp_path: Path) -> None:
    assert recognised(document(tmp_path, text)) is None


def test_axolotl_view_has_every_fact_with_its_key_position(tmp_path: Path) -> None:
    view = view_of(tmp_path, AXOLOTL)
    assert view.framework == "axolotl"
    assert view.method is not None
    assert view.method.value is Method.QLORA
    assert view.method.pointer == "/adapter"
    assert view.method.line == 6
    assert view.learning_rate is not None
    assert (view.learning_rate.value, view.learning_rate.line) == (2e-4, 14)
    assert view.lora_multiplier() == (0.5, "alpha 16 / r 32")
    assert view.micro_batch_size is not None
    assert view.micro_batch_size.value == 2
    assert view.gradient_accumulation is not None
    assert view.gradient_accumulation.value == 4
    assert view.sequence_len is not None
    assert view.sequence_len.value == 4096
    assert view.val_size is not None
    assert view.has_eval_split()
    assert view.model_facts is not None
    assert view.model_facts.generation == "Llama 3"
    assert [d.name for d in view.datasets] == ["data/train.jsonl"]
    assert [n.key for n in view.output_names] == ["output_dir"]


def test_defaults_are_marked_and_located_at_the_key_they_depend_on(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        "model_name_or_path: Qwen/Qwen3-4B\nstage: sft\nfinetuning_type: lora\nlora_rank: 16\n",
    )
    assert view.lora_alpha is not None
    assert view.lora_alpha.default
    assert view.lora_alpha.value == 32
    assert view.lora_alpha.pointer == "/lora_rank"
    assert view.epochs is not None
    assert view.epochs.default
    assert view.epochs.value == 3


def test_llamafactory_tasks(tmp_path: Path) -> None:
    train = view_of(tmp_path, "model_name_or_path: Qwen/Qwen3-4B\nstage: dpo\ndataset: x\n")
    infer = view_of(tmp_path, "model_name_or_path: Qwen/Qwen3-4B\ntemplate: qwen3\n")
    export = view_of(
        tmp_path, "model_name_or_path: Qwen/Qwen3-4B\ntemplate: qwen3\nexport_dir: out\n"
    )
    assert train.task is Task.TRAIN
    assert train.is_preference
    assert train.objective is not None
    assert train.objective.value is Objective.DPO
    assert (infer.task, export.task) == (Task.INFERENCE, Task.EXPORT)


def test_llamafactory_dataset_info_resolves_names_to_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "dataset_info.json").write_text(json.dumps({"chats": {"file_name": "chats.json"}}))
    (data / "chats.json").write_text("[]")
    view = view_of(tmp_path, "model_name_or_path: Qwen/Qwen3-4B\nstage: sft\ndataset: chats\n")
    assert view.datasets[0].local_files == (str((data / "chats.json").resolve()),)


def test_torchtune_view(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        "model:\n  _component_: torchtune.models.qwen2_5.lora_qwen2_5_0_5b\n  lora_rank: 32\n"
        "  lora_alpha: 64\noptimizer:\n  _component_: torch.optim.AdamW\n  lr: 2e-3\n"
        "loss:\n  _component_: torchtune.rlhf.loss.DPOLoss\nbatch_size: 4\nepochs: 1\n",
    )
    assert view.model is not None
    assert view.model.value == "qwen2.5-0.5b"
    assert view.model_facts is not None
    assert view.model_facts.params_b == 0.5
    assert view.method is not None
    assert view.method.value is Method.LORA
    assert view.objective is not None
    assert view.objective.value is Objective.DPO
    assert view.learning_rate is not None
    assert view.learning_rate.pointer == "/optimizer/lr"


@pytest.mark.parametrize(
    ("component", "model_id"),
    [
        ("torchtune.models.llama3_1.lora_llama3_1_8b", "llama3.1-8b"),
        ("torchtune.models.qwen2_5.qwen2_5_1_5b_instruct", "qwen2.5-1.5b-instruct"),
        ("torchtune.models.phi3.phi3_mini", "phi3-mini"),
        ("torchtune.models.llama3_2_vision.qlora_llama3_2_vision_11b", "llama3.2-vision-11b"),
        ("my.own.builder", None),
    ],
)
def test_torchtune_builder_names(component: str, model_id: str | None) -> None:
    assert model_id_from_builder(component) == model_id


def test_openai_job_view(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        '{"model": "gpt-4o-mini", "training_file": "train.jsonl", "method": {"type": "dpo",'
        ' "dpo": {"hyperparameters": {"n_epochs": 2, "batch_size": 8}}}}',
        "job.json",
    )
    assert view.objective is not None
    assert view.objective.value is Objective.DPO
    assert view.epochs is not None
    assert view.epochs.pointer == "/method/dpo/hyperparameters/n_epochs"
    assert view.learning_rate is None  # OpenAI takes a multiplier, not a rate
    assert not view.has_eval_split()


def test_mlx_view_uses_scale_and_iters(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "train.jsonl").write_text("{}\n")
    (data / "valid.jsonl").write_text("{}\n")
    view = view_of(tmp_path, SAMPLES["mlx-lm"] + "data: data\nlearning_rate: 1e-5\n")
    assert view.lora_multiplier() == (20.0, "scale 20")
    assert view.max_steps is not None
    assert view.max_steps.value == 600
    assert len(view.datasets[0].local_files) == 1
    assert view.has_eval_split()


def test_unsloth_defaults_file_names_its_model_in_a_comment(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        "# Model defaults for unsloth/Llama-3.2-1B-Instruct\ntraining:\n  max_seq_length: 2048\n"
        "  num_epochs: 0\n  max_steps: 30\nlora:\n  lora_r: 16\n  lora_alpha: 16\n",
    )
    assert view.model is not None
    assert view.model.value == "unsloth/Llama-3.2-1B-Instruct"
    assert view.epochs is None  # 0 means "use max_steps"
    assert view.max_steps is not None
    assert view.max_steps.value == 30


@pytest.mark.parametrize(
    "text",
    [
        "base_model: [1, 2]\nlearning_rate: fast\nlora_r: {a: 1}\nmicro_batch_size: -3\n"
        "datasets: 7\nadapter: 12\nnum_epochs: .nan\n",
        "model_name_or_path: null\nstage: 5\ndataset: [null, 3]\ncutoff_len: big\n",
        "tokenizer:\n  _component_: torchtune.models.llama3.llama3_tokenizer\n  max_seq_len: big\n"
        "model:\n  _component_: 17\noptimizer: 3\ndataset: [1, {_component_: null}]\n",
        "model_name_or_path: x\nper_device_train_batch_size: true\ndataset_mixture: [1]\n",
    ],
)
def test_values_of_the_wrong_type_never_raise(text: str, tmp_path: Path) -> None:
    doc = document(tmp_path, text)
    framework = recognised(doc)
    assert framework is not None
    view = framework.normalise(doc, ModelCatalog())
    assert view is not None


def test_training_arguments_json_is_recognised(tmp_path: Path) -> None:
    text = (
        '{"output_dir": "out", "per_device_train_batch_size": 8, "learning_rate": 5e-05,'
        ' "num_train_epochs": 3, "gradient_accumulation_steps": 2, "lr_scheduler_type": "linear"}'
    )
    doc = document(tmp_path, text, "training_args.json")
    framework = recognised(doc)
    assert framework is not None
    assert framework.name == "trl"
    assert framework.yaml_dialect(doc) is YamlDialect.JSON
    view = view_of(tmp_path, text, "training_args.json")
    assert view.learning_rate is not None
    assert view.learning_rate.value == 5e-5


def value(located: Located[T] | None) -> T:
    """The value of a view field the test expects to be set."""
    assert located is not None
    return located.value


def test_open_instruct_view(tmp_path: Path) -> None:
    view = view_of(
        tmp_path,
        "model_name_or_path: meta-llama/Llama-3.1-8B\n"
        "tokenizer_name: meta-llama/Llama-3.1-8B\n"
        "use_slow_tokenizer: false\n"
        "dataset_mixer_list: [allenai/tulu-3-sft-mixture, '0.5', data/mine.jsonl, '100']\n"
        "use_qlora: true\n"
        "use_lora: true\n"
        "lora_rank: 32\n"
        "max_seq_length: 4096\n"
        "max_train_steps: 100\n",
        "dpo/config.yaml",
    )

    assert view.framework == "open-instruct"
    assert value(view.objective) is Objective.DPO
    assert value(view.method) is Method.QLORA
    assert value(view.lora_r) == 32
    assert value(view.tokenizer) == "meta-llama/Llama-3.1-8B"
    assert [d.name for d in view.datasets] == ["allenai/tulu-3-sft-mixture", "data/mine.jsonl"]
    assert value(view.max_steps) == 100
    assert value(view.sequence_len) == 4096
    assert not view.evaluates_in_training


def test_open_r1_is_normalised_as_trl_with_its_own_keys(tmp_path: Path) -> None:
    text = SAMPLES["open-r1"]
    framework = recognised(document(tmp_path, text))
    trl = recognised(document(tmp_path, SAMPLES["trl"], "trl.yaml"))
    assert framework is not None
    assert trl is not None
    own, trls = framework.key_schema(), trl.key_schema()
    assert own is not None
    assert trls is not None

    assert view_of(tmp_path, text).framework == "open-r1"
    assert "dataset_prompt_column" in own.top_level - trls.top_level
    assert not own.deprecated  # open-r1 pins TRL and transformers before the renames


@pytest.mark.parametrize(
    ("flag", "method"),
    [
        ("use_lora: true", Method.LORA),
        ("use_peft: true\nload_in_4bit: true", Method.QLORA),
        ("peft_config:\n  r: 16", Method.LORA),
        ("lora_rank: 8", Method.LORA),
        ("adapter: qlora", Method.QLORA),
        ("use_peft: false\nlora_rank: 8", Method.FULL),
    ],
)
def test_any_frameworks_lora_switch_makes_a_trl_config_a_lora_run(
    flag: str, method: Method, tmp_path: Path
) -> None:
    view = view_of(tmp_path, SAMPLES["trl"] + flag + "\n")

    assert view.framework == "trl"
    assert value(view.method) is method
