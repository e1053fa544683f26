"""Rule documentation from metadata: the sections of a docstring, the
*Options* rendered from the options model, *Fix safety*, and the generated
``docs/rules/`` that must match the rules (as ruff checks its rule pages).

The documented examples themselves run in ``tests/rules/test_rule_cases.py``
(JSON Lines) and ``tests/configs/test_rule_docs.py`` (YAML).
"""

from __future__ import annotations

import inspect
import json
import shutil
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import Field

from ftlint.api import FixSafety, Rule, RuleOptions, Severity, rule_documentation
from ftlint.api.documentation import options_documentation, page_path
from ftlint.cli import rule_docs
from ftlint.run.registry import load_plugins
from tests.conftest import RunCli

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
#: The built-in rules and the example plugin's: all of them are held to it.
RULES = sorted(load_plugins().rules.values(), key=lambda rule: rule.code)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_documentation_is_complete(rule: type[Rule]) -> None:
    """Every section written, no hand-written Options, every option described,
    Fix safety exactly for rules with fixes."""
    assert rule_documentation(rule).problems() == []


def test_docs_rules_is_up_to_date() -> None:
    assert rule_docs.main(["--check", str(DOCS)]) == rule_docs.EXIT_OK, (
        "docs/rules/ is stale: run `python -m ftlint.cli.rule_docs`"
    )


def test_the_check_names_stale_missing_and_orphaned_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(DOCS, folder)
    (folder / "S005.md").write_text("# S005 by hand\n", encoding="utf-8")
    (folder / "S009.md").unlink()
    (folder / "Q001.md").write_text("# a rule that is gone\n", encoding="utf-8")
    assert rule_docs.main(["--check", str(folder)]) == rule_docs.EXIT_STALE
    err = capsys.readouterr().err
    for name in ("S005.md", "S009.md", "Q001.md"):
        assert f"{folder / name} is out of date" in err
    assert "README.md" not in err

    rule_docs.main([str(folder)])
    assert not (folder / "Q001.md").exists()
    assert rule_docs.main(["--check", str(folder)]) == rule_docs.EXIT_OK


def test_only_builtin_rules_get_pages() -> None:
    codes = {doc.code for doc in rule_docs.builtin_documentation()}
    assert "S005" in codes
    assert "EX001" not in codes  # the example plugin is installed, but not built in
    assert not (DOCS / "EX001.md").exists()


def test_ftlint_rule_prints_the_page(run_cli: RunCli) -> None:
    status, out, _ = run_cli("rule", "too-few-records")
    assert status == 0
    assert out == (ROOT / page_path("S009")).read_text(encoding="utf-8")
    assert "- `min-train` (integer, at least 0; default `100`): Fewest records" in out


def test_the_index_lists_every_builtin_rule_with_its_facts() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    assert len(rows) == len(rule_docs.builtin_documentation())
    assert (
        "| [K003](K003.md) | `yaml-number-as-string` | A float in YAML 1.2 that PyYAML "
        "(YAML 1.1) reads as a string. | warning | yes | safe |" in rows
    )
    d002 = next(row for row in rows if row.startswith("| [D002](D002.md)"))
    assert d002.endswith("| warning | no | unsafe |")  # not enabled by default, unsafe fixes
    s001 = next(row for row in rows if row.startswith("| [S001](S001.md)"))
    assert s001.endswith("| error | yes | no |")  # no fix


class _Options(RuleOptions):
    max_share: float = Field(default=2e-5, gt=0, le=1, description="Largest share.")
    min_records: int = Field(default=10, ge=1, le=100)
    phrases: tuple[str, ...] = Field(
        default=tuple(f"phrase number {n}" for n in range(8)), description="Phrases."
    )
    extra: list[str] = Field(default_factory=list, description="More.")


