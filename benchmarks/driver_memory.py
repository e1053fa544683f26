"""The driver's peak memory: the local executor against the Ray executor
with and without the partitioned finish, on datasets of growing size.

With the local executor (and with Ray without the partitioned finish) the
process that runs ``ftlint`` receives every file's states and finishes the
dataset rules on all of them: its memory grows with the data. With the
partitioned finish, the states of the rules that can finish by partitions
(D001, D002, D003, L001, L002) stay in Ray's workers and object store; the driver
receives the other states, the partitions' pairs and the findings. Usage::

    python benchmarks/generate.py benchmarks/data/50m --size 50MB
    python benchmarks/generate.py benchmarks/data/200m --size 200MB
    pip install -e ./plugins/ftlint-ray
    python benchmarks/driver_memory.py benchmarks/data/50m benchmarks/data/200m

Each run is a separate process; its peak resident memory is its own
(``ru_maxrss``), not its workers' or Ray's. Both executors use ``--jobs``
processes (2 by default).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

#: The rules whose state grows with the data and that finish by partitions.
RULES = "D001,D002,D003,L001,L002"

#: Runs ``ftlint check`` in this process and prints its peak RSS (kB) last.
_MEASURED = """
import resource, sys
from ftlint.cli.main import main
status = main(sys.argv[1:])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(status)
"""

ENGINES = {
    "local": "",
    "ray, states gathered": 'name = "ray"\npartitioned-finish = false\n',
    "ray, partitioned finish": 'name = "ray"\npartitioned-finish = true\n',
}


def measure(folder: Path, engine: str, select: str, jobs: int) -> tuple[float, int]:
    """Seconds and the driver's peak RSS in bytes of one run on ``folder``."""
    settings = folder / "ftlint.toml"
    settings.write_text(f"cache = false\n[engine]\n{engine}" if engine else "cache = false\n")
    command = [sys.executable, "-c", _MEASURED, "check", str(folder), "--select", select]
    command += ["--jobs", str(jobs), "--exit-zero", "--no-progress", "--output-format", "jsonl"]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
        )
    finally:
        settings.unlink()
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, int(done.stderr.split()[-1]) * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+", help="generated datasets, small first")
    parser.add_argument("--select", default=RULES, help=f"rules (default: {RULES})")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print("| data | engine | seconds | driver peak RSS |")
    print("|---|---|---:|---:|")
    for folder in args.folders:
        size = sum(p.stat().st_size for p in folder.glob("*.jsonl"))
        for name, engine in ENGINES.items():
            seconds, peak = measure(folder, engine, args.select, args.jobs)
            print(f"| {size / 1e6:,.0f} MB | {name} | {seconds:.1f} | {peak / 1e6:,.0f} MB |")


if __name__ == "__main__":
    main()
