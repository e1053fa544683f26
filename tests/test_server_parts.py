"""The language server's parts without the protocol round trip: buffers
linted with the workspace's settings, and findings turned into edits and
ranges in the client's units."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pygls")  # the lsp extra

from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from ftlint.core.findings import Finding, Location, Severity
from ftlint.server.convert import location_range, noqa_edit
from ftlint.server.linting import ERROR_CODE, BufferLinter
from ftlint.testing import working_directory

EMPTY_ANSWER = {
    "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": ""}]
}


@pytest.fixture(scope="module")
def linter() -> BufferLinter:
    return BufferLinter()


def _finding(code: str, path: str, line: int, column: int = 1) -> Finding:
    return Finding(code, "rule", Severity.WARNING, "message", Location(path, line, column))


def test_settings_are_read_again_when_they_change(linter: BufferLinter, tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    text = json.dumps(EMPTY_ANSWER) + "\n"
    with working_directory(tmp_path):
        assert "S005" in {f.code for f in linter.lint(path, text)}
        (tmp_path / "ftlint.toml").write_text('ignore = ["S005"]\n')
        assert "S005" not in {f.code for f in linter.lint(path, text)}


def test_broken_settings_and_configs_are_findings_where_they_are(
    linter: BufferLinter, tmp_path: Path
) -> None:
    config = tmp_path / "train.yaml"
    with working_directory(tmp_path):
        (broken,) = linter.lint(config, "base_model: x\nlearning_rate: [1\n")
        assert broken.code == ERROR_CODE
        assert broken.location.line == 3
        assert "could not parse YAML" in broken.message

        (tmp_path / "ftlint.toml").write_text("colour = true\n")
        (wrong,) = linter.lint(config, "base_model: x\n")
        assert wrong.code == ERROR_CODE
        assert wrong.location.is_file_level
        assert "colour" in wrong.message


def _document(path: str, text: str) -> TextDocument:
    return TextDocument(Path(path).as_uri(), text, position_codec=PositionCodec())


def test_columns_are_converted_to_utf16_and_open_ends_cover_the_line() -> None:
    document = _document("/w/data.jsonl", '{"text": "😀 loud"}\n{"text": "x"}\n')
    found = location_range(Location("/w/data.jsonl", 1, 13), document)
    # code point 13 (0-based 12) follows an astral emoji: UTF-16 column 13
    assert found.start == types.Position(line=0, character=13)
    assert found.end == types.Position(line=1, character=0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("load_in_8bit: yes\n", "load_in_8bit: yes  # ftlint: noqa: K004\n"),
        (
            "load_in_8bit: yes  # ftlint: noqa: K003\n",
            "load_in_8bit: yes  # ftlint: noqa: K003, K004\n",
        ),
    ],
)
def test_noqa_edit_adds_a_comment_or_a_code(line: str, expected: str) -> None:
    document = _document("/w/train.yaml", "base_model: x\n" + line)
    edit = noqa_edit(_finding("K004", "/w/train.yaml", 2), document)
    assert edit is not None
    column = edit.range.start.character
    assert edit.range.start == edit.range.end
    assert line[:column] + edit.new_text + line[column:] == expected


@pytest.mark.parametrize(
    ("path", "text", "line"),
    [
        ("/w/train.yaml", "base_model: x\nload_in_8bit: yes  # ftlint: noqa\n", 2),
        ("/w/train.json", '{\n"load_in_8bit": "yes"\n}\n', 2),
        ("/w/train.yaml", "base_model: x\n", 0),
    ],
)
def test_no_noqa_edit_where_no_comment_can_go_or_all_is_suppressed(
    path: str, text: str, line: int
) -> None:
    assert noqa_edit(_finding("K004", path, line), _document(path, text)) is None
