"""Generate a realistic chat dataset of any size, with seeded flaws and their ground truth.

The dataset is OpenAI chat JSONL split into ``train.jsonl``, ``valid.jsonl``
and ``test.jsonl`` (by default 98%, 1% and 1% of the bytes). Text is drawn
from a synthetic vocabulary with a Zipf word distribution, in sentences, so
that word 5-gram statistics look like prose: two independent records share
almost no 5-gram. A third of the records have one of a few system prompts;
a fifth are multi-turn.

Seeded flaws, each with its ground truth in ``.truth/truth.json``:

- ``exact``: a later copy of an earlier train record, written with case,
  whitespace or Unicode-normalisation differences that ftlint's
  normalisation (NFC, whitespace collapsed, case-folded) removes;
- ``near``: a later copy with a few words replaced, inserted or deleted,
  keeping the word 5-gram Jaccard similarity to the original at 0.8 or more
  (the similarity is in the truth file);
- ``leak-exact``, ``leak-near``, ``leak-prompt``: a validation or test
  record copied from train exactly, nearly, or with the same prompt and a
  new response.

``.truth/truth.json`` maps each flawed record (``file:line``) to its kind, its
source (``train.jsonl:line``) and, for near copies, the true Jaccard
similarity, and says whether a near copy kept its prompt (then it is also a
prompt leak). Usage::

    python benchmarks/generate.py benchmarks/data/1g --size 1GB
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftlint.text.tokens import load_encoding

#: Share of the records of each split that are seeded flaws of each kind.
TRAIN_FLAWS = {"exact": 0.02, "near": 0.02}
EVAL_FLAWS = {"leak-exact": 0.04, "leak-near": 0.03, "leak-prompt": 0.02}
NEAR_THRESHOLD = 0.8
SHINGLE = 5
#: The train, valid and test shares of the bytes, and the seed, when not given.
DEFAULT_SHARES = (0.98, 0.01, 0.01)
DEFAULT_SEED = 1

SYSTEM_PROMPTS = [
    "You are a helpful assistant.",
    "You are a concise assistant. Answer in as few words as you can.",
    "You are a friendly tutor who explains every step of the reasoning.",
    "You are a customer support agent for an online shop. Be polite.",
    "You are an expert software engineer. Answer with code when it helps.",
    "You are a travel guide who knows every city in Europe.",
]
_SHORT_WORDS = frozenset(
    [
        "a",
        "i",
        "is",
        "of",
        "to",
        "in",
        "it",
        "on",
        "be",
        "as",
        "at",
        "by",
        "or",
        "an",
        "we",
        "he",
        "do",
        "if",
        "my",
        "no",
        "so",
        "up",
        "us",
        "go",
        "me",
        "am",
    ]
)
_ACCENTED = ["café", "naïve", "résumé", "façade", "coöperate", "jalapeño", "über", "déjà"]


def vocabulary(size: int = 30_000) -> list[str]:
    """English words, most frequent first: the o200k_base tokens that are a whole
    lower-case word with its leading space, in token order (which follows
    frequency), so that texts tokenise like prose; and a few accented words,
    for the Unicode normalisation of exact duplicates."""
    encoding = load_encoding("o200k_base")
    words: list[str] = []
    for token in range(encoding.n_vocab):
        try:
            piece = encoding.decode_single_token_bytes(token)
        except KeyError:
            continue
        word = piece[1:].decode("ascii", "replace")
        if piece[:1] == b" " and word.isalpha() and word.islower() and word.isascii():
            if len(word) >= 3 or word in _SHORT_WORDS:
                words.append(word)
            if len(words) == size:
                break
    for position, word in zip((40, 90, 150, 300, 700, 1200, 2500, 5000), _ACCENTED, strict=True):
        words.insert(position, word)
    return words


class TextSource:
    """Sentences of Zipf-distributed words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = vocabulary()
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        total = 0.0
        self.cumulative = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def words_n(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)

    def text(self, count: int) -> str:
        words = self.words_n(count)
        sentences = []
        start = 0
        while start < len(words):
            length = self.rng.randint(6, 18)
            chunk = words[start : start + length]
            chunk[0] = chunk[0].capitalize()
            end = "?" if self.rng.random() < 0.15 else "."
            sentences.append(" ".join(chunk) + end)
            start += length
        paragraphs = []
        while sentences:
            take = self.rng.randint(2, 6)
            paragraphs.append(" ".join(sentences[:take]))
            sentences = sentences[take:]
        return "\n\n".join(paragraphs)


