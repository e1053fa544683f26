"""The dataset statistics: counted in the run, reported under ``statistics`` in
the JSON envelope, the same however the files are sharded, cached or run."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import tiktoken

from ftlint.core.records import RecordView, Role, Turn
from ftlint.run.executors import local as parallel
from ftlint.run.statistics import distribution
from ftlint.testing import write_files
from ftlint.text import statistics
from ftlint.text.statistics import FileStatistics

from .conftest import CONFIG, LABELS, RunCli


def report(run_cli: RunCli, root: Path, *args: str) -> dict[str, Any]:
    status, out, err = run_cli(
        "check", ".", "--no-cache", "--output-format", "json", *args, cwd=root
    )
    assert status in (0, 1), err
    document: dict[str, Any] = json.loads(out)
    assert document["version"] == 1
    return document["statistics"]


def tokens_of(record: dict[str, str]) -> int:
    """An independent count: prompt and completion fields count their text alone."""
    encoding = tiktoken.get_encoding("o200k_base")
    return sum(len(encoding.encode_ordinary(record[key])) for key in ("prompt", "completion"))


def read_records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_splits_are_counted(run_cli: RunCli, labelled_dataset: Path) -> None:
    (data,) = report(run_cli, labelled_dataset)["datasets"]
    assert data["name"] == "data"
    train, validation = data["splits"]
    assert (train["split"], validation["split"]) == ("train", "validation")
    assert (train["records"], validation["records"]) == (41, 10)
    assert train["shapes"] == {"prompt-completion": 41}
    assert train["system_prompts"] == 0
    assert train["duplicates"] == 1
    assert validation["leaks"] == 1
    assert train["near_duplicates"] is None  # D002 is not enabled by default


def test_tokens_agree_with_an_independent_count(run_cli: RunCli, labelled_dataset: Path) -> None:
    train = report(run_cli, labelled_dataset)["datasets"][0]["splits"][0]
    lengths = [tokens_of(r) for r in read_records(labelled_dataset / "data" / "train.jsonl")]
    tokens = train["tokens"]
    assert tokens["estimated"] is False
    assert tokens["exact"] == 41
    assert tokens["lengths"]["total"] == sum(lengths)
    assert tokens["lengths"]["maximum"] == max(lengths)
    assert tokens["limit"] == 16  # the config's sequence length sets it
    assert tokens["over_limit"] == sum(n > 16 for n in lengths)
    assert sum(b["count"] for b in tokens["lengths"]["bins"]) == 41


def test_labels_of_classification_data(run_cli: RunCli, labelled_dataset: Path) -> None:
    train = report(run_cli, labelled_dataset)["datasets"][0]["splits"][0]
    completions = [r["completion"] for r in read_records(labelled_dataset / "data" / "train.jsonl")]
    expected = {label: completions.count(label) for label in set(completions)}
    assert train["labels"] == expected
    assert list(train["labels"]) == sorted(expected, key=lambda k: -expected[k])


@pytest.mark.parametrize("packing", ["false", "true"])
def test_config_training_numbers(run_cli: RunCli, labelled_dataset: Path, packing: str) -> None:
    (labelled_dataset / "axolotl.yaml").write_text(CONFIG.format(packing=packing))
    (config,) = report(run_cli, labelled_dataset)["configs"]
    lengths = [tokens_of(r) for r in read_records(labelled_dataset / "data" / "train.jsonl")]
    per_epoch = sum(min(n, 16) for n in lengths)
    sequences = math.ceil(per_epoch / 16) if packing == "true" else 41
    assert config["path"] == "axolotl.yaml"
    assert config["training_files"] == ["data/train.jsonl"]
    assert config["packing"] is (packing == "true")
    assert config["effective_batch"] == 4
    assert config["tokens_per_epoch"] == per_epoch
    assert config["tokens_for_run"] == 3 * per_epoch
    assert config["truncated"] == sum(n > 16 for n in lengths)
    assert config["sequences_per_epoch"] == sequences
    assert config["steps_per_epoch"] == math.ceil(sequences / 4)
    assert config["total_steps"] == 3 * math.ceil(sequences / 4)


def test_no_token_rule_no_token_statistics(run_cli: RunCli, labelled_dataset: Path) -> None:
    train = report(run_cli, labelled_dataset, "--select", "S")["datasets"][0]["splits"][0]
    assert train["tokens"] is None
    assert train["duplicates"] is None
    assert train["records"] == 41


def test_sharding_workers_and_cache_do_not_change_the_statistics(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    records = [
        {
            "messages": [{"role": "system", "content": "Be brief."}] * (i % 2)
            + [
                {"role": "user", "content": f"Q{i} " * (i % 13)},
                {"role": "assistant", "content": LABELS[i % len(LABELS)]},
            ]
        }
        for i in range(400)
    ]
    write_files(tmp_path, {"data/train.jsonl": records, "data/test.jsonl": records[:30]})

    def run(shard_size: int, jobs: str, cache: bool) -> dict[str, Any]:
        (tmp_path / "ftlint.toml").write_text(f"shard-size = {shard_size}\n")
        args = ["check", "data", "--output-format", "json", "-j", jobs]
        status, out, err = run_cli(*args, *([] if cache else ["--no-cache"]), cwd=tmp_path)
        assert status in (0, 1), err
        result: dict[str, Any] = json.loads(out)["statistics"]
        return result

    whole = run(1 << 30, "1", cache=False)
    assert run(2000, "1", cache=False) == whole
    assert run(2000, "2", cache=False) == whole
    assert run(2000, "1", cache=True) == whole  # fills the cache
    assert run(2000, "1", cache=True) == whole  # read from it
    train = whole["datasets"][0]["splits"][0]
    assert train["system_prompts"] == 200
    assert train["turns"] == {"2": 200, "3": 200}
    assert train["labels"] == {"positive": 240, "negative": 120, "neutral": 40}
    assert train["duplicates"] == len(records) - len({json.dumps(r) for r in records})
    assert whole["datasets"][0]["splits"][1]["leaks"] == 30


def view(response: str) -> RecordView:
    return RecordView(
        "chat",
        (
            Turn(Role.USER, "q", "/messages/0/content"),
            Turn(Role.ASSISTANT, response, "/messages/1/content"),
        ),
    )


def test_free_text_stops_counting_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(statistics, "MAX_DISTINCT", 3)
    first, second = FileStatistics(), FileStatistics()
    for text in ("a", "b", "c"):
        first.add(view(text), parsed=True)
    second.add(view("d"), parsed=True)
    assert first.responses == {"a": 1, "b": 1, "c": 1}
    assert first.followed_by(second).responses is None  # four distinct: no classification data


def test_merging_parts_equals_folding_the_whole() -> None:
    texts = ["yes", "no", "yes", "a long answer that is certainly not a class label at all"]
    whole, head, tail = FileStatistics(), FileStatistics(), FileStatistics()
    for index, text in enumerate(texts):
        whole.add(view(text), parsed=True)
        (head if index < 2 else tail).add(view(text), parsed=True)
    whole.add(None, parsed=False)
    tail.add(None, parsed=False)
    merged = head.followed_by(tail)
    assert merged == whole
    assert merged.responses == {"yes": 2, "no": 1}
    assert (merged.long_responses, merged.unparsed) == (1, 1)


def test_distribution_marks_a_near_limit_and_keeps_every_value() -> None:
    import numpy as np

    values = np.array([5, 10, 10, 20, 400, 90, 95], dtype=np.int64)
    shown = distribution(values, marker=100)
    assert shown is not None
    assert sum(b.count for b in shown.bins) == len(values)
    closed = [b for b in shown.bins if b.high is not None]
    assert closed[-1].high is not None
    assert closed[-1].high >= 100  # the limit is on the chart
    assert shown.bins[-1].high is None  # 400: in the open bar
    assert shown.bins[-1].count == 1
    assert distribution(np.array([], dtype=np.int64)) is None
