"""Normalisation, record hashes, shingles, MinHash signatures, LSH banding and
reference n-grams: the pieces the duplicate and leakage rules are built on."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from ftlint.readers import JsonlReader
from ftlint.readers.references import load_references
from ftlint.shapes.builtin import recognise
from ftlint.text import minhash
from ftlint.text.normalise import (
    NO_TEXT,
    WIDE_WHITESPACE,
    NormalisedRecord,
    normalise,
    word_hashes,
)
from ftlint.text.references import MAX_ITEMS_PER_NGRAM


def test_normalise_folds_case_whitespace_and_unicode_forms() -> None:
    assert normalise("  Hello,\n\tWORLD\u00a0 !  ") == "hello, world !"
    assert normalise("Cafe\u0301") == normalise("Caf\u00e9")
    assert normalise("Straße") == normalise("STRASSE")
    assert normalise("4") != normalise("four")


def _by_definition(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII,  two\tspaces\r\nand lines\x0b\x0cand \x1cseparators\x1f ",
        "  Caf\u00e9 \u2019quoted\u2019 \u00c9T\u00c9 \u1e9e STRASSE  ",
        "Wide\u00a0spaces\u2003and\u3000ideographic\u2028lines\x85",
        "Cafe\u0301 \u212b \ufb01 \u0130 \u03a3\u03a3 \U0001f600",
        "",
        "   ",
    ],
)
def test_normalise_agrees_with_its_definition(text: str) -> None:
    """The byte-level fast paths give what NFC, casefold and split/join give."""
    assert normalise(text) == _by_definition(text)


def test_normalise_agrees_with_its_definition_on_random_text() -> None:
    alphabet = "aZ \t\n\r\x0b\x0c\x1c\x1f\u00e9\u0301\u00df\u00a0\u2009\u3000\u0130\ufb01{}"
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert normalise(text) == _by_definition(text), repr(text)


def test_wide_whitespace_is_every_non_ascii_space() -> None:
    spaces = {chr(c) for c in range(128, 0x110000) if chr(c).isspace()}
    listed = {c for c in map(chr, range(128, 0x3001)) if re.fullmatch(f"[{WIDE_WHITESPACE}]", c)}
    assert listed == spaces


def _normalised(value: object) -> NormalisedRecord:
    view = recognise(value)
    assert view is not None
    return NormalisedRecord(view, value)


def test_record_hashes_ignore_format_and_metadata() -> None:
    chat = _normalised(
        {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]}
    )
    sharegpt = _normalised(
        {
            "id": 4,
            "conversations": [{"from": "human", "value": "hi "}, {"from": "gpt", "value": "yo"}],
        }
    )
    assert chat.content_hash == sharegpt.content_hash
    assert chat.prompt_hash == sharegpt.prompt_hash
    assert chat.response_hash == sharegpt.response_hash
    assert chat.prompt_hash != chat.response_hash


def test_sides_and_missing_texts() -> None:
    text = _normalised({"text": "Just text"})
    assert text.response_hash == NO_TEXT  # no assistant turn: all prompt
    assert text.prompt_hash != NO_TEXT
    alpaca = _normalised({"instruction": "Say hi", "input": "", "output": "Hi"})
    other = _normalised({"instruction": "Say hi", "input": "", "output": "Hello"})
    assert alpaca.prompt_hash == other.prompt_hash
    assert alpaca.content_hash != other.content_hash
    assert alpaca.response_texts == ["hi"]
    assert alpaca.length == len("say hi") + len("hi")


def _rows(*texts: str) -> tuple[minhash.U64, minhash.I64]:
    words = [word_hashes(t) for t in texts]
    return np.concatenate(words), minhash.offsets_of([len(w) for w in words])


def test_shingles_stay_inside_their_row() -> None:
    words, offsets = _rows("a b c d e f", "x y", "", "g h i j k")
    hashes, counts = minhash.shingles(words, offsets, 5)
    assert np.diff(counts).tolist() == [2, 1, 0, 1]
    alone, _ = minhash.shingles(*_rows("a b c d e f"), 5)
    assert hashes[:2].tolist() == alone.tolist()
    assert hashes[3] == minhash.shingles(*_rows("g h i j k"), 5)[0][0]


def _jaccard(a: list[str], b: list[str], size: int = 5) -> float:
    first = {tuple(a[i : i + size]) for i in range(len(a) - size + 1)}
    second = {tuple(b[i : i + size]) for i in range(len(b) - size + 1)}
    return len(first & second) / len(first | second)


@pytest.mark.parametrize("length", [12, 40, 150, 600])
def test_signatures_estimate_jaccard_similarity(length: int) -> None:
    rng = random.Random(length)
    vocabulary = [f"w{i}" for i in range(5000)]
    texts, truths = [], []
    for edits in range(0, 16, 2):
        first = [rng.choice(vocabulary) for _ in range(length)]
        second = list(first)
        for _ in range(edits * length // 100 + (edits > 0)):
            second[rng.randrange(length)] = rng.choice(vocabulary)
        texts += [" ".join(first), " ".join(second)]
        truths.append(_jaccard(first, second))
    hashes, offsets = minhash.shingles(*_rows(*texts), 5)
    signatures, present = minhash.MinHasher(256).signatures(hashes, offsets)
    assert present.all()
    estimates = minhash.similarity(signatures[0::2], signatures[1::2])
    errors = np.abs(estimates - np.array(truths))
    assert errors.max() < 0.12, (truths, estimates.tolist())
    assert errors.mean() < 0.04


def test_a_signature_does_not_depend_on_its_batch() -> None:
    texts = ["one two three four five six", "alpha beta gamma", "x " * 40]
    batch, _ = minhash.MinHasher().signatures(*minhash.shingles(*_rows(*texts), 5))
    for row, text in enumerate(texts):
        alone, _ = minhash.MinHasher().signatures(*minhash.shingles(*_rows(text), 5))
        assert (alone[0] == batch[row]).all()


def _mix(value: int) -> int:
    return int(minhash.mix64(np.array([value], dtype=np.uint64))[0])


def _signature_by_definition(shingle_hashes: list[int], bins: int, seed: int) -> list[int]:
    """One-permutation MinHash with optimal densification, one bin at a time:
    what ``MinHasher`` computes on whole batches."""
    empty = -1
    table = [empty] * bins
    for shingle in shingle_hashes:
        hashed = _mix(shingle ^ seed)
        cell, value = hashed % bins, hashed >> 32
        if table[cell] == empty or value < table[cell]:
            table[cell] = value
    out = []
    for cell, value in enumerate(table):
        for attempt in range(1, 65):
            if value != empty:
                break
            salt = (seed * 0x9E37 + attempt) & 0xFFFFFFFF
            value = table[_mix((cell << 32) | salt) % bins]
        if value == empty:  # no donor in 64 attempts: the nearest filled bin to the right
            distance = next(d for d in range(1, bins) if table[(cell + d) % bins] != empty)
            donor = table[(cell + distance) % bins]
            value = _mix((donor * (2 * bins + 1) + distance) % 2**64) >> 32
        out.append(value & 0xFF)
    return out


def test_signatures_follow_their_definition_bin_by_bin() -> None:
    """The batched densification (whole tables first, then bin by bin) fills
    every bin as the definition does, rows with a single shingle included."""
    rng = random.Random(5)
    rows = [
        [rng.getrandbits(64) for _ in range(rng.choice([1, 2, 3, 40, 160, 400]))] for _ in range(40)
    ]
    rows.append([])
    hashes = np.array([h for row in rows for h in row], dtype=np.uint64)
    offsets = minhash.offsets_of([len(row) for row in rows])
    hasher = minhash.MinHasher(256)
    signatures, present = hasher.signatures(hashes, offsets)
    assert present.tolist() == [bool(row) for row in rows]
    for row, shingle_hashes in enumerate(rows[:-1]):
        expected = _signature_by_definition(shingle_hashes, 256, hasher.seed)
        assert signatures[row].tolist() == expected, row


def test_unrelated_texts_are_not_similar() -> None:
    hashes, offsets = minhash.shingles(*_rows("a b c d e f g h i j", "k l m n o p q r s t"), 5)
    signatures, _ = minhash.MinHasher().signatures(hashes, offsets)
    assert minhash.similarity(signatures[:1], signatures[1:])[0] < 0.1


def test_band_layout_keeps_pairs_at_the_threshold() -> None:
    bands, rows = minhash.band_layout(0.8, 256)
    assert bands * rows <= 256
    assert minhash.candidate_probability(0.8, bands, rows) >= 0.98
    assert minhash.candidate_probability(0.3, bands, rows) < 0.01


def test_candidate_pairs_and_best_matches() -> None:
    signatures = np.array([[1] * 8, [2] * 8, [1] * 7 + [9], [1] * 8, [3] * 8], dtype=np.uint8)
    pairs = minhash.pairs_within(signatures, bands=4, rows=2, max_group=8)
    assert {tuple(p) for p in pairs.tolist()} >= {(0, 2), (0, 3), (2, 3)}
    assert all(a < b for a, b in pairs.tolist())
    earlier, later, similar = minhash.best_matches(signatures, signatures, pairs, 0.8)
    assert later.tolist() == [2, 3]
    assert earlier.tolist() == [0, 0]  # 3 equals 0 and 2 in part: the best, earliest
    assert similar[1] == pytest.approx(1.0)
    between = minhash.pairs_between(signatures[:2], signatures[2:], bands=4, rows=2, max_group=4)
    assert {tuple(p) for p in between.tolist()} == {(0, 0), (0, 1)}


def test_bands_shared_by_many_rows_are_templates() -> None:
    template = np.zeros((40, 8), dtype=np.uint8)
    template[:, 4:] = np.arange(40, dtype=np.uint8)[:, None]  # half template, half own text
    template[39, 4:] = template[38, 4:]  # ... except two rows that share their own text too
    pairs = minhash.pairs_within(template, bands=2, rows=4, max_group=32)
    assert pairs.tolist() == [[38, 39]]
    assert len(minhash.pairs_within(template[:20], bands=2, rows=4, max_group=32)) == 190
    between = minhash.pairs_between(template[:38], template[38:], bands=2, rows=4, max_group=32)
    assert between.tolist() == []


def test_references_are_read_by_item(tmp_path: Path) -> None:
    text = tmp_path / "bench.txt"
    text.write_text("\nFirst paragraph\nstill first.\n\n\nSecond one.\n", encoding="utf-8")
    records = tmp_path / "bench.jsonl"
    records.write_text('{"q": "A question", "choices": ["x", "y"]}\n\n{"q": "B"}\n')
    references = load_references(
        [(text, "bench.txt"), (records, "bench.jsonl")],
        [JsonlReader()],
    )
    assert [(i.path, i.line) for i in references.items] == [
        ("bench.txt", 2),
        ("bench.txt", 6),
        ("bench.jsonl", 1),
        ("bench.jsonl", 3),
    ]
    assert len(references.offsets) - 1 == 6  # strings: 2 paragraphs, 3 + 1 in the records


def test_template_ngrams_are_not_looked_for(tmp_path: Path) -> None:
    header = "answer the following question with one letter only please "
    lines = [f"{header} question number {i} is about topic {i * 7}" for i in range(20)]
    path = tmp_path / "bench.txt"
    path.write_text("\n\n".join(lines), encoding="utf-8")
    references = load_references([(path, "bench.txt")], [])
    index = references.index(5)
    assert MAX_ITEMS_PER_NGRAM < 20
    template, _ = minhash.shingles(*_rows(header), 5)
    assert not np.isin(template, index.hashes).any()
    hashes, offsets = minhash.shingles(*_rows(lines[3], "unrelated words only here at all"), 5)
    items, shared = index.best_items(hashes, offsets)
    assert items.tolist() == [3, -1]
    assert shared[0] > 0
