"""The YAML examples in the config rules' documentation: the config under
*Example* makes the rule fire, the one under *Use instead* does not, and the
example's findings carry a fix exactly when the rule declares ``fix_safety``.

(The shared case harness checks JSON Lines examples only.) Rules that relate
the config to its data get the same training file beside both configs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ftlint.api import Finding, Rule, rule_documentation
from ftlint.testing import check_files
from tests.rules.test_rule_cases import check_fixes_are_declared

_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)

#: 150 text records of 1,500 characters: a mid-sized dataset whose records
#: exceed a 512-token sequence with the test encoding.
_TRAIN = [{"text": "x" * 1500} for _ in range(150)]
_SETTINGS: dict[str, dict[str, Any]] = {"H011": {"tokens": {"encoding": "test-bytes"}}}


def config_rules() -> list[type[Rule]]:
    import ftlint_rules

    return [r for r in ftlint_rules.ftlint_rules() if r.code[0] in "HCK"]


def _examples(rule: type[Rule]) -> tuple[str, str]:
    doc = rule_documentation(rule)
    failing = _YAML_BLOCK.findall(doc.example)
    fixed = _YAML_BLOCK.findall(doc.use_instead)
    assert failing, f"{rule.code} documents no failing YAML example"
    assert fixed, f"{rule.code} documents no passing YAML example"
    return failing[0], fixed[0]


def _run(rule: type[Rule], root: Path, config: str) -> list[Finding]:
    findings = check_files(
        root,
        {"config.yml": config, "train.jsonl": _TRAIN},
        select=[rule.code],
        settings=_SETTINGS.get(rule.code),
        paths=["config.yml", "train.jsonl"] if rule.code == "K005" else (".",),
    )
    return [f for f in findings if f.path == "config.yml"]


@pytest.mark.parametrize("rule", config_rules(), ids=lambda rule: rule.code)
def test_documented_example_fires_and_its_fix_passes(rule: type[Rule], tmp_path: Path) -> None:
    failing, fixed = _examples(rule)
    fails = _run(rule, tmp_path / "fail", failing)
    assert fails, f"the {rule.code} example does not fire"
    check_fixes_are_declared(rule, fails)
    if rule.fix_safety is not None:
        assert any(f.fix for f in fails), f"{rule.code} declares fixes; its example gets none"
    passes = [f"{f.location.line}: {f.message}" for f in _run(rule, tmp_path / "pass", fixed)]
    assert not passes, f"the {rule.code} 'Use instead' example fires: {passes}"
