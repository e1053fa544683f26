"""Open an HTML file in headless Chromium and take a screenshot.

The browser test uses it, and it regenerates the README's screenshot::

    ftlint check examples --output-format html -o /tmp/report.html
    python -m tests.browser /tmp/report.html docs/report-examples.png 1100 1400

Console messages are read from Chromium's log (``--enable-logging=stderr``
prints each as ``INFO:CONSOLE...] "message", source: ...``): the report has
no script, so any message (an uncaught error, a resource that failed to
load) is a fault.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

#: The names Chromium's executable goes by (Debian's package: ``chromium``).
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_CONSOLE = re.compile(r":CONSOLE[^\]]*\] (.*)")


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def screenshot(html: Path, png: Path, width: int = 1200, height: int = 1500) -> list[str]:
    """Render ``html`` into ``png``; returns the console messages the page logged."""
    browser = find_browser()
    if browser is None:
        raise RuntimeError(f"no browser found (looked for {', '.join(BROWSERS)})")
    with tempfile.TemporaryDirectory() as profile:
        completed = subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",  # CI runs as root, where the sandbox cannot start
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                f"--window-size={width},{height}",
                f"--screenshot={png.resolve()}",
                html.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if not png.exists():
        raise RuntimeError(f"{browser} wrote no screenshot:\n{completed.stderr[-2000:]}")
    return [match.group(1) for match in _CONSOLE.finditer(completed.stderr)]


if __name__ == "__main__":
    size = [int(n) for n in sys.argv[3:5]]
    messages = screenshot(Path(sys.argv[1]), Path(sys.argv[2]), *size)
    for message in messages:
        print(f"console: {message}", file=sys.stderr)
    sys.exit(1 if messages else 0)
