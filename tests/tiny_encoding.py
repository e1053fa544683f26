"""A tiny tiktoken encoding built in the tests, so that no test downloads one.

Its ranks are the 256 single bytes plus a few merges, so a text of ASCII
letters without those pairs has one token per byte: easy to count by hand.
"""

from __future__ import annotations

import tiktoken

#: The name the token tests and the YAML cases select it by.
BYTES = "test-bytes"
#: Merged pairs, ranked after the single bytes: "ab" is one token, "abab" two.
MERGES = (b"ab", b"cd")


def byte_ranks() -> dict[bytes, int]:
    ranks = {bytes([b]): b for b in range(256)}
    for rank, merged in enumerate(MERGES, start=256):
        ranks[merged] = rank
    return ranks


def byte_encoding() -> tiktoken.Encoding:
    return tiktoken.Encoding(
        name=BYTES,
        pat_str=r"\S+|\s+",
        mergeable_ranks=byte_ranks(),
        special_tokens={"<|endoftext|>": 256 + len(MERGES)},
    )
