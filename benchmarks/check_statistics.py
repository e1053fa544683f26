"""Check the statistics of ``ftlint check`` against an independent count.

Runs ``ftlint check FOLDER --output-format json`` and compares, split by
split, its ``statistics`` with a count made here: records by reading every
file again with the standard library (JSON Lines: the lines that are not
blank; JSON: the array's elements), and tokens by counting every shaped
record exactly (ftlint counts the head of each file and a sample exactly and
estimates the rest). Records must agree exactly; the token error is printed
so that the documented bound (docs/output-formats.md) can be checked::

    python benchmarks/check_statistics.py ../shared/corpus/datasets

Exit status 1 when a record count differs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ftlint.run.registry import load_plugins
from ftlint.text.tokens import TokenCounter, TokenLimit


def read_values(path: Path) -> list[Any]:
    """The records of a JSON Lines or JSON file, as the standard library reads them."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix in {".jsonl", ".ndjson"}:
        values: list[Any] = []
        for line in text.splitlines():
            if line.strip():
                try:
                    values.append(json.loads(line))
                except json.JSONDecodeError:
                    values.append(None)  # still a record: ftlint reports it (S001)
        return values
    document = json.loads(text)
    return document if isinstance(document, list) else [document]


def exact_tokens(values: list[Any], counter: TokenCounter) -> tuple[int, int]:
    """Shaped records and their exact total of tokens."""
    shapes = load_plugins().shapes
    shaped = total = 0
    for value in values:
        view = next((v for s in shapes if (v := s.match(value)) is not None), None)
        if view is not None:
            shaped += 1
            total += counter.count(view).total
    return shaped, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        command = ["ftlint", "check", str(args.folder), "--no-cache", "--output-format", "json"]
        subprocess.run([*command, "-o", str(report)], check=False)
        statistics = json.loads(report.read_text())["statistics"]
    failed = False
    print(f"{'split':<60} {'records':>9} {'counted':>9} {'tokens':>12} {'exact':>12} {'error':>8}")
    for dataset in statistics["datasets"]:
        for split in dataset["splits"]:
            values = [v for f in split["files"] for v in read_values(Path(f))]
            tokens = split["tokens"]
            split_name = split["split"]  # a file's path when it has no split name
            name = (split_name if "/" in split_name else f"{dataset['name']} {split_name}")[-60:]
            if tokens is None:
                print(f"{name:<60} {split['records']:>9,} {len(values):>9,}")
                failed |= split["records"] != len(values)
                continue
            counter = TokenCounter(tokens["encoding"], TokenLimit(tokens["limit"], "check"))
            shaped, total = exact_tokens(values, counter)
            reported = tokens["lengths"]["total"]
            error = (reported - total) / total if total else 0.0
            print(
                f"{name:<60} {split['records']:>9,} {len(values):>9,} "
                f"{reported:>12,} {total:>12,} {error:>+8.2%}"
                + (" (estimated)" if tokens["estimated"] else "")
            )
            failed |= split["records"] != len(values) or shaped != tokens["lengths"]["count"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
