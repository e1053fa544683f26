"""Hypothesis profiles for the fuzz suite, chosen by ``FTLINT_FUZZ_PROFILE``.

``ci`` (the default) runs a fixed, small number of examples per test so that
the whole suite takes a minute or two on two cores, derandomised so that CI
sees the same inputs every run. ``long`` is the hour-long campaign of
``tests/fuzz/README.md``: random inputs, many examples per test.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.harness import RUNS

_COMMON = {
    "deadline": None,  # a run's time is bounded by the hang guard, not per example
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}

settings.register_profile("ci", max_examples=150, derandomize=True, **_COMMON)
settings.register_profile(
    "long", max_examples=int(os.environ.get("FTLINT_FUZZ_EXAMPLES", "5000")), **_COMMON
)
settings.load_profile(os.environ.get("FTLINT_FUZZ_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many generated inputs ftlint ran on (the long run reports it)."""
    if RUNS["count"]:
        terminalreporter.write_line(f"fuzz: ftlint ran on {RUNS['count']} generated inputs")
