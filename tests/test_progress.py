"""The progress bar draws on a terminal only."""

from __future__ import annotations

import io

from ftlint.cli.progress import ProgressBar


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_and_clears_on_a_terminal() -> None:
    stream = _Terminal()
    bar = ProgressBar(stream)
    bar(50_000_000, 100_000_000)
    bar.close()
    output = stream.getvalue()
    assert " 50.0% 50/100 MB" in output
    assert output.endswith("\r\x1b[K")


def test_silent_when_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(1, 2)
    bar.close()
    assert stream.getvalue() == ""


def test_silent_when_disabled() -> None:
    stream = _Terminal()
    bar = ProgressBar(stream, enabled=False)
    bar(1, 2)
    bar.close()
    assert stream.getvalue() == ""
