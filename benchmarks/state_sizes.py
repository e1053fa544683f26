"""Bytes a record of each dataset rule's state: every dataset rule on one
file, each state pickled as a worker sends it (rules sharing a state are
listed together). Usage::

    python benchmarks/generate.py benchmarks/data/50m --size 50MB
    python benchmarks/state_sizes.py benchmarks/data/50m/train.jsonl --records 20000
"""

from __future__ import annotations

import argparse
import itertools
import pickle
import tempfile
from pathlib import Path

from ftlint.api import Unit
from ftlint.core.records import DatasetFile, Split
from ftlint.run.engine import RulePlan, lint_unit
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path, help="a JSON Lines file")
    parser.add_argument("--records", type=int, default=20_000, help="its first N lines")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "train.jsonl"
        with args.file.open("rb") as source, path.open("wb") as sample:
            sample.writelines(itertools.islice(source, args.records))
        registry = load_plugins()
        plan = RulePlan.build(registry, Settings(), set(registry.rules))
        file = DatasetFile(path, "train.jsonl", Split.TRAIN, ".", path.stat().st_size)
        outcome = lint_unit(Unit(file), plan)
    users: dict[str, list[str]] = {}
    for rule in plan.dataset_rules:
        users.setdefault(plan.state_owners[rule.code], []).append(rule.code)
    print(f"{outcome.records:,} records, {file.size / outcome.records:,.0f} bytes each")
    print("| rules | state | bytes a record |")
    print("|---|---|---:|")
    rows = []
    for owner, codes in users.items():
        state = outcome.states[owner]
        size = len(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        rows.append((size, ", ".join(codes), type(state).__name__))
    for size, codes, kind in sorted(rows, reverse=True):
        print(f"| {codes} | `{kind}` | {size / outcome.records:,.1f} |")


if __name__ == "__main__":
    main()
