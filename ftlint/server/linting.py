"""Linting an editor's buffer as if it were the file on disk.

A :class:`BufferLinter` lives as long as the language server. For each
buffer it finds the settings as the command line would for that file
(re-reading the settings file every time, so an edit of ``ftlint.toml`` or
``pyproject.toml`` applies to the next lint), and keeps one engine per
distinct settings: building one loads the tokenizer, which takes longer than
linting a small file. The engine reads the buffer in place of the file and
everything else from disk; an unchanged sibling such as a 1 GB
``train.jsonl`` comes from the cache (:mod:`ftlint.run.cache`) after the
first lint, so that cross-split rules cost little on every keystroke.

Files are linted in the server's own process (``jobs = 1``, with the local
executor whatever ``engine`` the settings choose for checks): the lint runs
in a worker thread, and worker processes forked from a thread of a process
with other threads can deadlock on a lock another thread held at the fork
(they did, reading a 50 MB sibling). Only the first lint of a large sibling
is slower for it; later lints take its states from the cache.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from ftlint.api.rules import Rule
from ftlint.core.findings import Finding, Location, Severity
from ftlint.run.collect import collect
from ftlint.run.engine import Engine
from ftlint.run.registry import Registry, load_plugins
from ftlint.run.selection import Selection
from ftlint.settings.files import resolve_settings
from ftlint.settings.schema import EngineSettings, Settings, SettingsError

#: ``path:line:column: message``, the form of a read error that names a position.
_POSITIONED_ERROR = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")


#: The code of the findings that stand for errors (a config that does not
#: parse, settings that are wrong), so that they show in the editor too.
ERROR_CODE = "ftlint"


class BufferLinter:
    """Lints buffers with the plugins loaded once; safe to call from one thread
    at a time (a lock serialises calls, as engines keep per-run state)."""

    def __init__(self, registry: Registry | None = None) -> None:
        self.registry = registry if registry is not None else load_plugins()
        #: The settings file (or folder, without one) -> its settings as last read,
        #: the rules they select and the engine built for them.
        self._engines: dict[str, tuple[str, Selection, Engine]] = {}
        self._lock = threading.Lock()

    def rule(self, code: str) -> type[Rule] | None:
        """The rule with ``code``, for hover."""
        return self.registry.rule(code)

    def lint(self, path: Path, text: str) -> list[Finding]:
        """Lint ``text`` as the content of ``path``: the findings about ``path``,
        and errors as findings of the code :data:`ERROR_CODE`."""
        with self._lock:
            try:
                # In this process, whatever executor the settings choose for checks.
                settings = resolve_settings([path]).with_overrides(jobs=1, engine=EngineSettings())
                selection, engine = self._engine(settings)
            except SettingsError as error:
                return [_error_finding(str(error), path, positioned=False)]
            result = engine.run([path], buffers={path.resolve(): text.encode("utf-8")})
            collected = collect(result, settings, selection)
        target = path.resolve()
        findings = [f for f in collected.findings if Path(f.path).resolve() == target]
        findings += [_error_finding(message, path) for message in result.errors]
        return findings

    def _engine(self, settings: Settings) -> tuple[Selection, Engine]:
        """The rules ``settings`` select and their engine, built again only
        when the settings changed."""
        place = str(settings.source or settings.root)
        signature = settings.model_dump_json()
        known = self._engines.get(place)
        if known is None or known[0] != signature:
            selection = Selection.resolve(self.registry, settings)
            engine = Engine(self.registry, settings, selection.enabled)
            known = self._engines[place] = (signature, selection, engine)
        return known[1], known[2]


def _error_finding(message: str, path: Path, *, positioned: bool = True) -> Finding:
    """A finding for an error message, at the ``path:line:column`` it starts
    with when ``positioned``, else about the whole file."""
    match = _POSITIONED_ERROR.match(message) if positioned else None
    location = Location(str(path))
    if match:
        location = Location(str(path), int(match["line"]), int(match["column"]))
        message = match["message"]
    return Finding(ERROR_CODE, "error", Severity.ERROR, message, location)