class _Documented(Rule):
    """## What it does
    Checks a thing.

    ## Why is this bad?
    Because.

    ## Example
    ```jsonl
    {"text": "## not a heading"}
    ```

    Use instead: a better thing.

    ## Options
    - `max-share` (default: `0.5`): stale.

    ## Fix safety
    Safe.
    """

    code = "ZZ901"
    name = "documented"
    summary = "A thing."
    severity = Severity.INFO
    Options = _Options
    fix_safety: ClassVar[FixSafety | None] = FixSafety.SAFE


def test_options_are_rendered_from_the_model() -> None:
    options = {option.key: option for option in options_documentation(_Options)}
    assert list(options) == ["max-share", "min-records", "phrases", "extra"]
    assert options["max-share"].markdown() == (
        "- `max-share` (number, over 0, at most 1; default `2e-5`): Largest share."
    )
    assert options["min-records"].bounds == "from 1 to 100"
    assert options["extra"].type == "list of strings"
    assert options["extra"].default == "[]"
    # A long list is a TOML block, ready to copy into a settings file.
    assert options["phrases"].default.splitlines()[:2] == [
        "phrases = [",
        '    "phrase number 0",',
    ]
    assert "  ```toml\n  phrases = [\n" in options["phrases"].markdown()


def test_the_sections_of_a_docstring() -> None:
    doc = rule_documentation(_Documented)
    assert doc.what_it_does == doc.description == "Checks a thing."
    assert doc.example == '```jsonl\n{"text": "## not a heading"}\n```'
    assert doc.use_instead == "a better thing."
    assert doc.fix_safety_note == "Safe."
    headings = [heading for heading, _ in doc.sections()]
    assert headings == ["What it does", "Why is this bad?", "Example", "Options", "Fix safety"]
    rendered = doc.markdown()
    assert "stale" not in rendered  # the model's options replace the written ones
    assert "- `max-share` (number, over 0, at most 1; default `2e-5`)" in rendered


def test_problems_name_written_options_and_undescribed_ones() -> None:
    problems = rule_documentation(_Documented).problems()
    assert any("its own '## Options' section" in problem for problem in problems)
    assert "option 'min-records' has no Field(description=...)" in problems
    assert len(problems) == 2


def test_a_docstring_without_sections() -> None:
    class Plain(_Documented):
        """Checks a thing, in a paragraph.

        And says more."""

    doc = rule_documentation(Plain)
    assert doc.description == "Checks a thing, in a paragraph."
    assert doc.markdown().startswith("## What it does\nChecks a thing, in a paragraph.\n\n")
    assert "the docstring has no '## Why is this bad?' section" in doc.problems()

    class Bare(_Documented):
        pass

    Bare.__doc__ = None
    bare = rule_documentation(Bare)
    assert bare.description == "A thing."
    assert "the docstring has no '## What it does' section" in bare.problems()


def test_the_rule_listing_says_which_rules_fix(run_cli: RunCli) -> None:
    listing = {
        rule["code"]: rule for rule in json.loads(run_cli("rules", "--output-format", "json")[1])
    }
    assert listing["K003"]["fix_safety"] == "safe"
    assert listing["D002"]["fix_safety"] == "unsafe"
    assert listing["S001"]["fix_safety"] is None
    text = run_cli("rules")[1].splitlines()
    assert next(line for line in text if line.startswith("K003")).endswith("(fixable)")
    assert not next(line for line in text if line.startswith("S001")).endswith("(fixable)")


def test_fix_safety_must_match_the_declaration() -> None:
    class Undeclared(_Documented):
        """## What it does
        Checks.

        ## Why is this bad?
        Because.

        ## Example
        A.

        Use instead:
        B.
        """

        Options = RuleOptions

    class Unfixable(Undeclared):
        __doc__ = inspect.cleandoc(Undeclared.__doc__ or "") + "\n\n## Fix safety\nSafe."
        fix_safety = None

    assert rule_documentation(Undeclared).problems() == [
        "the rule declares fix_safety but its docstring has no '## Fix safety' section"
    ]
    assert rule_documentation(Unfixable).problems() == [
        "the docstring has a '## Fix safety' section but fix_safety is None"
    ]
