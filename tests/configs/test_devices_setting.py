"""The ``devices`` setting that multiplies a config's batch size."""

from __future__ import annotations

import pytest

from ftlint.settings.files import parse_settings
from ftlint.settings.schema import SettingsError


def test_devices_default_to_one() -> None:
    assert parse_settings({}).devices == 1


def test_devices_must_be_a_positive_integer() -> None:
    assert parse_settings({"devices": 8}).devices == 8
    with pytest.raises(SettingsError, match="'devices'"):
        parse_settings({"devices": 0})
