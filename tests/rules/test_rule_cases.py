"""Data-driven rule tests: every ``cases/<CODE>.yml`` file, one test per case.

A case file holds named cases for one rule::

    rule: S005
    cases:
      empty_alpaca_output:
        files:
          train.jsonl:                 # a list: one JSON value a line (.jsonl)
            - {instruction: "Say hi", input: "", output: ""}   # or an indented array (.json)
          raw.jsonl: "{bad\\n"          # a string: written verbatim
        options: {min-train: 1}        # optional: the rule's options
        expect:                        # the findings, in any order
          - {line: 1, pointer: /output, message_contains: "'output' is empty"}
      filled_output_passes:
        files: ...
        expect: []

A case may also give ``settings`` (other settings keys, ``{devices: 8}``) and
``paths`` (the command-line paths; default ``["."]``, the whole folder).

An expected finding has ``line`` (0 for a whole-file finding), and
optionally ``path`` (needed only when the case has several files),
``pointer`` (default: none), ``column``, ``message_contains`` and
``severity`` (for rules whose severity depends on the finding). The
findings the rule produces must be exactly the expected ones. Each rule
needs at least one case that fails and one that passes. Later rule families
only add YAML files here.

The examples in each rule's documentation are checked too: the record under
*Example* must make the rule fire, the one under *Use instead* must not. A
finding may carry a fix only when its rule declares ``fix_safety``, and a
rule that promises safe fixes offers no other.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field

from ftlint.api import ConfigRule, Finding, FixSafety, Rule, rule_documentation
from ftlint.testing import check_files

CASES = Path(__file__).parent / "cases"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expected(_Strict):
    line: int
    path: str | None = None
    pointer: str = ""
    column: int | None = None
    message_contains: str | None = None
    #: ``error``, ``warning``, ...: for rules whose severity depends on the finding.
    severity: str | None = None


class Case(_Strict):
    files: dict[str, str | list[Any]]
    options: dict[str, Any] = Field(default_factory=dict)
    #: Other settings keys (``devices: 8``), as in ``ftlint.toml``.
    settings: dict[str, Any] = Field(default_factory=dict)
    #: The command-line paths (default: the whole folder).
    paths: list[str] = Field(default_factory=lambda: ["."])
    expect: list[Expected]


class CaseFile(_Strict):
    rule: str
    cases: dict[str, Case]


def load_case_files() -> dict[str, CaseFile]:
    """Every case file, by rule code; the file name must be the code."""
    loaded = {}
    for path in sorted(CASES.glob("*.yml")):
        case_file = CaseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert case_file.rule == path.stem, f"{path.name} holds cases for {case_file.rule}"
        loaded[case_file.rule] = case_file
    return loaded


CASE_FILES = load_case_files()
ALL_CASES = [
    pytest.param(code, case, id=f"{code}-{name}")
    for code, case_file in CASE_FILES.items()
    for name, case in case_file.cases.items()
]


def builtin_rules() -> list[type[Rule]]:
    import ftlint_rules

    return list(ftlint_rules.ftlint_rules())


BUILTIN_RULES = {rule.code: rule for rule in builtin_rules()}


Key = tuple[str, int, str]


def _key(path: str, line: int, pointer: str) -> Key:
    return (path, line, pointer)


def _expected_keys(case: Case) -> Counter[Key]:
    default = next(iter(case.files)) if len(case.files) == 1 else None
    keys: Counter[Key] = Counter()
    for expected in case.expect:
        path = expected.path or default
        assert path, "an expected finding needs a path when the case has several files"
        keys[_key(path, expected.line, expected.pointer)] += 1
    return keys


def _describe(findings: list[Finding]) -> str:
    return "\n".join(
        f"  {f.location.path}:{f.location.line}:{f.location.column} {f.code} "
        f"[{f.location.pointer}] {f.message}"
        for f in findings
    )


@pytest.mark.parametrize(("code", "case"), ALL_CASES)
def test_rule_case(code: str, case: Case, tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        case.files,
        select=[code],
        options={code: case.options} if case.options else None,
        settings=case.settings,
        paths=case.paths,
    )
    assert {f.code for f in findings} <= {code}, _describe(findings)
    actual = Counter(_key(f.location.path, f.location.line, f.location.pointer) for f in findings)
    assert actual == _expected_keys(case), f"findings were:\n{_describe(findings) or '  none'}"
    for expected in case.expect:
        _check_details(expected, case, findings)
    check_fixes_are_declared(BUILTIN_RULES[code], findings)


def check_fixes_are_declared(rule: type[Rule], findings: list[Finding]) -> None:
    """A rule's findings carry fixes only if it declares ``fix_safety``, and
    only safe ones if it promises safe fixes."""
    fixes = [f.fix for f in findings if f.fix is not None]
    if rule.fix_safety is None:
        assert not fixes, f"{rule.code} offers fixes; declare its fix_safety"
    elif rule.fix_safety is FixSafety.SAFE:
        assert all(fix.safe for fix in fixes), f"{rule.code} promises safe fixes only"


def _check_details(expected: Expected, case: Case, findings: list[Finding]) -> None:
    path = expected.path or next(iter(case.files))
    matching = [
        f
        for f in findings
        if _key(f.location.path, f.location.line, f.location.pointer)
        == _key(path, expected.line, expected.pointer)
    ]
    if expected.column is not None:
        assert any(f.location.column == expected.column for f in matching), _describe(matching)
    if expected.message_contains is not None:
        assert any(expected.message_contains in f.message for f in matching), _describe(matching)
    if expected.severity is not None:
        assert any(f.severity == expected.severity for f in matching), _describe(matching)


@pytest.mark.parametrize("rule", builtin_rules(), ids=lambda rule: rule.code)
def test_every_builtin_rule_has_failing_and_passing_cases(rule: type[Rule]) -> None:
    case_file = CASE_FILES.get(rule.code)
    assert case_file is not None, f"add tests/rules/cases/{rule.code}.yml"
    outcomes = {bool(case.expect) for case in case_file.cases.values()}
    assert outcomes == {True, False}, f"{rule.code} needs a case that fails and one that passes"


_JSONL_BLOCK = re.compile(r"```jsonl\n(.*?)```", re.DOTALL)


def dataset_rules() -> list[type[Rule]]:
    """Rules on records; the config rules' YAML examples run in
    ``tests/configs/test_rule_docs.py``."""
    return [rule for rule in builtin_rules() if not issubclass(rule, ConfigRule)]


@pytest.mark.parametrize("rule", dataset_rules(), ids=lambda rule: rule.code)
def test_rule_documentation_examples(rule: type[Rule], tmp_path: Path) -> None:
    doc = rule_documentation(rule)
    failing_blocks = _JSONL_BLOCK.findall(doc.example)
    passing_blocks = _JSONL_BLOCK.findall(doc.use_instead)
    if not failing_blocks or not passing_blocks:
        pytest.skip(f"{rule.code} documents its example in prose")
    fails = check_files(tmp_path / "fail", {"data.jsonl": failing_blocks[0]}, select=[rule.code])
    passes = check_files(tmp_path / "pass", {"data.jsonl": passing_blocks[0]}, select=[rule.code])
    assert fails, f"the {rule.code} documentation example does not fire"
    check_fixes_are_declared(rule, fails)
    assert not passes, f"the {rule.code} 'Use instead' example fires:\n{_describe(passes)}"
