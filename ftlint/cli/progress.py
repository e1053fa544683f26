"""A one-line progress bar on stderr, for long runs on a terminal only.

The engine calls it a few times a second with the bytes and records read so
far (counted in the worker processes as they read, see
:mod:`ftlint.run.executors.local`), so it moves steadily rather than when a
file or a 16 MiB range of one is done. It shows the share done, MB done of
MB in all, MB/s, records/s and the time left at the rate so far.

Why not tqdm or rich: the part that makes a bar truthful is counting in the
worker processes, which neither does; what is left is formatting one line,
which is shorter here than the glue to either, and costs no dependency. The
bar is called at most five times a second, from a thread of its own, so it
costs the run nothing measurable.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

#: The fewest seconds between two redraws (the engine calls more often near the end).
REDRAW_EVERY = 0.1


class ProgressBar:
    """Shows bytes done of bytes total, rates and the time left. Draws nothing
    unless ``stream`` is a terminal, so CI logs and pre-commit output stay clean."""

    WIDTH = 24

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.clock = clock
        self.started = clock()
        self.drawn = False
        self._last_drawn = -REDRAW_EVERY
        self._lock = threading.Lock()  # called from the engine's progress thread

    def __call__(self, done: int, total: int, records: int = 0) -> None:
        if not self.enabled or total <= 0:
            return
        now = self.clock()
        with self._lock:
            if now - self._last_drawn < REDRAW_EVERY and done < total:
                return
            self._last_drawn = now
            self.stream.write("\r" + line(done, total, records, now - self.started, self.WIDTH))
            self.stream.flush()
            self.drawn = True

    def close(self) -> None:
        with self._lock:
            if self.drawn:
                self.stream.write("\r\033[K")
                self.stream.flush()


def line(done: int, total: int, records: int, elapsed: float, width: int) -> str:
    """``[#####-------]  41.7%  125/300 MB  12.5 MB/s  48,210 records/s  ETA 0:14``."""
    fraction = min(done / total, 1.0)
    filled = int(fraction * width)
    bar = "#" * filled + "-" * (width - filled)
    elapsed = max(elapsed, 1e-9)
    rate = done / elapsed
    left = f"ETA {clock((total - done) / rate)}" if 0 < done < total else clock(elapsed)
    return (
        f"[{bar}] {fraction:6.1%}  {done / 1e6:,.0f}/{total / 1e6:,.0f} MB  "
        f"{rate / 1e6:,.1f} MB/s  {records / elapsed:,.0f} records/s  {left}"
    )


def clock(seconds: float) -> str:
    """``"0:14"``, ``"1:02:03"``."""
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
