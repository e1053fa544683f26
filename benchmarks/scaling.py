"""Measure how the default command's time per record changes with the size of the data.

Issue 13 asks that the time per record stay flat within 15% from 100 MB to
2 GB (linear scaling). For each size of ``--sizes``, this takes the dataset
of that size in the work folder (``WORK/100MB``, written by
``benchmarks/generate.py`` with its default seed and shares; reused when its
``.truth/truth.json`` says it has that size and seed, generated otherwise),
times the default command ``ftlint check DIR --no-cache`` on it as
``benchmarks/run.py`` times run 1 (the median of ``--repeat N`` runs), and
prints µs per record for each size. The spread is (max - min) / min of
those µs per record, against the 15% target.

Every time includes what a run spends whatever the size (starting Python,
loading the plugins and the tokenizer: about a second on the 2-core machine),
which weighs on the smaller sizes: at 40 MB/s it is over a third of the 2.5 s
of 100 MB and 2% of the 50 s of 2 GB. So the table also has the µs per added record
(the difference of time over the difference of records from the size before),
which is flat when the work itself scales linearly. Usage::

    python benchmarks/scaling.py benchmarks/data/scaling --sizes 100MB,2GB --repeat 3
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import DEFAULT_SEED, DEFAULT_SHARES, format_size, generate, parse_size, truth_file
from run import (
    MB,
    Check,
    Machine,
    Measure,
    Target,
    added_flags,
    cold_run,
    compile_ftlint,
    dataset_size,
    median_note,
    target_table,
    throughput,
)

#: Issue 13: the largest spread of the time per record across sizes.
SCALING_SPREAD = 0.15


def dataset(work: Path, size: int) -> Path:
    """The folder of the dataset of ``size`` bytes in ``work``, generated unless it is there."""
    folder = work / format_size(size).replace(" ", "")
    truth = truth_file(folder)
    if truth.is_file():
        written = json.loads(truth.read_text(encoding="utf-8"))
        if (written["size"], written["seed"]) == (size, DEFAULT_SEED):
            return folder
    print(f"generating {folder} ({format_size(size)})", file=sys.stderr, flush=True)
    generate(folder, size, DEFAULT_SEED, DEFAULT_SHARES)
    return folder


def spread(values: list[float]) -> float:
    """(max - min) / min: how far from flat ``values`` are."""
    return (max(values) - min(values)) / min(values)


def row(measure: Measure, size: int, records: int, previous: tuple[Measure, int] | None) -> str:
    """The line of the table of the dataset ``measure`` is named after, of ``size``
    bytes, given the measure and records of the size before it (if any)."""
    marginal = "-"
    if previous is not None:
        before, before_records = previous
        extra = (measure.seconds - before.seconds) / (records - before_records) * 1e6
        marginal = f"{extra:.1f}"
    return (
        f"| {measure.name} | {records:,} | {measure.seconds:.2f} | "
        f"{throughput(measure, size):,.1f} | {measure.seconds / records * 1e6:.1f} | "
        f"{marginal} | {measure.peak_rss / MB:,.0f} MB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("work", type=Path, help="the folder of the datasets, one a size")
    parser.add_argument(
        "--sizes",
        type=lambda text: sorted({parse_size(size) for size in text.split(",")}),
        default="100MB,2GB",
        help="sizes to measure, comma-separated (default: 100MB,2GB)",
    )
    parser.add_argument("--jobs", help="ftlint --jobs (default: every core)")
    parser.add_argument("--repeat", type=int, default=1, help="run each size N times; the median")
    args = parser.parse_args()
    if len(args.sizes) < 2:
        parser.error("--sizes needs two sizes or more to compare")
    compile_ftlint()
    jobs = ["--jobs", args.jobs] if args.jobs else []
    folders = [dataset(args.work.resolve(), size) for size in args.sizes]
    check = Check()
    machine = Machine.now()
    rows: list[str] = []
    measures: list[Measure] = []
    per_record: list[float] = []
    previous = None
    with tempfile.TemporaryDirectory(prefix="ftlint-scaling-") as work:
        for requested, folder in zip(args.sizes, folders, strict=True):
            size, records = dataset_size(folder)
            measure = cold_run(check, folder, Path(work), jobs, args.repeat)
            measure = replace(measure, name=format_size(requested))
            measures.append(measure)
            per_record.append(measure.seconds / records * 1e6)
            rows.append(row(measure, size, records, previous))
            previous = measure, records
    first, last = format_size(args.sizes[0]), format_size(args.sizes[-1])
    low, high = min(per_record), max(per_record)
    target = Target(
        f"time per record from {first} to {last}",
        f"flat within {SCALING_SPREAD:.0%} (linear scaling)",
        f"{spread(per_record):.1%} ({low:.1f}-{high:.1f} µs per record)",
        spread(per_record) <= SCALING_SPREAD,
    )
    print(machine.describe())
    print(f"Command: `{shlex.join(['python', 'benchmarks/scaling.py', *sys.argv[1:]])}`")
    print(f"Each run: `{check.name}` with `--no-cache {added_flags(jobs)}`.")
    print()
    print("| size | records | seconds | MB/s | µs per record | µs per added record | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print(median_note(measures))
    print()
    print("\n".join(target_table([target])))


if __name__ == "__main__":
    main()
