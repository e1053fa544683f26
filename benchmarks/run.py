"""Benchmark ftlint against the naive baseline on a generated dataset.

Runs, on a folder written by ``benchmarks/generate.py`` (its ``.truth/truth.json``
holds the seeded flaws):

1. ftlint with the default dataset rules as the issue that set the targets
   names them (structure, prompt format, tokens, exact duplicates, leakage),
   cold (``--no-cache``); ``--select`` measures another selection;
2. the same with near-duplicates (``--extend-select D002,L002``);
3. a warm re-run: the cache filled by a first run, then one record appended
   to ``valid.jsonl`` (removed afterwards), then the timed run;
4. the naive baseline (``benchmarks/baseline.py``);
5. with ``--fix``: run 1 with ``--fix`` (the safe fixes written, the
   quarantine filled) on a fresh copy of the splits, next to one sequential
   rewrite (a copy) of the files it changed: fixing should cost at most a
   check plus that rewrite.

With ``--repeat N`` each is run N times and the median wall time counts
(the runs' times are listed under the table). For each it prints wall
time, MB/s (10^6 bytes of input a second),
records/s, peak RSS (the sum over the process and its children, sampled
every 100 ms), and recall and precision of each seeded kind of flaw against
the ground truth. A near-duplicate finding that is not seeded still counts
as correct when the true Jaccard similarity of the record and its related
record reaches the threshold. Usage::

    python benchmarks/generate.py benchmarks/data/1g --size 1GB
    python benchmarks/run.py benchmarks/data/1g --repeat 3
    python benchmarks/run.py benchmarks/data/150m --fix --skip-near --skip-warm --skip-baseline
"""

from __future__ import annotations

import argparse
import compileall
import filecmp
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from generate import jaccard, truth_file

SPLITS = ("train.jsonl", "valid.jsonl", "test.jsonl")
#: Structure, prompt format, tokens, exact duplicates and leakage (L004 is
#: idle without ``--reference``); near-duplicates (D002, L002) come next.
DEFAULT_RULES = "S,P,T,D001,L001,L003,L004"
NEAR_RULES = "D002,L002"

#: Which findings detect which seeded flaw: code -> the kinds it should find.
EXPECTED = {
    "D001": ("exact",),
    "D002": ("near",),
    "L001": ("leak-exact",),
    "L002": ("leak-near",),
    "L003": ("leak-prompt", "leak-near-same-prompt"),
}


@dataclass
class Measure:
    name: str
    seconds: float
    peak_rss: int
    findings: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    #: Every run's seconds when the run was repeated (``seconds`` is their median).
    runs: list[float] = field(default_factory=list)


#: Seconds between two samples of the memory of the process tree. Sampling
#: costs CPU (psutil walks /proc for the children): every 20 ms it took 8% of
#: a core, which slowed the two-core runs it measured; every 100 ms, under 2%.
SAMPLE_SECONDS = 0.1


def run_measured(command: Sequence[str], cwd: Path) -> tuple[float, int]:
    """Run ``command``; its wall time and the peak of the summed RSS of its process tree."""
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed with exit status {process.returncode}")
    return seconds, peak


def ftlint_command(folder: Path, output: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "ftlint", "check", str(folder), "--output-format", "jsonl",
        "--output", str(output), "--exit-zero", "--no-progress", *extra,
    ]  # fmt: skip


def read_findings(path: Path) -> list[dict[str, Any]]:
    findings = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        if "location" in raw:  # ftlint's JSON Lines
            related = raw["related"][0]["location"] if raw["related"] else None
            raw = {
                "code": raw["code"],
                "path": Path(raw["location"]["path"]).name,
                "line": raw["location"]["line"],
                "related": (Path(related["path"]).name, related["line"]) if related else None,
            }
        elif raw.get("related") is not None:
            raw["related"] = ("train.jsonl", raw["related"])
        findings.append(raw)
    return findings


