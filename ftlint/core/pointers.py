"""JSON Pointers (RFC 6901): how findings point into a record or a config.

A pointer is a string of reference tokens, each behind a ``/``, in which ``~``
is written ``~0`` and ``/`` is written ``~1``: ``/messages/1/content``,
``/a~1b`` for the key ``a/b``. The empty pointer is the whole document.
This is the one place that escapes and parses them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable


def escape_token(token: object) -> str:
    """One reference token as a pointer writes it: ``~`` as ``~0``, then ``/``
    as ``~1`` (in that order, so that ``~1`` in a key survives)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    """A reference token as the document spells it: ``~1`` as ``/``, then
    ``~0`` as ``~``."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(*tokens: object) -> str:
    """A pointer from reference tokens: ``pointer("messages", 1, "content")``
    is ``/messages/1/content``."""
    return "".join("/" + escape_token(t) for t in tokens)


def join_tokens(tokens: Iterable[object]) -> str:
    """:func:`pointer` of a sequence of tokens."""
    return pointer(*tokens)


@functools.lru_cache(maxsize=4096)
def pointer_tokens(pointer: str) -> tuple[str, ...]:
    """The unescaped reference tokens of ``pointer``; ``()`` for the empty
    pointer. Cached: the pointers of a file repeat (``/messages/1/content``)
    and rules parse them for every turn. Raises :class:`ValueError` when
    ``pointer`` is neither empty nor starts with ``/``."""
    if not pointer:
        return ()
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON Pointer: {pointer!r}")
    return tuple(unescape_token(t) for t in pointer[1:].split("/"))


def is_pointer(text: str) -> bool:
    """Whether ``text`` is a JSON Pointer (empty, or starting with ``/``)."""
    return not text or text.startswith("/")
