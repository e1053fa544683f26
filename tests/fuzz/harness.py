"""Running ftlint on generated inputs and checking what must always hold.

Whatever the input, a run of ``ftlint`` exits 0, 1 or 2, never with an
"internal error" or a traceback, leaves every input file as it was (bytes
and mode), ends within :data:`HANG_SECONDS` (a hang guard: generated inputs
are small, and a healthy run takes well under a second) and keeps the
process under :data:`MAX_RSS_BYTES`.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import signal
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ftlint.cli.main import main
from ftlint.testing import working_directory

#: A run that takes this long on a generated input is hung, not slow.
HANG_SECONDS = 60
#: The most the test process may hold (the largest resident size it reached).
MAX_RSS_BYTES = 2 << 30
#: How many inputs the fuzz tests ran in this process (reported by the long run).
RUNS = {"count": 0}


@dataclass(frozen=True)
class Outcome:
    status: int
    out: str
    err: str


class HangError(Exception):
    """A run exceeded :data:`HANG_SECONDS`."""


def _hang(signum: int, frame: FrameType | None) -> None:
    raise HangError(f"ftlint ran for more than {HANG_SECONDS} s")


@contextlib.contextmanager
def fixture_folder(
    files: Mapping[str, bytes], special: Mapping[str, str] | None = None
) -> Iterator[Path]:
    """A fresh folder holding ``files`` (name -> bytes) and ``special`` files
    (name -> kind, see :data:`SPECIAL_KINDS`), removed afterwards."""
    special = special or {}
    with tempfile.TemporaryDirectory(prefix="ftlint-fuzz-") as name:
        root = Path(name)
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for relative, kind in special.items():
            _make_special(root / relative, kind)
        yield root


#: Files that are not regular files, as users' folders hold them.
SPECIAL_KINDS = ("fifo", "dangling", "loop", "device", "directory link")


def _make_special(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dangling":
        path.symlink_to(path.with_name("nowhere"))
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        path.symlink_to(path.parent, target_is_directory=True)


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``root`` but ftlint's cache, with its bytes and mode."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and ".ftlint_cache" not in path.parts:
            files[path.relative_to(root).as_posix()] = (path.read_bytes(), path.stat().st_mode)
    return files


def run_ftlint(root: Path, *args: str, fixing: bool = False) -> Outcome:
    """Run ``ftlint ARGS`` in ``root`` in this process and check the invariants
    (but for changed inputs when ``fixing``: ``--fix`` rewrites configs)."""
    before = snapshot(root)
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _hang)
    signal.alarm(HANG_SECONDS)
    try:
        with (
            working_directory(root),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            status = main(list(args))
    except SystemExit as exit_:  # argparse's usage errors
        status = exit_.code if isinstance(exit_.code, int) else 2
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    RUNS["count"] += 1
    outcome = Outcome(status, out.getvalue(), err.getvalue())
    assert status in (0, 1, 2), outcome
    assert "internal error" not in outcome.err, outcome.err
    assert "Traceback" not in outcome.err, outcome.err
    after = snapshot(root)  # reports and baselines the command line asked for may be new
    if not fixing:
        assert {name: after.get(name) for name in before} == before, "ftlint changed an input"
    # ru_maxrss is in kilobytes on Linux.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 < MAX_RSS_BYTES
    return outcome


def without_debug() -> None:
    """The fuzz tests look at what users see: no FTLINT_DEBUG tracebacks."""
    os.environ.pop("FTLINT_DEBUG", None)