def fresh_record(source: TextSource) -> dict[str, Any]:
    rng = source.rng
    messages: list[dict[str, str]] = []
    if rng.random() < 0.33:
        messages.append({"role": "system", "content": rng.choice(SYSTEM_PROMPTS)})
    for _ in range(2 if rng.random() < 0.2 else 1):
        messages.append({"role": "user", "content": source.text(rng.randint(10, 70))})
        messages.append({"role": "assistant", "content": source.text(rng.randint(30, 150))})
    return {"messages": messages}


# --- Normalisation, as ftlint documents it, for the ground truth --------------------


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def record_words(record: dict[str, Any]) -> list[str]:
    return " ".join(normalise(m["content"]) for m in record["messages"]).split()


def shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < SHINGLE:
        return {tuple(words)}
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def jaccard(a: dict[str, Any], b: dict[str, Any]) -> float:
    sa, sb = shingles(record_words(a)), shingles(record_words(b))
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def prompt_key(record: dict[str, Any]) -> str:
    return "\x1e".join(normalise(m["content"]) for m in record["messages"][:-1])


# --- Flaws ---------------------------------------------------------------------------


def normalisation_variant(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A copy that differs only in what normalisation removes."""
    messages = []
    for message in record["messages"]:
        content = message["content"]
        style = rng.randrange(4)
        if style == 0:
            content = content.upper()
        elif style == 1:
            content = re.sub(r" ", lambda _: rng.choice(("  ", " ", "\t", " \n")), content)
        elif style == 2:
            content = unicodedata.normalize("NFD", content) + "  "
        else:
            content = " " + content.replace(". ", ".   ")
        messages.append({**message, "content": content})
    return {"messages": messages}


def near_variant(record: dict[str, Any], source: TextSource) -> tuple[dict[str, Any], float] | None:
    """A copy with a few word edits and its Jaccard similarity (>= the threshold),
    or None when the record is too short to edit and stay near."""
    rng = source.rng
    for edits in (6, 4, 3, 2, 1):
        messages = [dict(m) for m in record["messages"]]
        editable = [i for i, m in enumerate(messages) if m["role"] != "system"]
        for _ in range(rng.randint(1, edits)):
            index = rng.choice(editable)
            words = messages[index]["content"].split(" ")
            position = rng.randrange(len(words))
            action = rng.randrange(3)
            if action == 0:
                words[position] = source.words_n(1)[0]
            elif action == 1:
                words.insert(position, source.words_n(1)[0])
            elif len(words) > 1:
                del words[position]
            messages[index]["content"] = " ".join(words)
        copy = {"messages": messages}
        similarity = jaccard(record, copy)
        if NEAR_THRESHOLD <= similarity < 1.0:
            return copy, similarity
    return None


def prompt_variant(record: dict[str, Any], source: TextSource) -> dict[str, Any]:
    messages = [dict(m) for m in record["messages"]]
    messages[-1]["content"] = source.text(source.rng.randint(30, 150))
    return {"messages": messages}


# --- Writing ---------------------------------------------------------------------------


@dataclass
class SplitWriter:
    """Writes one split and remembers what the flaws need: the records that may
    be copied (by line) and the ground truth."""

    name: str
    path: Path
    budget: int
    written: int = 0
    line: int = 0
    originals: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def write(self, handle: Any, record: dict[str, Any]) -> int:
        data = json.dumps(record, ensure_ascii=False) + "\n"
        handle.write(data)
        self.written += len(data.encode("utf-8"))
        self.line += 1
        return self.line


def generate(folder: Path, size: int, seed: int, shares: tuple[float, float, float]) -> None:
    rng = random.Random(seed)
    source = TextSource(rng)
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Any] = {"seed": seed, "size": size, "threshold": NEAR_THRESHOLD, "flaws": {}}
    train = SplitWriter("train", folder / "train.jsonl", int(size * shares[0]))
    with train.path.open("w", encoding="utf-8") as handle:
        _write_train(handle, train, source, truth["flaws"])
    for name, share in (("valid", shares[1]), ("test", shares[2])):
        split = SplitWriter(name, folder / f"{name}.jsonl", int(size * share))
        with split.path.open("w", encoding="utf-8") as handle:
            _write_eval(handle, split, train, source, truth["flaws"])
    truth_file(folder).parent.mkdir(exist_ok=True)
    truth_file(folder).write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")


def truth_file(folder: Path) -> Path:
    """Where the ground truth is kept: in a hidden folder, which ftlint does not
    walk (a large JSON object would otherwise be read as a candidate config)."""
    return folder / ".truth" / "truth.json"


def _pick(split: SplitWriter, rng: random.Random) -> tuple[int, dict[str, Any]]:
    return split.originals[rng.randrange(len(split.originals))]


def _write_train(
    handle: Any, train: SplitWriter, source: TextSource, flaws: dict[str, Any]
) -> None:
    rng = source.rng
    while train.written < train.budget:
        roll = rng.random()
        if train.originals and roll < TRAIN_FLAWS["exact"]:
            line, original = _pick(train, rng)
            at = train.write(handle, normalisation_variant(original, rng))
            flaws[f"train.jsonl:{at}"] = {"kind": "exact", "source": f"train.jsonl:{line}"}
            continue
        if train.originals and roll < TRAIN_FLAWS["exact"] + TRAIN_FLAWS["near"]:
            line, original = _pick(train, rng)
            near = near_variant(original, source)
            if near is not None:
                copy, similarity = near
                at = train.write(handle, copy)
                flaws[f"train.jsonl:{at}"] = {
                    "kind": "near",
                    "source": f"train.jsonl:{line}",
                    "jaccard": round(similarity, 4),
                    "same_prompt": prompt_key(copy) == prompt_key(original),
                }
                continue
        record = fresh_record(source)
        train.originals.append((train.write(handle, record), record))


def _write_eval(
    handle: Any, split: SplitWriter, train: SplitWriter, source: TextSource, flaws: dict[str, Any]
) -> None:
    rng = source.rng
    file = split.path.name
    bounds = list(_cumulative(EVAL_FLAWS))
    while split.written < split.budget:
        roll = rng.random()
        kind = next((k for k, bound in bounds if roll < bound), None)
        if kind is None:
            split.write(handle, fresh_record(source))
            continue
        line, original = _pick(train, rng)
        entry: dict[str, Any] = {"kind": kind, "source": f"train.jsonl:{line}"}
        if kind == "leak-exact":
            record = normalisation_variant(original, rng)
        elif kind == "leak-prompt":
            record = prompt_variant(original, source)
        else:
            near = near_variant(original, source)
            if near is None:
                continue
            record, similarity = near
            entry.update(jaccard=round(similarity, 4))
            entry.update(same_prompt=prompt_key(record) == prompt_key(original))
        flaws[f"{file}:{split.write(handle, record)}"] = entry


def _cumulative(shares: dict[str, float]) -> Iterator[tuple[str, float]]:
    total = 0.0
    for kind, share in shares.items():
        total += share
        yield kind, total


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kKmMgG]?)B?", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (try 10MB, 1GB)")
    factor = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def format_size(size: int) -> str:
    """``size`` as :func:`parse_size` reads it: ``300 KB``, ``100 MB``, ``1.5 GB``."""
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} B"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the splits and truth.json")
    parser.add_argument("--size", type=parse_size, default=parse_size("100MB"), help="total size")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--shares",
        type=lambda s: tuple(float(x) for x in s.split(",")),
        default=DEFAULT_SHARES,
        help="train,valid,test shares of the size (default: 0.98,0.01,0.01)",
    )
    args = parser.parse_args()
    generate(args.folder, args.size, args.seed, args.shares)


if __name__ == "__main__":
    main()