class Truth:
    """The seeded flaws, and the records of the dataset by line on demand."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        document = json.loads(truth_file(folder).read_text(encoding="utf-8"))
        self.threshold = float(document["threshold"])
        self.kinds: dict[str, set[tuple[str, int]]] = {}
        for where, flaw in document["flaws"].items():
            name, line = where.rsplit(":", 1)
            kind = flaw["kind"]
            self.kinds.setdefault(kind, set()).add((name, int(line)))
            if kind == "leak-near" and flaw.get("same_prompt"):
                self.kinds.setdefault("leak-near-same-prompt", set()).add((name, int(line)))
        self._lines: dict[str, list[int]] = {}

    def record(self, name: str, line: int) -> dict[str, Any]:
        offsets = self._lines.get(name)
        if offsets is None:
            offsets = [0]
            with (self.folder / name).open("rb") as stream:
                for text in stream:
                    offsets.append(offsets[-1] + len(text))
            self._lines[name] = offsets
        with (self.folder / name).open("rb") as stream:
            stream.seek(offsets[line - 1])
            value: dict[str, Any] = json.loads(stream.readline())
        return value

    def score(self, findings: list[dict[str, Any]], code: str) -> tuple[float, float, int]:
        """Recall and precision of ``code``'s findings against the flaws it should find."""
        expected: set[tuple[str, int]] = set()
        for kind in EXPECTED[code]:
            expected |= self.kinds.get(kind, set())
        found = [f for f in findings if f["code"] == code]
        places = {(f["path"], f["line"]) for f in found}
        correct = sum(1 for f in found if self._correct(f, code, expected))
        recall = len(places & expected) / len(expected) if expected else 1.0
        precision = correct / len(found) if found else 1.0
        return recall, precision, len(found)

    def _correct(self, finding: dict[str, Any], code: str, expected: set[tuple[str, int]]) -> bool:
        if (finding["path"], finding["line"]) in expected:
            return True
        if code in ("D002", "L002") and finding["related"]:
            here = self.record(finding["path"], finding["line"])
            there = self.record(*finding["related"])
            return jaccard(here, there) >= self.threshold
        return False


def dataset_size(folder: Path) -> tuple[int, int]:
    size = sum((folder / name).stat().st_size for name in SPLITS)
    with (folder / "train.jsonl").open("rb") as f:
        records = sum(1 for _ in f)
    for name in SPLITS[1:]:
        with (folder / name).open("rb") as f:
            records += sum(1 for _ in f)
    return size, records


def run_repeated(command: Sequence[str], cwd: Path, repeat: int) -> tuple[float, int, list[float]]:
    """:func:`run_measured` ``repeat`` times: the median wall time, the
    highest peak RSS, and every run's wall time."""
    results = [run_measured(command, cwd) for _ in range(max(repeat, 1))]
    runs = [seconds for seconds, _ in results]
    return statistics.median(runs), max(peak for _, peak in results), runs


def ftlint_run(
    name: str, folder: Path, work: Path, truth: Truth, *extra: str, repeat: int = 1
) -> Measure:
    output = work / f"{name}.jsonl"
    seconds, peak, runs = run_repeated(ftlint_command(folder, output, *extra), work, repeat)
    measure = Measure(name, seconds, peak, read_findings(output), runs=runs)
    for code in EXPECTED:
        if any(f["code"] == code for f in measure.findings) or code in ("D001", "L001", "L003"):
            measure.scores[code] = truth.score(measure.findings, code)
    return measure


def warm_run(folder: Path, work: Path, jobs: list[str], select: str, repeat: int = 1) -> Measure:
    """Fill the cache, append a record to valid.jsonl, time the re-run, restore."""
    cache = work / "cache"
    extra = ["--select", select, "--config", str(work / "ftlint.toml"), *jobs]
    (work / "ftlint.toml").write_text(f'cache-dir = "{cache}"\n', encoding="utf-8")
    subprocess.run(ftlint_command(folder, work / "fill.jsonl", *extra), cwd=work, check=False)
    valid = folder / "valid.jsonl"
    original = valid.read_bytes()
    try:
        line = original.split(b"\n", 1)[0].replace(b'"content": "', b'"content": "Edited. ', 1)
        valid.write_bytes(original + line + b"\n")
        seconds, peak, runs = run_repeated(
            ftlint_command(folder, work / "warm.jsonl", *extra), work, repeat
        )
    finally:
        valid.write_bytes(original)
    return Measure("warm re-run after editing valid.jsonl", seconds, peak, runs=runs)


def baseline_run(folder: Path, work: Path, truth: Truth, repeat: int = 1) -> Measure:
    output = work / "baseline.jsonl"
    script = Path(__file__).parent / "baseline.py"
    command = [sys.executable, str(script), str(folder), str(output)]
    seconds, peak, runs = run_repeated(command, work, repeat)
    measure = Measure(
        "naive baseline (json + tiktoken + set)", seconds, peak, read_findings(output), runs=runs
    )
    for code in ("D001", "L001"):
        measure.scores[code] = truth.score(measure.findings, code)
    return measure


