"""Time from a one-record edit of ``valid.jsonl`` to the language server's
diagnostics, beside a large ``train.jsonl``.

Starts ``ftlint server`` in the dataset's folder with pygls's own language
client over stdio, opens ``valid.jsonl`` (the first lint reads every split
and fills the cache, unless an earlier run did), then edits one record of
the buffer at a time (a word of an answer replaced) and waits for the
diagnostics of each edit. Each time runs from sending the change to
receiving its diagnostics, so it includes the server's debounce
(``DEBOUNCE_SECONDS``, which an editor user waits too); the lint itself is
that much shorter. The default rules run, cross-split leakage against the
unchanged ``train.jsonl`` included. Usage::

    python benchmarks/generate.py benchmarks/data/50m --size 50MB
    python benchmarks/server.py benchmarks/data/50m --edits 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from ftlint.server.app import DEBOUNCE_SECONDS

#: Seconds to wait for one round of diagnostics before giving up.
TIMEOUT = 600


class TimingClient(LanguageClient):
    """A client that hands each ``publishDiagnostics`` to whoever waits for it."""

    def __init__(self) -> None:
        super().__init__("ftlint-benchmark", "1")
        self.published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    async def diagnostics(self, uri: str, version: int) -> list[types.Diagnostic]:
        while True:
            params = await asyncio.wait_for(self.published.get(), TIMEOUT)
            if params.uri == uri and params.version == version:
                return list(params.diagnostics)


def _edited(lines: list[str], number: int) -> str:
    """The text with record ``number``'s last message changed by one word."""
    record = json.loads(lines[number])
    record["messages"][-1]["content"] += f" edit{number}"
    changed = [*lines[:number], json.dumps(record) + "\n", *lines[number + 1 :]]
    return "".join(changed)


async def measure(folder: Path, edits: int) -> None:
    client = TimingClient()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[untyped-decorator]
    def published(params: types.PublishDiagnosticsParams) -> None:
        client.published.put_nowait(params)

    await client.start_io(sys.executable, "-m", "ftlint", "server", cwd=str(folder))
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=folder.resolve().as_uri()
        )
    )
    client.initialized(types.InitializedParams())

    valid = (folder / "valid.jsonl").resolve()
    uri, lines = valid.as_uri(), valid.read_text(encoding="utf-8").splitlines(keepends=True)
    started = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="jsonl", version=1, text="".join(lines)
            )
        )
    )
    first = await client.diagnostics(uri, 1)
    print(f"first lint (open): {time.perf_counter() - started:.2f} s, {len(first)} diagnostics")

    times = []
    for version in range(2, edits + 2):
        number = (version * 97) % len(lines)
        started = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(text=_edited(lines, number))
                ],
            )
        )
        await client.diagnostics(uri, version)
        times.append(time.perf_counter() - started)
    print(
        f"one-record edit to diagnostics, {edits} edits of {len(lines)} records beside "
        f"{(folder / 'train.jsonl').stat().st_size / 1e6:.0f} MB train.jsonl: "
        f"median {statistics.median(times):.3f} s, max {max(times):.3f} s "
        f"(debounce {DEBOUNCE_SECONDS} s included)"
    )
    print("each:", " ".join(f"{t:.3f}" for t in times))
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()  # type: ignore[no-untyped-call]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder with train.jsonl and valid.jsonl")
    parser.add_argument("--edits", type=int, default=10, help="edits to time")
    args = parser.parse_args()
    asyncio.run(measure(args.folder, args.edits))


if __name__ == "__main__":
    main()
