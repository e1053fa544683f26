"""A one-line progress bar on stderr, for long runs on a terminal only."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Shows bytes done of bytes total. Draws nothing unless ``stream`` is a
    terminal, so CI logs and pre-commit output stay clean."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.started = time.perf_counter()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        fraction = min(done / total, 1.0)
        filled = int(fraction * self.WIDTH)
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        rate = done / elapsed / 1e6
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {fraction:6.1%} {done / 1e6:,.0f}/{total / 1e6:,.0f} MB {rate:,.1f} MB/s"
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
