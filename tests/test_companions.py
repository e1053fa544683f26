"""What a named file brings along (``ftlint.run.companions``): a named config
its local data, a named dataset file the configs that train on it; and the
pre-commit hook, run for real, reports on one changed file what a run over
every file reports about it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ftlint.run.companions import search_root
from ftlint.testing import check_files, write_files

ROOT = Path(__file__).resolve().parent.parent

CONFIG = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
sequence_len: 64
micro_batch_size: 8
gradient_accumulation_steps: 4
datasets:
  - path: data/train.jsonl
    type: chat_template
"""


def chat(question: str, answer: str = "A short answer.") -> dict[str, Any]:
    return {
        "messages": [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer},
        ]
    }


LONG = chat("Tell me everything. " * 40)
TRAIN = [chat(f"Question {i}?") for i in range(5)] + [LONG]
FILES = {"config.yml": CONFIG, "data/train.jsonl": TRAIN, "notes/other.yml": "unrelated: true\n"}


def codes_and_paths(findings: list[Any]) -> list[tuple[str, str]]:
    return sorted((f.code, f.path) for f in findings)


def test_a_named_config_brings_the_data_it_trains_on(tmp_path: Path) -> None:
    findings = check_files(tmp_path, FILES, select=["H006"], paths=["config.yml"])
    assert codes_and_paths(findings) == [("H006", "config.yml")]
    assert "6 records in data/train.jsonl" in findings[0].message


def test_a_named_dataset_file_brings_the_configs_that_train_on_it(tmp_path: Path) -> None:
    findings = check_files(tmp_path, FILES, select=["T001"], paths=["data/train.jsonl"])
    assert codes_and_paths(findings) == [("T001", "data/train.jsonl")]
    assert "sequence_len in config.yml" in findings[0].message


def test_configs_that_do_not_train_on_the_named_file_are_not_brought(tmp_path: Path) -> None:
    files = {**FILES, "config.yml": CONFIG.replace("data/train.jsonl", "data/other.jsonl")}
    findings = check_files(tmp_path, files, select=["T001"], paths=["data/train.jsonl"])
    assert findings == []


def test_configs_are_searched_from_the_repository_top_without_a_settings_file(
    tmp_path: Path,
) -> None:
    repository, elsewhere = tmp_path / "repo", tmp_path / "cwd"
    (repository / ".git").mkdir(parents=True)
    data = repository / "data" / "train.jsonl"
    assert search_root(elsewhere, False, [data]) == repository
    assert search_root(elsewhere, True, [data]) == elsewhere  # the settings file's folder
    assert search_root(elsewhere, False, [tmp_path / "loose.jsonl"]) == elsewhere


# --- pre-commit, for real ------------------------------------------------------------


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """This project as a hook repository pre-commit installs from (a commit of
    the working tree, as ``pre-commit try-repo`` makes), and the environment
    that keeps pre-commit's installs in one place for the module's runs."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    copy = tmp_path_factory.mktemp("hook-repo")
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in tracked)):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", ".")
    _git(copy, "commit", "-qm", "hook under test")
    environment = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit"))}
    return copy, environment


def _git(folder: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *arguments],
        cwd=folder,
        check=True,
    )


def _dataset_repository(folder: Path, hook: Path) -> None:
    """A dataset repository that uses the hook, with a settings file that asks
    for one finding a line (``concise``)."""
    revision = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hook, check=True, capture_output=True, text=True
    ).stdout.strip()
    config = {"repos": [{"repo": str(hook), "rev": revision, "hooks": [{"id": "ftlint"}]}]}
    write_files(
        folder,
        {
            **FILES,
            "data/valid.jsonl": [TRAIN[0], chat("Held out?")],
            ".pre-commit-config.yaml": yaml.safe_dump(config),
            "ftlint.toml": 'output-format = "concise"\n',
        },
    )
    _git(folder, "init", "-q")
    _git(folder, "add", ".")
    _git(folder, "commit", "-qm", "data")


def _pre_commit(folder: Path, environment: dict[str, str], *arguments: str) -> set[str]:
    """The finding lines the hook printed (``path:line:col: CODE message``)."""
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "ftlint", *arguments],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
    )
    finding = re.compile(r"^\S+:\d+:\d+: [A-Z]+\d+ ")
    return {line for line in run.stdout.splitlines() if finding.match(line)}


def _about(lines: set[str], path: str) -> set[str]:
    return {line for line in lines if line.startswith(f"{path}:")}


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        # A config changed: its batch is compared with the data it names (H006).
        ("config.yml", "H006"),
        # A dataset changed: its records are held to the config's sequence_len (T001).
        ("data/train.jsonl", "T001"),
    ],
)
def test_pre_commit_on_one_changed_file_reports_what_all_files_reports_about_it(
    tmp_path: Path,
    hook_repository: tuple[Path, dict[str, str]],
    changed: str,
    expected: str,
) -> None:
    hook, environment = hook_repository
    _dataset_repository(tmp_path, hook)
    everything = _pre_commit(tmp_path, environment, "--all-files")
    one = _pre_commit(tmp_path, environment, "--files", changed)
    assert any(f" {expected} " in line for line in _about(everything, changed)), everything
    assert _about(one, changed) == _about(everything, changed)
    # Findings elsewhere that point into the changed file (a leak from it) too.
    assert one <= everything
