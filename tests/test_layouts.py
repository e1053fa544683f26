"""Datasets as users lay them out (``ftlint.run.layouts``): split folders,
``[splits]`` globs, Hugging Face dataset cards and training configs each make
one dataset of their splits, so a record copied from train into an eval
split is leakage (L001) and a train split with an eval split is no B004."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ftlint import Finding
from ftlint.readers.dataset_card import CardConfig, read_card
from ftlint.testing import check_files


def chat(question: str, answer: str = "An answer.") -> dict[str, Any]:
    return {
        "messages": [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer},
        ]
    }


def records(prefix: str, count: int = 3) -> list[dict[str, Any]]:
    return [chat(f"{prefix} question {i}?") for i in range(count)]


LEAKED = chat("What is the capital of France?", "Paris.")


def summary(findings: list[Finding]) -> list[tuple[str, str, int]]:
    return sorted((f.code, f.path, f.location.line) for f in findings)


def test_split_folders_are_one_dataset(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "data/train/part-0.jsonl": [*records("train"), LEAKED],
            "data/train/part-1.jsonl": records("more train"),
            "data/validation/part-0.jsonl": [*records("valid"), LEAKED],
            "data/test/part-0.jsonl": records("test"),
        },
        select=["L001", "B004"],
    )
    assert summary(findings) == [("L001", "data/validation/part-0.jsonl", 4)]
    assert findings[0].related[0].location.path == "data/train/part-0.jsonl"


def test_split_folders_of_different_datasets_are_not_compared(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "a/train/part-0.jsonl": [*records("a"), LEAKED],
            "b/validation/part-0.jsonl": [*records("b"), LEAKED],
        },
        select=["L001", "B004"],
    )
    assert summary(findings) == [("B004", "a/train/part-0.jsonl", 0)]


def test_a_named_split_folder_file_brings_the_other_split_folders(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "data/train/part-0.jsonl": [*records("train"), LEAKED],
            "data/validation/part-0.jsonl": [*records("valid"), LEAKED],
        },
        select=["L001", "B004"],
        paths=["data/validation/part-0.jsonl"],
    )
    assert summary(findings) == [("L001", "data/validation/part-0.jsonl", 4)]


def test_splits_globs_make_one_dataset_across_folders(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "sft/mix.jsonl": [*records("train"), LEAKED],
            "heldout/questions.jsonl": [LEAKED, *records("held out")],
        },
        select=["L001", "B004"],
        settings={"splits": {"train": ["sft/*.jsonl"], "test": ["heldout/*.jsonl"]}},
    )
    assert summary(findings) == [("L001", "heldout/questions.jsonl", 1)]


CARD = """\
---
license: mit
configs:
  - config_name: chat
    data_files:
      - split: train
        path: "chat/2024-*.jsonl"
      - split: test
        path: chat/heldout.jsonl
  - config_name: code
    data_files:
      train: code/all.jsonl
      validation: [code/checked.jsonl]
