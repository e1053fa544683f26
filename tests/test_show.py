"""``ftlint check --show-files`` and ``--show-settings``: what a run would read
and with which settings, without linting anything."""

from __future__ import annotations

from pathlib import Path

from ftlint.testing import write_files
from tests.conftest import RunCli

CONFIG = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
sequence_len: 64
micro_batch_size: 1
datasets:
  - path: data/train.jsonl
    type: chat_template
"""
RECORD = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]}


def rows(out: str) -> dict[str, list[str]]:
    """The table's rows by path: the other columns, split on runs of spaces."""
    table = out.split("\n\n")[0].splitlines()[1:]
    return {line.split()[0]: line.split(None, 4)[1:] for line in table}


def test_show_files_lists_roles_splits_and_datasets_and_lints_nothing(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_files(
        tmp_path,
        {
            "config.yml": CONFIG,
            "data/train.jsonl": [RECORD],
            "data/validation/part-0.jsonl": [RECORD],
            "notes.txt": "hello\n",
            "other/launch.yml": "gpus: 8\n",
        },
    )
    status, out, _ = run_cli("check", "--show-files", cwd=tmp_path)
    assert status == 0
    assert "S005" not in out  # nothing linted
    assert rows(out) == {
        "config.yml": ["config", "-", "-", "axolotl config"],
        "data/train.jsonl": ["dataset", "train", "data", "split in the file name"],
        "data/validation/part-0.jsonl": ["dataset", "validation", "data", "split folder"],
        "notes.txt": ["skipped", "-", "-", "no reader for this file type"],
        "other/launch.yml": ["skipped", "-", "-", "no known training framework recognises it"],
    }
    assert "A dataset is the set of files whose splits are compared" in out


def test_show_files_marks_what_a_named_file_brings_as_companions(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_files(
        tmp_path,
        {
            "config.yml": CONFIG,
            "data/train.jsonl": [RECORD],
            "data/valid.jsonl": [RECORD],
            "data/notes.jsonl": [RECORD],
        },
    )
    status, out, _ = run_cli("check", "data/valid.jsonl", "--show-files", cwd=tmp_path)
    assert status == 0
    assert {path: cells[0] for path, cells in rows(out).items()} == {
        "data/train.jsonl": "companion",
        "data/valid.jsonl": "dataset",
    }
    status, out, _ = run_cli("check", "data/train.jsonl", "--show-files", cwd=tmp_path)
    assert {path: cells[0] for path, cells in rows(out).items()} == {
        "config.yml": "companion",
        "data/train.jsonl": "dataset",
        "data/valid.jsonl": "companion",
    }


def test_show_settings_says_where_each_setting_came_from(run_cli: RunCli, tmp_path: Path) -> None:
    write_files(tmp_path, {"ftlint.toml": 'fail-on = "warning"\n[tokens]\nmax-tokens = 100\n'})
    status, out, _ = run_cli("check", "--show-settings", "--select", "S,D", cwd=tmp_path)
    assert status == 0
    settings_file = str(tmp_path.resolve() / "ftlint.toml")
    lines = set(out.splitlines())
    assert f"# settings file: {settings_file}" in lines
    assert 'select = ["S", "D"]  # command line' in lines
    assert f'fail-on = "warning"  # {settings_file}' in lines
    assert f"tokens.max-tokens = 100  # {settings_file}" in lines
    assert "tokens.encoding = (unset)  # default" in lines
    assert "devices = 1  # default" in lines


def test_show_files_names_a_missing_path_on_stderr_and_exits_2(
    run_cli: RunCli, tmp_path: Path
) -> None:
    status, _, err = run_cli("check", "nothere.jsonl", "--show-files", cwd=tmp_path)
    assert status == 2
    assert "nothere.jsonl: no such file or folder" in err


def test_show_files_says_how_cards_and_configs_placed_a_file(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_files(
        tmp_path,
        {
            "README.md": (
                "---\nconfigs:\n- config_name: qa\n  data_files: {dev: qa/checked.jsonl}\n---\n"
            ),
            "qa/checked.jsonl": [RECORD],
            "sets/mix.jsonl": [RECORD],
            "sets/probe.jsonl": [RECORD],
            "config.yml": CONFIG.replace("data/train.jsonl", "sets/mix.jsonl")
            + "test_datasets:\n  - path: sets/probe.jsonl\n    type: chat_template\n",
        },
    )
    status, out, _ = run_cli("check", "--show-files", cwd=tmp_path)
    assert status == 0
    shown = rows(out)
    assert shown["qa/checked.jsonl"] == [
        "dataset",
        "validation",
        "README.md[qa]",
        "dataset card, config 'qa', split 'dev'",
    ]
    assert shown["sets/probe.jsonl"][:3] == ["dataset", "validation", "sets/mix.jsonl"]
    assert shown["sets/probe.jsonl"][3].endswith("evaluated on by config.yml")


def test_files_no_reader_takes_are_listed_but_not_counted_as_skipped(
    run_cli: RunCli, tmp_path: Path
) -> None:
    write_files(
        tmp_path,
        {"data/train.jsonl": [RECORD], "README.md": "# data\n", "prepare.py": "print()\n"},
    )
    status, out, _ = run_cli("check", ".", "--select", "S005", cwd=tmp_path)
    assert status == 1
    assert "found but not linted" not in out  # a README or a script is no news
    status, out, _ = run_cli("check", "--show-files", cwd=tmp_path)
    assert rows(out)["README.md"] == ["skipped", "-", "-", "no reader for this file type"]
    assert rows(out)["prepare.py"] == ["skipped", "-", "-", "no reader for this file type"]
