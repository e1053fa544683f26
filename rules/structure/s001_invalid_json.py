"""S001 invalid-json."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ftlint.api import Finding, Location, RecordContext, RecordRule, Severity


class InvalidJson(RecordRule):
    """## What it does
    Checks that every line of a JSON Lines file, and every JSON file as a
    whole, parses as JSON. The finding points at the line and column where
    the parser gave up; reading goes on with the next line.

    ## Why is this bad?
    Trainers either stop at the first line that does not parse, after
    minutes of loading, or skip it without a word, so the data trained on is
    not the data in the file. A truncated line is also a sign that the file
    was cut off while it was written.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}
    ```

    Use instead:
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}
    ```
    """

    code = "S001"
    name = "invalid-json"
    summary = "A line (JSON Lines) or the file (JSON) does not parse."
    severity = Severity.ERROR
    accepts_unparsed = True

    def check(self, record: RecordContext) -> Iterable[Finding]:
        source = record.record
        if source.ok:
            return ()
        location = Location(
            source.path,
            source.error_line or source.line,
            source.error_column or source.column,
        )
        message = _message(source.path, source.error or "")
        return [self.finding(message, location, content_key=record.raw_hash)]


def _message(path: str, error: str) -> str:
    """The reader's error, said in terms of the file's format."""
    if error.startswith("invalid UTF-8"):
        return f"not UTF-8 text: {error.removeprefix('invalid UTF-8: ')}"
    data_format = "CSV" if _CSV.search(path) else "JSON"
    return f"invalid {data_format}: {error}"


_CSV = re.compile(r"\.[ct]sv(\.(gz|zst))?$", re.IGNORECASE)
