"""Rule selectors: one resolver for select, extend-select, ignore,
per-file-ignores and severity, and an unknown selector an error in each."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftlint import Severity
from ftlint.run.registry import Registry, load_plugins
from ftlint.run.selection import Selection, codes_of
from ftlint.settings.schema import Settings, SettingsError
from tests.conftest import FakeRules, RunCli, write_jsonl

pytestmark = pytest.mark.usefixtures("fake_rules")


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_plugins(extra=[FakeRules])


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("S005", {"S005"}),
        ("s005", {"S005"}),
        (" empty-content ", {"S005"}),
        ("ZZ", {"ZZ001", "ZZ002", "ZZ003"}),
        ("zz00", {"ZZ001", "ZZ002", "ZZ003"}),
        ("Q9", set()),
        ("empty", set()),  # a name is matched whole, never as a prefix
    ],
)
def test_codes_of_a_selector(registry: Registry, selector: str, expected: set[str]) -> None:
    assert codes_of(selector, registry) == expected


def test_all_names_every_rule(registry: Registry) -> None:
    assert codes_of("all", registry) == set(registry.rules)


def test_select_extend_select_and_ignore(registry: Registry) -> None:
    settings = Settings(select=["ZZ"], extend_select=["S005"], ignore=["quiet-record"])
    assert Selection.resolve(registry, settings).enabled == {"ZZ001", "ZZ003", "S005"}


def test_without_select_the_default_rules_run(registry: Registry) -> None:
    enabled = Selection.resolve(registry, Settings()).enabled
    assert enabled == {code for code, rule in registry.rules.items() if rule.default_enabled}
    assert enabled != set(registry.rules)  # some rules are opt-in


def test_severity_by_prefix_then_code_the_later_wins(registry: Registry) -> None:
    settings = Settings(severity={"ZZ": Severity.INFO, "loud-record": Severity.WARNING})
    assert Selection.resolve(registry, settings).severities == {
        "ZZ001": Severity.WARNING,
        "ZZ002": Severity.INFO,
        "ZZ003": Severity.INFO,
    }


def test_per_file_ignores_keep_their_globs_in_order(registry: Registry) -> None:
    settings = Settings(per_file_ignores={"legacy/*": ["ZZ00"], "*.yaml": ["every-config-key"]})
    assert Selection.resolve(registry, settings).per_file_ignores == (
        ("legacy/*", {"ZZ001", "ZZ002", "ZZ003"}),
        ("*.yaml", {"ZZ003"}),
    )


def test_every_unknown_selector_is_listed(registry: Registry) -> None:
    settings = Settings(select=["ZZ", "Q1"], severity={"Q2": Severity.INFO})
    with pytest.raises(SettingsError) as error:
        Selection.resolve(registry, settings)
    assert str(error.value).splitlines() == [
        "settings: 'select': unknown rule or prefix 'Q1'",
        "settings: 'severity.Q2': unknown rule or prefix 'Q2'",
    ]


# --- On the command line: exit 2, naming the file and key, or the flag ------------------


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    write_jsonl(tmp_path / "data.jsonl", [{"text": "loud"}])
    return tmp_path


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ('select = ["ZZ", "ZZ9"]', "select"),
        ('extend-select = ["ZZ9"]', "extend-select"),
        ('ignore = ["ZZ9"]', "ignore"),
        ('[per-file-ignores]\n"legacy/*" = ["ZZ001", "ZZ9"]', "per-file-ignores.legacy/*"),
        ('[severity]\nZZ9 = "error"', "severity.ZZ9"),
    ],
)
@pytest.mark.parametrize("file_name", ["ftlint.toml", "pyproject.toml"])
def test_unknown_selector_in_settings_exits_2_naming_file_and_key(
    run_cli: RunCli, dataset: Path, table: str, key: str, file_name: str
) -> None:
    prefix = "tool.ftlint." if file_name == "pyproject.toml" else ""
    header = "[tool.ftlint]\n" if file_name == "pyproject.toml" else ""
    if "\n" in table and prefix:  # a table of its own under [tool.ftlint]
        table = table.replace("[", "[tool.ftlint.", 1)
    (dataset / file_name).write_text(header + table + "\n")
    status, out, err = run_cli("check", ".", cwd=dataset)
    assert (status, out) == (2, "")
    settings_file = dataset.resolve() / file_name
    assert err == (
        f"ftlint: error: {settings_file}: '{prefix}{key}': unknown rule or prefix 'ZZ9'\n"
    )


@pytest.mark.parametrize("flag", ["--select", "--extend-select", "--ignore"])
def test_unknown_selector_on_the_command_line_names_the_flag(
    run_cli: RunCli, dataset: Path, flag: str
) -> None:
    status, out, err = run_cli("check", ".", flag, "ZZ001,zz9", cwd=dataset)
    assert (status, out) == (2, "")
    assert err == f"ftlint: error: {flag}: unknown rule or prefix 'zz9'\n"


def test_a_flag_replaces_the_files_selector_and_is_the_one_checked(
    run_cli: RunCli, dataset: Path
) -> None:
    (dataset / "ftlint.toml").write_text('select = ["ZZ9"]\nignore = ["ZZ8"]\n')
    status, _, err = run_cli("check", ".", "--select", "ZZ001", "--ignore", "ZZ7", cwd=dataset)
    assert status == 2
    assert err == "ftlint: error: --ignore: unknown rule or prefix 'ZZ7'\n"


def test_known_selectors_everywhere_run(run_cli: RunCli, dataset: Path) -> None:
    (dataset / "ftlint.toml").write_text(
        'select = ["zz"]\nextend-select = ["S005"]\nignore = ["quiet-record"]\n'
        '[severity]\nZZ00 = "info"\n[per-file-ignores]\n"*.yaml" = ["ALL"]\n'
    )
    status, out, _ = run_cli("check", ".", "--output-format", "concise", cwd=dataset)
    assert status == 0  # the loud record is only info now
    assert "data.jsonl:1:10: ZZ001 record is loud" in out
