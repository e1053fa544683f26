"""The distribution ships every package the source tree has."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _declared_packages() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return set(tomllib.load(handle)["tool"]["setuptools"]["packages"])


def _source_packages(folder: str, name: str) -> set[str]:
    base = ROOT / folder
    return {
        ".".join((name, *init.parent.relative_to(base).parts))
        for init in base.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def test_every_ftlint_package_is_declared() -> None:
    missing = _source_packages("ftlint", "ftlint") - _declared_packages()
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_every_rule_package_is_declared() -> None:
    missing = _source_packages("rules", "ftlint_rules") - _declared_packages()
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"
