"""``ftlint server`` driven by a real language client over stdio (pytest-lsp):
diagnostics as a buffer is opened and edited, hover, code actions."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")  # the lsp extra

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

CONFIG = """\
base_model: meta-llama/Llama-3.1-8B-Instruct
datasets:
  - path: data/train.jsonl
    type: chat_template
learning_rate: 2e-4
load_in_8bit: yes
"""


def _chat(question: str, answer: str) -> dict[str, Any]:
    turns = [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return {"messages": turns}


def _jsonl(records: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


#: Seconds to wait for diagnostics: the first lint loads the tokenizer.
TIMEOUT = 120

TRAIN = [_chat(f"Question {i}?", f"Answer {i}.") for i in range(20)]
#: Line 2 has an empty answer (S005); line 3 leaks train record 6 (L001).
VALID = [_chat("Why?", "Because."), _chat("How?", ""), TRAIN[5]]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/train.jsonl").write_text(_jsonl(TRAIN))
    (tmp_path / "data/valid.jsonl").write_text(_jsonl(VALID))
    (tmp_path / "train.yaml").write_text(CONFIG)
    return tmp_path


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "ftlint", "server"])
)
async def client(lsp_client: LanguageClient, workspace: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=workspace.as_uri(),
        )
    )
    yield
    await lsp_client.shutdown_session()


def _expect(client: LanguageClient, uri: str) -> Awaitable[Sequence[types.Diagnostic]]:
    """The next diagnostics published for ``uri``; call it before the
    notification that causes them, so that they cannot be missed."""
    method = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
    first = client.protocol.wait_for_notification_async(method)  # listening from now

    async def wait() -> Sequence[types.Diagnostic]:
        params = await asyncio.wait_for(first, TIMEOUT)
        while params.uri != uri:
            params = await asyncio.wait_for(
                client.protocol.wait_for_notification_async(method), TIMEOUT
            )
        return params.diagnostics  # type: ignore[no-any-return]

    return wait()


async def _open(
    client: LanguageClient, path: Path, language: str
) -> tuple[str, dict[str, types.Diagnostic]]:
    """Open ``path`` with its text on disk: its URI and its diagnostics by code."""
    uri = path.as_uri()
    waiting = _expect(client, uri)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=path.read_text()
            )
        )
    )
    return uri, _by_code(await waiting)


async def _change(
    client: LanguageClient, uri: str, version: int, text: str
) -> dict[str, types.Diagnostic]:
    """Replace the buffer's text: its new diagnostics by code."""
    waiting = _expect(client, uri)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    return _by_code(await waiting)


def _by_code(diagnostics: Sequence[types.Diagnostic]) -> dict[str, types.Diagnostic]:
    return {str(d.code): d for d in diagnostics}


def _apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    """``edits`` applied to ``text`` (ASCII here, so units are characters)."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(position: types.Position) -> int:
        return offsets[position.line] + position.character

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest.mark.asyncio
async def test_diagnostics_follow_the_buffer(client: LanguageClient, workspace: Path) -> None:
    valid = workspace / "data/valid.jsonl"
    uri, found = await _open(client, valid, "jsonl")

    empty = found["S005"]
    assert empty.range.start.line == 1
    assert empty.severity == types.DiagnosticSeverity.Error
    assert empty.source == "ftlint"
    assert empty.code_description is not None
    assert empty.code_description.href.endswith("/docs/rules/S005.md")
    leak = found["L001"]
    assert leak.range.start.line == 2
    assert leak.related_information
    assert leak.related_information[0].location.uri == (workspace / "data/train.jsonl").as_uri()
    assert leak.related_information[0].location.range.start.line == 5

    after = await _change(client, uri, 2, _jsonl([VALID[0], _chat("How?", "Fine."), VALID[2]]))
    assert "S005" not in after
    assert "L001" in after, "the siblings are still read from disk"
    assert valid.read_text() == _jsonl(VALID), "the file itself is untouched"


@pytest.mark.asyncio
async def test_saving_settings_lints_open_documents_again(
    client: LanguageClient, workspace: Path
) -> None:
    uri, found = await _open(client, workspace / "data/valid.jsonl", "jsonl")
    assert "S005" in found

    settings = workspace / "ftlint.toml"
    settings.write_text('ignore = ["S005"]\n')
    waiting = _expect(client, uri)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=settings.as_uri())
        )
    )
    after = _by_code(await waiting)
    assert "S005" not in after
    assert "L001" in after


@pytest.mark.asyncio
async def test_config_hover_and_code_action(client: LanguageClient, workspace: Path) -> None:
    uri, found = await _open(client, workspace / "train.yaml", "yaml")
    assert {"H001", "K004"} <= found.keys()
    assert found["H001"].range.start.line == 4
    assert found["K004"].range.start.line == 5

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=found["H001"].range.start,
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**H001**")
    assert "## What it does" in hover.contents.value

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=found["K004"].range,
            context=types.CodeActionContext(diagnostics=[found["K004"]]),
        )
    )
    assert actions is not None
    titles = [a.title for a in actions if isinstance(a, types.CodeAction)]
    assert any("noqa" in title for title in titles)
    (fix,) = [a for a in actions if isinstance(a, types.CodeAction) and a.is_preferred and a.edit]
    assert fix.edit is not None
    assert fix.edit.changes is not None
    edited = _apply(CONFIG, fix.edit.changes[uri])
    assert "load_in_8bit: true" in edited

    after = await _change(client, uri, 2, edited)
    assert "K004" not in after
    assert "H001" in after
