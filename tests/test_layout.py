"""The layout holds: ftlint/ is grouped by concern, and rules and plugins
reach ftlint only through its public API.

The layering between ftlint's own packages and the absence of import loops
are checked by ``lint-imports`` (contracts in pyproject.toml); these tests
hold what its contracts cannot say.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = "ftlint.api"


def _ftlint_imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module of ftlint that ``path`` imports, with its line."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "ftlint":
                names = [f"ftlint.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name == "ftlint" or name.startswith("ftlint."):
                yield node.lineno, name


def _plugin_sources() -> list[Path]:
    folders = [ROOT / "rules", *(ROOT / "plugins").glob("*/src")]
    return sorted(p for folder in folders for p in folder.rglob("*.py"))


@pytest.mark.parametrize("path", _plugin_sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_rules_and_plugins_import_only_the_public_api(path: Path) -> None:
    private = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for line, name in _ftlint_imports(path)
        if name != PUBLIC and not name.startswith(PUBLIC + ".")
    ]
    assert not private, "import these through ftlint.api instead:\n" + "\n".join(private)


def test_the_import_check_sees_a_private_import(tmp_path: Path) -> None:
    module = tmp_path / "rule.py"
    module.write_text(
        "from ftlint.api import Rule\nfrom ftlint.text.minhash import shingles\n"
        "from ftlint import Finding\n"
    )
    assert [name for _, name in _ftlint_imports(module)] == [
        "ftlint.api",
        "ftlint.text.minhash",
        "ftlint.Finding",
    ]


def test_ftlint_has_no_module_of_its_own_beyond_the_entry_points() -> None:
    loose = sorted(p.name for p in (ROOT / "ftlint").glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "_version.py"]


def test_the_public_api_exports_what_it_lists() -> None:
    import ftlint
    import ftlint.api
    import ftlint.api.configs
    import ftlint.api.text

    for module in (ftlint, ftlint.api, ftlint.api.configs, ftlint.api.text):
        missing = [name for name in module.__all__ if not hasattr(module, name)]
        assert not missing, f"{module.__name__} lists {missing} but does not define them"
    assert set(ftlint.__all__) - {"__version__"} <= set(ftlint.api.__all__)


def test_the_version_is_the_distributions() -> None:
    import tomllib

    from ftlint._version import __version__

    with (ROOT / "pyproject.toml").open("rb") as handle:
        assert tomllib.load(handle)["project"]["version"] == __version__
