"""``ftlint check --fix`` and ``--diff`` on config files."""

from __future__ import annotations

from pathlib import Path

from ftlint.core.findings import Edit, Finding, Fix, Location, Severity
from ftlint.run.fixes import apply_fixes
from tests.configs._helpers import document
from tests.conftest import RunCli

TRL = """\
# SFT recipe
model_name_or_path: Qwen/Qwen2.5-7B
per_device_train_batch_size: 4
learning_rate: 2e-5   # the usual rate
evaluation_strategy: steps
save_strategy: no
push_to_hub: yes
seed: 0042
"""

FIXED = """\
# SFT recipe
model_name_or_path: Qwen/Qwen2.5-7B
per_device_train_batch_size: 4
learning_rate: 2.0e-5   # the usual rate
eval_strategy: steps
save_strategy: "no"
push_to_hub: true
seed: 0042
"""


def test_fix_rewrites_keys_and_values_and_keeps_the_rest(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "sft.yaml"
    config.write_text(TRL, encoding="utf-8")
    status, out, err = run_cli(
        "check", config, "--select", "K", "--fix", "--output-format", "concise", cwd=tmp_path
    )
    assert config.read_text(encoding="utf-8") == FIXED
    assert "fixed 4 finding(s) in 1 file(s)" in err
    assert "sft.yaml:8:1: K004" in out  # the octal has no safe fix and is still reported
    assert "K003" not in out
    assert "K002" not in out
    assert status == 0  # what is left is a warning


def test_diff_shows_the_change_and_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "sft.yaml"
    config.write_text(TRL, encoding="utf-8")
    status, out, _ = run_cli("check", config, "--select", "K003", "--diff", cwd=tmp_path)
    assert config.read_text(encoding="utf-8") == TRL
    assert "-learning_rate: 2e-5   # the usual rate" in out
    assert "+learning_rate: 2.0e-5   # the usual rate" in out
    assert out.startswith("--- a/sft.yaml\n+++ b/sft.yaml\n")
    assert status == 1


def test_diff_without_fixes_is_empty(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "sft.yaml"
    config.write_text(FIXED.replace("seed: 0042", "seed: 42"), encoding="utf-8")
    status, out, _ = run_cli("check", config, "--select", "K", "--diff", cwd=tmp_path)
    assert (status, out) == (0, "")


def test_suppressed_findings_are_not_fixed(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "sft.yaml"
    text = TRL.replace("# the usual rate", "# ftlint: noqa: K003")
    config.write_text(text, encoding="utf-8")
    run_cli("check", config, "--select", "K003", "--fix", cwd=tmp_path)
    assert config.read_text(encoding="utf-8") == text


def test_axolotl_attention_flag_becomes_attn_implementation(
    run_cli: RunCli, tmp_path: Path
) -> None:
    config = tmp_path / "config.yml"
    config.write_text("base_model: meta-llama/Llama-3.1-8B\nflash_attention: true\n")
    run_cli("check", config, "--select", "K002", "--fix", cwd=tmp_path)
    assert config.read_text() == (
        "base_model: meta-llama/Llama-3.1-8B\nattn_implementation: flash_attention_2\n"
    )


def _finding(path: str, edit: Edit, code: str = "K003") -> Finding:
    return Finding(
        code=code,
        name="x",
        severity=Severity.WARNING,
        message="m",
        location=Location(path, edit.line, edit.column),
        fix=Fix("d", (edit,)),
    )


def test_overlapping_edits_keep_the_first_and_unparsable_results_are_not_written(
    tmp_path: Path,
) -> None:
    doc = document(tmp_path, "a: 1\nb: 2\n")
    first = _finding(doc.display, Edit(1, 4, 1, 5, "10"))
    overlapping = _finding(doc.display, Edit(1, 4, 1, 5, "20"))
    outcome = apply_fixes([first, overlapping], {doc.display: doc}, write=True)
    assert len(outcome.fixed) == 1
    assert doc.path.read_text() in ("a: 10\nb: 2\n", "a: 20\nb: 2\n")

    broken = document(tmp_path, "a: 1\n", "broken.yaml")
    bad = _finding(broken.display, Edit(1, 4, 1, 5, "[unclosed"))
    outcome = apply_fixes([bad], {broken.display: broken}, write=True)
    assert outcome.errors
    assert not outcome.fixed
    assert broken.path.read_text() == "a: 1\n"


def test_dataset_files_are_never_touched(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text('{"text": "hi"}\n')
    finding = _finding("train.jsonl", Edit(1, 1, 1, 2, "["))
    outcome = apply_fixes([finding], {}, write=True)
    assert not outcome.fixed
    assert data.read_text() == '{"text": "hi"}\n'
