"""Config files: ruamel documents with positions, readable errors, no code run."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftlint.configs.document import RepeatedKey
from ftlint.readers import ReadError, looks_like_config_file, read_config
from tests.readers.support import MakeFile

AXOLOTL = """\
base_model: meta-llama/Llama-3.1-8B
learning_rate: 2e-5  # ftlint: noqa: H001
datasets:
  - path: train.jsonl
    type: alpaca
lora_r: 16  # ftlint: noqa
"""


def test_a_yaml_config_keeps_key_positions_and_noqa_comments(make_file: MakeFile) -> None:
    path = make_file("axolotl.yaml", AXOLOTL)

    document = read_config(path, "configs/axolotl.yaml")

    assert (document.path, document.display, document.text) == (
        path,
        "configs/axolotl.yaml",
        AXOLOTL,
    )
    assert document.get("/learning_rate") == 2e-5
    assert document.get("/datasets/0/type") == "alpaca"
    assert document.position("/datasets/0/type") == (5, 5)
    assert document.noqa == {2: frozenset({"H001"}), 6: frozenset()}


def test_a_json_config_is_read_with_positions(make_file: MakeFile) -> None:
    path = make_file("config.json", '{\n\t"lr": 0.001,\n\t"model": {"name":"x"}\n}\n')

    document = read_config(path, "config.json")

    assert document.get("/model/name") == "x"
    assert document.position("/model") == (3, 2)


def test_a_bom_does_not_shift_columns(make_file: MakeFile) -> None:
    document = read_config(make_file("a.yaml", "\ufeffa: 1\nb: 2\n"), "a.yaml")

    assert document.position("/a") == (1, 1)
    assert document.get("/b") == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a: 1\nb: [1, 2\nc: 3\n", r"^a\.yaml:3:2: could not parse YAML: expected ',' or ']'"),
        ("a: 1\n\tb: 2\n", r"^a\.yaml:2:1: could not parse YAML: found character '\\t'"),
        ("a: 1\nb: x\x07y\n", r"^a\.yaml:2:5: could not parse YAML: character U\+0007 is not"),
        ("a: 1\n---\nb: 2\n", r"^a\.yaml:2:1: could not parse YAML: but found another document"),
        ("a: *nowhere\n", r"^a\.yaml:1:4: could not parse YAML: found undefined alias"),
    ],
)
def test_a_syntax_error_names_file_line_and_column(
    make_file: MakeFile, content: str, message: str
) -> None:
    with pytest.raises(ReadError, match=message):
        read_config(make_file("a.yaml", content), "a.yaml")


def test_a_json_syntax_error_says_json(make_file: MakeFile) -> None:
    with pytest.raises(
        ReadError, match=r"^c\.json:2:12: could not parse JSON: expected .,. or .}."
    ):
        read_config(make_file("c.json", '{"a": 1,\n "b": 2 "c": 3}'), "c.json")


def test_a_repeated_key_keeps_the_last_value_at_its_position(make_file: MakeFile) -> None:
    content = "learning_rate: 1e-4\nepochs: 3\nlora:\n  r: 8\n  r: 8\nlearning_rate: 2e-5\n"

    document = read_config(make_file("a.yaml", content), "a.yaml")

    assert document.data["learning_rate"] == 2e-5
    assert list(document.data) == ["learning_rate", "epochs", "lora"]
    assert document.position("/learning_rate") == (6, 1)
    assert document.repeated_keys == (
        RepeatedKey("/lora/r", line=5, column=3, first_line=4, same_value=True),
        RepeatedKey("/learning_rate", line=6, column=1, first_line=1, same_value=False),
    )


def test_a_file_without_repetitions_lists_none(make_file: MakeFile) -> None:
    document = read_config(make_file("a.yaml", "a: 1\nb: {a: 1}\n"), "a.yaml")

    assert document.repeated_keys == ()


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
    ],
)
def test_python_tags_stay_data_and_never_run_code(
    make_file: MakeFile, tmp_path: Path, tag: str
) -> None:
    marker = tmp_path / "executed"
    path = make_file("evil.yaml", f'run: {tag} ["touch {marker}"]\n')

    document = read_config(path, "evil.yaml")

    assert not marker.exists()
    assert document.get("/run") == [f"touch {marker}"]
    assert document.get("/run").tag.value == "tag:yaml.org,2002:" + tag.removeprefix("!!")


def test_a_tagged_document_is_data_too(make_file: MakeFile, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    path = make_file("evil.yaml", f'!!python/object/apply:os.system ["touch {marker}"]\n')

    assert read_config(path, "evil.yaml").data == [f"touch {marker}"]
    assert not marker.exists()


def test_invalid_utf8_is_a_read_error_with_its_position(make_file: MakeFile) -> None:
    with pytest.raises(ReadError, match=r"^a\.yaml:2:5: invalid UTF-8: byte 0xff at byte offset 9"):
        read_config(make_file("a.yaml", b"a: 1\nb: x\xff\n"), "a.yaml")


def test_a_missing_config_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"^gone\.yaml: cannot read"):
        read_config(tmp_path / "gone.yaml", "gone.yaml")


def test_an_empty_config_has_no_data(make_file: MakeFile) -> None:
    assert read_config(make_file("a.yml", "# nothing yet\n"), "a.yml").data is None


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("train.yaml", "a: 1", True),
        ("TRAIN.YML", "", True),
        ("config.json", '{\n  "lr": 1\n}', True),
        ("config.json", '{"lr": 1}', True),
        ("data.json", '{"a": 1}\n{"a": 2}\n', False),
        ("data.json", '[{"a": 1}]', False),
        ("data.jsonl", '{"a": 1}', False),
        ("notes.txt", "a: 1", False),
    ],
)
def test_looks_like_config_file(
    make_file: MakeFile, name: str, content: str, expected: bool
) -> None:
    assert looks_like_config_file(make_file(name, content)) is expected
