"""EX001 through the real engine, on failing and passing records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ftlint_plugin_example.missing_system_prompt import MissingSystemPrompt

from ftlint.api import rule_documentation
from ftlint.testing.fixtures import check_files

SYSTEM = {"role": "system", "content": "You are a terse assistant."}


def chat(*, system: bool) -> dict[str, Any]:
    turns = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
    return {"messages": ([SYSTEM] if system else []) + turns}


def test_reports_the_record_without_a_system_prompt(tmp_path: Path) -> None:
    records = [chat(system=True)] * 9 + [chat(system=False)]
    findings = check_files(tmp_path, {"train.jsonl": records}, select=["EX001"])
    assert [(f.code, f.path, f.location.line) for f in findings] == [("EX001", "train.jsonl", 10)]
    assert "9 of 10 conversations" in findings[0].message


def test_passes_when_system_prompts_are_not_the_norm(tmp_path: Path) -> None:
    records = [chat(system=True)] * 5 + [chat(system=False)] * 5
    assert check_files(tmp_path, {"train.jsonl": records}, select=["EX001"]) == []


def test_min_share_option(tmp_path: Path) -> None:
    records = [chat(system=True)] * 7 + [chat(system=False)] * 3
    findings = check_files(
        tmp_path,
        {"train.jsonl": records},
        select=["missing-system-prompt"],
        options={"EX001": {"min-share": 0.7}},
    )
    assert [f.location.line for f in findings] == [8, 9, 10]


def test_documentation_is_complete() -> None:
    """Every section written, every option described with Field(description=...)."""
    assert rule_documentation(MissingSystemPrompt).problems() == []