def fix_run(folder: Path, work: Path, extra: Sequence[str], repeat: int = 1) -> tuple[Measure, str]:
    """Time ``--fix`` with ``extra`` on a fresh copy of the splits (a new copy
    each repeat: a second fix has nothing to do), and one sequential rewrite
    of the files it changed, as the measure and a line that compares them."""
    copy, results = work / "fix-data", []
    for _ in range(max(repeat, 1)):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(work / ".ftlint", ignore_errors=True)  # the quarantine of the last one
        copy.mkdir()
        for name in SPLITS:
            shutil.copyfile(folder / name, copy / name)
        output = work / "fix.jsonl"
        results.append(run_measured(ftlint_command(copy, output, "--fix", *extra), work))
    runs = [seconds for seconds, _ in results]
    measure = Measure("ftlint, default rules, --fix", statistics.median(runs), 0, runs=runs)
    measure.peak_rss = max(peak for _, peak in results)
    changed = [name for name in SPLITS if not filecmp.cmp(folder / name, copy / name, False)]
    started = time.perf_counter()
    for name in changed:
        shutil.copyfile(copy / name, work / "rewrite")
    rewrite = time.perf_counter() - started
    written = sum((copy / name).stat().st_size for name in changed)
    kept = sum(1 for path in (work / ".ftlint").rglob("*.jsonl") for _ in path.open("rb"))
    line = (
        f"--fix changed {', '.join(changed) or 'nothing'} ({written / 1e6:,.0f} MB) and "
        f"quarantined {kept:,} records; one sequential copy of those files takes {rewrite:.1f} s"
    )
    return measure, line


#: The 1-minute load average when the benchmark started (before any run).
LOAD_BEFORE = os.getloadavg()[0]


def report(measures: list[Measure], size: int, records: int, command: str) -> str:
    lines = [
        f"Dataset: {size / 1e6:,.0f} MB, {records:,} records (train/valid/test). "
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average before the runs {LOAD_BEFORE:.2f}.",
        f"Command: `{command}`",
        "",
        "| run | seconds | MB/s | records/s | peak RSS | recall / precision |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        scores = ", ".join(f"{code} {r:.3f} / {p:.3f}" for code, (r, p, _) in m.scores.items())
        lines.append(
            f"| {m.name} | {m.seconds:.1f} | {size / 1e6 / m.seconds:,.1f} | "
            f"{records / m.seconds:,.0f} | {m.peak_rss / 2**20:,.0f} MB | {scores or '-'} |"
        )
    repeated = [m for m in measures if len(m.runs) > 1]
    if repeated:
        lines.append("")
        lines.append(f"Seconds are the median of {len(repeated[0].runs)} runs:")
        lines += [f"- {m.name}: {', '.join(f'{s:.1f}' for s in m.runs)}" for m in repeated]
    return "\n".join(lines)


def compile_ftlint() -> None:
    """Compile ftlint's bytecode, as installing a package does. An editable
    install under ``PYTHONDONTWRITEBYTECODE`` (set on some machines) would
    otherwise compile every module at every start: 0.2 s a run that no
    installed ftlint spends."""
    import ftlint
    import ftlint_rules

    for package in (ftlint, ftlint_rules):
        compileall.compile_dir(package.__path__[0], quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", help="ftlint --jobs (default: every core)")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--skip-near", action="store_true")
    parser.add_argument(
        "--select", default=DEFAULT_RULES, help=f"the rules of run 1 (default: {DEFAULT_RULES})"
    )
    parser.add_argument("--skip-warm", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each measure N times; report the median"
    )
    parser.add_argument("--fix", action="store_true", help="also time run 1 with --fix")
    args = parser.parse_args()
    compile_ftlint()
    folder = args.folder.resolve()
    jobs = ["--jobs", args.jobs] if args.jobs else []
    size, records = dataset_size(folder)
    truth = Truth(folder)
    command = " ".join(["python benchmarks/run.py", str(args.folder), *sys.argv[2:]])
    work = Path(tempfile.mkdtemp(prefix="ftlint-bench-"))
    try:
        measures = [
            ftlint_run(
                "ftlint, default rules",
                folder,
                work,
                truth,
                "--select",
                args.select,
                "--no-cache",
                *jobs,
                repeat=args.repeat,
            )
        ]
        print(report(measures, size, records, command), flush=True)
        if not args.skip_near:
            measures.append(
                ftlint_run(
                    "ftlint, with near-duplicates",
                    folder,
                    work,
                    truth,
                    "--select",
                    args.select,
                    "--extend-select",
                    NEAR_RULES,
                    "--no-cache",
                    *jobs,
                    repeat=args.repeat,
                )
            )
        if not args.skip_warm:
            measures.append(warm_run(folder, work, jobs, args.select, args.repeat))
        if not args.skip_baseline:
            measures.append(baseline_run(folder, work, truth, args.repeat))
        fixed = ""
        if args.fix:
            extra = ["--select", args.select, "--no-cache", *jobs]
            fixing, fixed = fix_run(folder, work, extra, args.repeat)
            measures.append(fixing)
        print()
        print(report(measures, size, records, command))
        if fixed:
            print(f"\n{fixed}; a check took {measures[0].seconds:.1f} s.")
        default, baseline = measures[0], measures[-1 - bool(args.fix)]
        if not args.skip_baseline:
            print(f"\nftlint default rules vs baseline: {baseline.seconds / default.seconds:.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
