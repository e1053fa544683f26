"""The language server: documents in, diagnostics, hovers and code actions out.

Linting runs in one worker thread, so that the server keeps answering
(hover, code actions) while a large sibling is read the first time. A lint
is scheduled on open at once, and on change after :data:`DEBOUNCE_SECONDS`
of quiet: each keystroke cancels the lint waiting before it. Saving any
file lints every open document again, since a saved sibling split or
settings file changes their findings. A lint whose document changed while
it ran is not published (a newer one is on its way).

The server works from the workspace's root folder (it changes to it on
``initialized``), so that paths, settings and cache entries are those of a
command-line run from the root: an edit of ``valid.jsonl`` finds its
sibling ``train.jsonl``'s states in the cache the command line left.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from ftlint._version import __version__
from ftlint.core.findings import Finding
from ftlint.server.convert import diagnostic, fix_edits, hover_markdown, location_range, noqa_edit
from ftlint.server.linting import BufferLinter

#: Quiet time after a change before the buffer is linted.
DEBOUNCE_SECONDS = 0.3


class FtlintServer(LanguageServer):
    """ftlint's language server. ``linter`` is created lazily (loading the
    plugins takes a moment) unless one is given."""

    def __init__(self, linter: BufferLinter | None = None) -> None:
        super().__init__("ftlint", __version__)
        self._linter = linter
        self._lint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ftlint-lint")
        self._pending: dict[str, asyncio.Task[None]] = {}
        #: The findings last published for each open document, for hover and code actions.
        self.findings: dict[str, list[Finding]] = {}

    @property
    def linter(self) -> BufferLinter:
        if self._linter is None:
            self._linter = BufferLinter()
        return self._linter

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Lint ``uri`` after ``delay`` seconds, replacing a lint still waiting."""
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self._pending[uri] = asyncio.ensure_future(self._lint(uri, delay))

    def forget(self, uri: str) -> None:
        """Stop linting a closed document and clear its diagnostics."""
        waiting = self._pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        self.findings.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    async def _lint(self, uri: str, delay: float) -> None:
        await asyncio.sleep(delay)
        document = self.workspace.get_text_document(uri)
        if document.path is None or not Path(document.path).name:
            return
        version, text = document.version, document.source
        loop = asyncio.get_running_loop()
        findings = await loop.run_in_executor(
            self._lint_thread, self.linter.lint, Path(document.path), text
        )
        if self.workspace.get_text_document(uri).version != version:
            return  # edited meanwhile: the lint of the newer text will publish
        self.findings[uri] = findings
        diagnostics = [diagnostic(f, document, self.linter.rule(f.code)) for f in findings]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def findings_at(self, uri: str, document: TextDocument, wanted: types.Range) -> list[Finding]:
        """The published findings of ``uri`` whose range meets ``wanted``."""

        def meets(finding: Finding) -> bool:
            found = location_range(finding.location, document)
            return _before_or_at(found.start, wanted.end) and _before_or_at(wanted.start, found.end)

        return [f for f in self.findings.get(uri, []) if meets(f)]


def _before_or_at(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def create_server(linter: BufferLinter | None = None) -> FtlintServer:
    """A server with every feature registered."""
    server = FtlintServer(linter)

    @server.feature(types.INITIALIZED)
    def initialized(ls: FtlintServer, params: types.InitializedParams) -> None:
        root = ls.workspace.root_path
        if root and Path(root).is_dir():
            os.chdir(root)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FtlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FtlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: FtlintServer, params: types.DidSaveTextDocumentParams) -> None:
        for uri in ls.workspace.text_documents:
            ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FtlintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: FtlintServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        document = ls.workspace.get_text_document(uri)
        here = types.Range(start=params.position, end=params.position)
        rules = {f.code: ls.linter.rule(f.code) for f in ls.findings_at(uri, document, here)}
        pages = [hover_markdown(rule) for rule in rules.values() if rule is not None]
        if not pages:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)
            )
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: FtlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = ls.workspace.get_text_document(uri)
        actions = []
        for finding in ls.findings_at(uri, document, params.range):
            related = [diagnostic(finding, document, ls.linter.rule(finding.code))]
            if finding.fix is not None and finding.fix.edits:
                actions.append(
                    types.CodeAction(
                        title=f"{finding.code}: {finding.fix.description}",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=related,
                        is_preferred=finding.fix.safe,
                        edit=types.WorkspaceEdit(
                            changes={uri: fix_edits(finding.fix.edits, document)}
                        ),
                    )
                )
            suppress = noqa_edit(finding, document)
            if suppress is not None:
                actions.append(
                    types.CodeAction(
                        title=f"{finding.code}: suppress on this line (# ftlint: noqa)",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=related,
                        edit=types.WorkspaceEdit(changes={uri: [suppress]}),
                    )
                )
        return actions

    return server


def serve() -> None:
    """Run the server over stdin and stdout until the client says exit."""
    create_server().start_io()
