"""The base class of a record shape: how a plugin teaches ftlint a record format."""

from __future__ import annotations

import abc
from typing import Any, ClassVar

from ftlint.core.records import RecordView


class Shape(abc.ABC):
    """A record format: chat ``messages``, ShareGPT, Alpaca, ..."""

    #: Short name used in messages and statistics: ``chat``, ``alpaca``.
    name: ClassVar[str]
    #: Lower is asked first.
    priority: ClassVar[int] = 100

    @abc.abstractmethod
    def match(self, value: Any) -> RecordView | None:
        """The record's normalised view, or None if this is not the shape."""