---
# A dataset
"""


def test_a_dataset_card_names_the_splits_of_each_config(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "README.md": CARD,
            "chat/2024-01.jsonl": [*records("chat"), LEAKED],
            "chat/2024-02.jsonl": records("chat later"),
            "chat/heldout.jsonl": [*records("chat held out"), LEAKED],
            # Configs are datasets of their own: no leak between them.
            "code/all.jsonl": [*records("code"), LEAKED, chat("Sort a list?")],
            "code/checked.jsonl": [chat("Sort a list?"), *records("code checked")],
        },
        select=["L001", "B004"],
    )
    assert summary(findings) == [
        ("L001", "chat/heldout.jsonl", 4),
        ("L001", "code/checked.jsonl", 1),
    ]
    chat_leak = next(f for f in findings if f.path == "chat/heldout.jsonl")
    assert chat_leak.related[0].location.path == "chat/2024-01.jsonl"


def test_a_named_file_of_a_card_brings_its_config_s_other_splits(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "README.md": CARD,
            "chat/2024-01.jsonl": [*records("chat"), LEAKED],
            "chat/heldout.jsonl": [*records("chat held out"), LEAKED],
        },
        select=["L001"],
        paths=["chat/2024-01.jsonl"],
    )
    # The leak is reported where it is evaluated, pointing into the named file.
    assert summary(findings) == [("L001", "chat/heldout.jsonl", 4)]


def test_a_readme_without_front_matter_changes_nothing(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "README.md": "# Notes\n\nconfigs: none here\n",
            "a/train.jsonl": [*records("train"), LEAKED],
            "b/test.jsonl": [LEAKED],
        },
        select=["L001", "B004"],
    )
    assert summary(findings) == [("B004", "a/train.jsonl", 0)]


def test_remote_and_absolute_data_files_of_a_card_match_no_local_file(tmp_path: Path) -> None:
    card = (
        "---\nconfigs:\n- config_name: default\n  data_files:\n"
        "    train: hf://datasets/someone/set/train.jsonl\n"
        "    test: /elsewhere/test.jsonl\n---\n"
    )
    findings = check_files(
        tmp_path,
        {"README.md": card, "train.jsonl": [*records("train"), LEAKED], "test.jsonl": [LEAKED]},
        select=["L001"],
    )
    # The files fall back to their names: one dataset of the folder, as without a card.
    assert summary(findings) == [("L001", "test.jsonl", 1)]


def test_card_forms_of_data_files(tmp_path: Path) -> None:
    card = tmp_path / "README.md"
    card.write_text(
        "---\n"
        "configs:\n"
        "- config_name: one\n  data_files: all.jsonl\n"
        "- config_name: many\n  data_files: [a.jsonl, b.jsonl]\n"
        "- config_name: dir\n  data_dir: sub\n  data_files: {train: './x.jsonl', test: [y.jsonl]}\n"
        "dataset_info:\n"
        "- config_name: prefs\n  splits: [{name: train_prefs}, {name: test_prefs}]\n"
        "---\n"
    )
    assert read_card(card) == (
        CardConfig("one", {"train": ("all.jsonl",)}),
        CardConfig("many", {"train": ("a.jsonl", "b.jsonl")}),
        CardConfig("dir", {"train": ("sub/x.jsonl",), "test": ("sub/y.jsonl",)}),
    )
    card.write_text(
        "---\ndataset_info:\n  splits:\n  - name: train_prefs\n  - name: test_prefs\n---\n"
    )
    shards = "-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*"
    assert read_card(card) == (
        CardConfig(
            "default",
            {
                "train_prefs": (f"data/train_prefs{shards}",),
                "test_prefs": (f"data/test_prefs{shards}",),
            },
        ),
    )
    card.write_text("---\nconfigs: [unclosed\n---\n")
    assert read_card(card) == ()


def test_llamafactory_config_with_an_eval_dataset_joins_train_and_eval(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "data/dataset_info.json": (
                '{"support": {"file_name": "support_chats.json"},'
                ' "support_heldout": {"file_name": "heldout_chats.json"}}'
            ),
            "data/support_chats.json": [*records("support"), LEAKED],
            "data/heldout_chats.json": [*records("held out"), LEAKED],
            "sft.yaml": (
                "model_name_or_path: meta-llama/Llama-3.1-8B-Instruct\nstage: sft\n"
                "finetuning_type: lora\ndataset_dir: data\ndataset: support\n"
                "eval_dataset: support_heldout\ncutoff_len: 1024\n"
            ),
        },
        select=["L001", "B004"],
    )
    assert summary(findings) == [("L001", "data/heldout_chats.json", 38)]  # a JSON array


def test_axolotl_test_datasets_join_and_val_set_size_counts_as_an_eval_split(
    tmp_path: Path,
) -> None:
    base = "base_model: meta-llama/Llama-3.1-8B\nmicro_batch_size: 1\nsequence_len: 1024\n"
    findings = check_files(
        tmp_path,
        {
            "sets/sft_mix.jsonl": [*records("mix"), LEAKED],
            "sets/probe.jsonl": [LEAKED],
            "other/train.jsonl": records("other"),
            "eval.yaml": base
            + "datasets:\n  - path: sets/sft_mix.jsonl\n    type: chat_template\n"
            + "test_datasets:\n  - path: sets/probe.jsonl\n    type: chat_template\n",
            "split_off.yaml": base
            + "datasets:\n  - path: other/train.jsonl\n    type: chat_template\n"
            + "val_set_size: 0.05\n",
        },
        select=["L001", "B004"],
    )
    assert summary(findings) == [("L001", "sets/probe.jsonl", 1)]


def test_without_the_configs_those_files_are_datasets_of_their_own(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {
            "sets/sft_mix.jsonl": [*records("mix"), LEAKED],
            "sets/probe.jsonl": [LEAKED],
            "other/train.jsonl": records("other"),
        },
        select=["L001", "B004"],
    )
    assert summary(findings) == [("B004", "other/train.jsonl", 0)]
