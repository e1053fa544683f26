"""The YAML examples in the config rules' documentation: the config under
*Example* makes the rule fire, the one under *Use instead* does not.

(The shared case harness checks JSON Lines examples only.) Rules that relate
the config to its data get the same training file beside both configs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ftlint import Rule
from ftlint.testing import check_files

_YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)

#: 150 text records of 1,500 characters: a mid-sized dataset whose records
#: exceed a 512-token sequence with the test encoding.
_TRAIN = [{"text": "x" * 1500} for _ in range(150)]
_SETTINGS: dict[str, dict[str, Any]] = {"H011": {"tokens": {"encoding": "test-bytes"}}}


def config_rules() -> list[type[Rule]]:
    import ftlint_rules

    return [r for r in ftlint_rules.ftlint_rules() if r.code[0] in "HCK"]


def _examples(rule: type[Rule]) -> tuple[str, str]:
    doc = rule.documentation()
    example, _, passing = doc.partition("Use instead:")
    failing = _YAML_BLOCK.findall(example.partition("## Example")[2])
    fixed = _YAML_BLOCK.findall(passing.partition("## Options")[0])
    assert failing, f"{rule.code} documents no failing YAML example"
    assert fixed, f"{rule.code} documents no passing YAML example"
    return failing[0], fixed[0]


def _run(rule: type[Rule], root: Path, config: str) -> list[str]:
    findings = check_files(
        root,
        {"config.yml": config, "train.jsonl": _TRAIN},
        select=[rule.code],
        settings=_SETTINGS.get(rule.code),
        paths=["config.yml", "train.jsonl"] if rule.code == "K005" else (".",),
    )
    return [f"{f.location.line}: {f.message}" for f in findings if f.path == "config.yml"]


@pytest.mark.parametrize("rule", config_rules(), ids=lambda rule: rule.code)
def test_documented_example_fires_and_its_fix_passes(rule: type[Rule], tmp_path: Path) -> None:
    failing, fixed = _examples(rule)
    assert _run(rule, tmp_path / "fail", failing), f"the {rule.code} example does not fire"
    passes = _run(rule, tmp_path / "pass", fixed)
    assert not passes, f"the {rule.code} 'Use instead' example fires: {passes}"
