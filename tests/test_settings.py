"""Settings: discovery, validation, overrides, per-rule options."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import Field

from ftlint import RuleOptions, Severity
from ftlint.settings.files import (
    find_settings_file,
    load_settings,
    resolve_settings,
    validate_rule_options,
)
from ftlint.settings.schema import SettingsError


def test_discovers_ftlint_toml_above_the_linted_path(tmp_path: Path) -> None:
    (tmp_path / "ftlint.toml").write_text('ignore = ["S004"]\n')
    data = tmp_path / "data" / "chat"
    data.mkdir(parents=True)
    settings = resolve_settings([data / "train.jsonl", data])
    assert settings.ignore == ["S004"]
    assert settings.root == tmp_path.resolve()


def test_pyproject_counts_only_with_a_tool_ftlint_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.ftlint]\nfail-on = "warning"\n')
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert find_settings_file(inner) == (tmp_path / "pyproject.toml").resolve()
    assert resolve_settings([inner]).fail_on is Severity.WARNING


def test_no_settings_file_gives_defaults(tmp_path: Path) -> None:
    settings = resolve_settings([tmp_path])
    assert settings.select is None
    assert settings.fail_on is Severity.ERROR


def test_unknown_key_names_the_key_and_the_file(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ftlint]\nselct = ['S']\n")
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    assert str(path) in str(error.value)
    assert "unknown key 'tool.ftlint.selct'" in str(error.value)


def test_wrong_type_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "ftlint.toml"
    path.write_text('fail-on = "catastrophic"\n[splits]\ntrain = 3\n')
    with pytest.raises(SettingsError) as error:
        load_settings(path)
    message = str(error.value)
    assert "'fail-on'" in message
    assert "'splits.train'" in message


def test_invalid_toml_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / "ftlint.toml"
    path.write_text("select = [\n")
    with pytest.raises(SettingsError, match="invalid TOML"):
        load_settings(path)


def test_a_single_string_selector_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "ftlint.toml"
    path.write_text('select = "S"\n')
    assert load_settings(path).select == ["S"]


def test_command_line_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "ftlint.toml"
    path.write_text('ignore = ["S004"]\nfail-on = "warning"\n')
    settings = load_settings(path).with_overrides(ignore=["S006"], fail_on=None)
    assert settings.ignore == ["S006"]
    assert settings.fail_on is Severity.WARNING


class _Options(RuleOptions):
    min_train: int = Field(default=100, ge=1)


def _rules() -> list[tuple[str, str, type[RuleOptions]]]:
    return [("S009", "too-few-records", _Options)]


def test_rule_options_by_code_or_name(tmp_path: Path) -> None:
    path = tmp_path / "ftlint.toml"
    path.write_text("[rules.too-few-records]\nmin-train = 5\n")
    options = validate_rule_options(load_settings(path), _rules())
    assert options["S009"] == _Options(min_train=5)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("[rules.S009]\nmin-tran = 5\n", "unknown key 'rules.S009.min-tran'"),
        ("[rules.S009]\nmin-train = 0\n", "'rules.S009.min-train'"),
        ("[rules.no-such-rule]\nx = 1\n", "unknown rule 'rules.no-such-rule'"),
    ],
)
def test_bad_rule_options_name_the_key(tmp_path: Path, table: str, expected: str) -> None:
    path = tmp_path / "ftlint.toml"
    path.write_text(table)
    with pytest.raises(SettingsError) as error:
        validate_rule_options(load_settings(path), _rules())
    assert expected in str(error.value)
    assert str(path) in str(error.value)
