"""A small dataset on which every built-in dataset rule has something to
find, for tests that compare ways of running the same rules (sharding,
executors): two runs agree on it only if they agree on duplicates,
near-duplicates, leakage, conflicting responses, shapes and stray keys."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

#: Words of the generated texts; records draw them at random (seeded), so
#: that two records share long runs of words only when made to.
_VOCABULARY = [f"w{n}" for n in range(5000)]
_STORY_WORDS = 100


def _story(seed: int) -> list[str]:
    return random.Random(seed).choices(_VOCABULARY, k=_STORY_WORDS)


def _chat(prompt: str, answer: str, **extra: Any) -> dict[str, Any]:
    messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]
    return {"messages": messages, **extra}


def _near(words: list[str], seed: int) -> list[str]:
    """``words`` with one word changed: a near-duplicate (estimated Jaccard
    similarity about 0.9 of 5-word shingles)."""
    changed = list(words)
    changed[len(changed) // 2] = f"changed{seed}"
    return changed


def mixed_records(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """``count`` train records: chat with some Alpaca, prompt/completion and
    pre-formatted text among them, exact and near duplicates, prompts
    answered twice differently, a few stray keys and records of no known
    shape."""
    records: list[dict[str, Any]] = []
    for i in range(count):
        words = _story(seed * 100_003 + i)
        if i % 9 == 4:  # near-duplicate of an earlier record
            words = _near(_story(seed * 100_003 + i - 3), i)
        answer = " ".join(words)
        if i % 23 == 11:
            records.append({"instruction": f"Task {i}", "input": "", "output": answer})
        elif i % 31 == 7:
            records.append({"question": f"Q{i}", "answer": answer})
        elif i % 17 == 2:  # prompt/completion, most with a separator and a stop
            separator, stop = ("\n\n###\n\n", "\n") if i % 68 != 2 else ("", "")
            records.append({"prompt": f"Task {i}{separator}", "completion": f" {answer}{stop}"})
        elif i % 19 == 5:  # pre-formatted text, in two chat templates
            template = "<|im_start|>user\n" if i % 38 == 5 else "### Instruction:\n"
            records.append({"text": f"{template}{answer}"})
        else:
            extra = {"example_input": "x"} if i % 151 == 3 else {}
            records.append(_chat(f"Question {i % 40}", answer, **extra))
        if i % 13 == 6:  # an exact duplicate a little later
            records.append(records[-1])
    return records


def templated_records(count: int) -> list[dict[str, Any]]:
    """Records that share a long instruction header and differ after it: so
    much alike that some LSH bands are shared by more records than
    near-duplicate detection looks at (template text), and many pairs are
    near-duplicates all the same."""
    header = " ".join((_story(-1001) + _story(-1002) + _story(-1003))[:250])
    records = []
    for i in range(count):
        tail = _story(-3 - i)[:40] if i % 10 else _near(_story(-3 - i + 1)[:40], i)
        records.append(_chat(header, " ".join(tail)))
    return records


def write_mixed_dataset(root: Path, train_records: int = 300, train_files: int = 1) -> Path:
    """Write ``data/train.jsonl`` (:func:`mixed_records`, one line of invalid
    JSON and blank lines among them) and ``data/test.jsonl`` (exact, near and
    prompt leaks of train, and records of its own) under ``root``; returns
    the ``data`` folder. With ``train_files`` above 1, train is written in
    that many shards (``train-00000-of-00003.jsonl``) and a file with no
    split, of :func:`templated_records`, is added; the last shard repeats
    records of the first."""
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    train = mixed_records(train_records)
    lines = [json.dumps(r) for r in train]
    lines.insert(len(lines) // 3, "{not json")
    lines.insert(len(lines) // 2, "   ")
    if train_files == 1:
        (data / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        size = -(-len(lines) // train_files)
        # The last shard repeats some of the first's records, exactly and nearly.
        for record in train[:30:6]:
            if "messages" in record:
                prompt, answer = (m["content"] for m in record["messages"])
                lines += [json.dumps(record), json.dumps(_chat(prompt, f"{answer} again"))]
        for shard in range(train_files):
            part = lines[shard * size : (shard + 1) * size]
            name = f"train-{shard:05d}-of-{train_files:05d}.jsonl"
            (data / name).write_text("\n".join(part) + "\n", encoding="utf-8")
        templated = "".join(json.dumps(r) + "\n" for r in templated_records(60))
        (data / "notes.jsonl").write_text(templated, encoding="utf-8")

    test: list[dict[str, Any]] = []
    for i, record in enumerate(train[: train_records // 2 : 5]):
        if "messages" not in record:
            continue
        prompt, answer = (m["content"] for m in record["messages"])
        if i % 3 == 0:
            test.append(record)  # exact leak
        elif i % 3 == 1:
            test.append(_chat(prompt, " ".join(_near(answer.split(), i))))  # near leak
        else:
            test.append(_chat(prompt, f"another answer {i}"))  # prompt leak
    test += mixed_records(40, seed=1)
    (data / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in test), "utf-8")
    return data
