"""Discovery: which files are read, as which split, in which dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftlint.core.naming import split_from_name
from ftlint.core.records import Split
from ftlint.readers import BUILTIN_READERS
from ftlint.run.discovery import Discoverer, Discovery
from ftlint.settings.schema import Settings
from ftlint.testing import working_directory


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("train.jsonl", Split.TRAIN),
        ("valid.jsonl", Split.VALIDATION),
        ("dev.json", Split.VALIDATION),
        ("eval.csv", Split.VALIDATION),
        ("test.jsonl.gz", Split.TEST),
        ("gsm_8k_train.json", Split.TRAIN),
        ("data/train-00000-of-00003.parquet", Split.TRAIN),
        ("validation/part-0.jsonl", Split.VALIDATION),
        ("alpaca_en_demo.json", None),
        ("train_test_split.jsonl", None),
        ("contest.jsonl", None),
    ],
)
def test_split_from_name(name: str, split: Split | None) -> None:
    assert split_from_name(Path(name)) is split


def _discover(root: Path, paths: list[Path], **settings: object) -> Discovery:
    resolved = Settings.model_validate({**settings, "root": root})
    with working_directory(root):
        return Discoverer(resolved, BUILTIN_READERS).discover(paths)


def test_folders_are_walked_and_grouped_into_datasets(tmp_path: Path) -> None:
    for name in ("a/train.jsonl", "a/test.jsonl", "b/notes.jsonl", ".hidden/train.jsonl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text('{"text": "x"}\n')
    (tmp_path / "a" / "config.yaml").write_text("learning_rate: 1e-5\n")
    found = _discover(tmp_path, [Path(".")])
    datasets = {(f.display, f.split, f.dataset) for f in found.datasets}
    assert datasets == {
        ("a/test.jsonl", Split.TEST, "a"),
        ("a/train.jsonl", Split.TRAIN, "a"),
        ("b/notes.jsonl", None, "b/notes.jsonl"),
    }
    assert [c.display for c in found.configs] == ["a/config.yaml"]
    assert found.report_only is None


def test_named_files_bring_their_sibling_splits_as_companions(tmp_path: Path) -> None:
    for name in ("train.jsonl", "valid.jsonl", "test.jsonl", "notes.jsonl"):
        (tmp_path / name).write_text('{"text": "x"}\n')
    found = _discover(tmp_path, [Path("valid.jsonl")])
    assert sorted(f.display for f in found.datasets) == [
        "test.jsonl",
        "train.jsonl",
        "valid.jsonl",
    ]
    assert found.report_only == {"valid.jsonl"}


def test_exclude_globs_and_split_globs_from_settings(tmp_path: Path) -> None:
    for name in ("raw/dump.jsonl", "sft.jsonl", "heldout.jsonl"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text('{"text": "x"}\n')
    found = _discover(
        tmp_path,
        [Path(".")],
        exclude=["raw"],
        splits={"train": ["sft.jsonl"], "test": ["heldout*"]},
    )
    splits = {f.display: f.split for f in found.datasets}
    assert splits == {"heldout.jsonl": Split.TEST, "sft.jsonl": Split.TRAIN}


def test_json_objects_are_config_candidates_json_lines_and_arrays_are_data(
    tmp_path: Path,
) -> None:
    (tmp_path / "args.json").write_text('{\n  "learning_rate": 1e-5\n}\n')
    (tmp_path / "lines.json").write_text('{"text": "a"}\n{"text": "b"}\n')
    (tmp_path / "array.json").write_text('[{"text": "a"}]\n')
    found = _discover(tmp_path, [Path(".")])
    assert [c.display for c in found.configs] == ["args.json"]
    assert sorted(f.display for f in found.datasets) == ["array.json", "lines.json"]


def test_missing_paths_are_reported(tmp_path: Path) -> None:
    found = _discover(tmp_path, [Path("nope.jsonl")])
    assert found.missing == ["nope.jsonl"]


def test_large_json_objects_in_a_folder_are_no_config_candidates(tmp_path: Path) -> None:
    big = '{"truth": [' + ",".join(["1"] * 600_000) + "]}\n"
    (tmp_path / "truth.json").write_text(big)
    (tmp_path / "args.json").write_text('{"learning_rate": 1e-5}\n')
    assert [c.display for c in _discover(tmp_path, [Path(".")]).configs] == ["args.json"]
    named = _discover(tmp_path, [Path("truth.json")])
    assert [c.display for c in named.configs] == ["truth.json"]
