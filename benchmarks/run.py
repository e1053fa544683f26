"""Benchmark the command users type, ``ftlint check DIR``, on a generated dataset.

Runs, on a folder written by ``benchmarks/generate.py`` (its ``.truth/truth.json``
holds the seeded flaws):

1. the default command, ``ftlint check DIR`` with nothing selected (the rules
   enabled by default), cold (``--no-cache``); ``--select SEL`` measures
   ``ftlint check DIR --select SEL`` instead, reported under that name;
2. run 1's command with near-duplicates (``--extend-select D002,L002``);
3. a warm re-run of run 1's command: the cache filled by a first run, then
   before each timed run a different record appended to ``valid.jsonl``
   (removed afterwards), so that each timed run reads it anew;
4. the naive baseline (``benchmarks/baseline.py``);
5. with ``--fix``: run 1's command with ``--fix`` (the safe fixes written,
   the quarantine filled) on a fresh copy of the splits, next to one
   sequential rewrite (a copy) of the files it changed: fixing should cost
   at most a check plus that rewrite.

A run is named after the command a user would type; every ftlint run also
has the flags that write its findings to a file for scoring
(:data:`OUTPUT_FLAGS`), and ``--jobs`` when given.

The report states the date (UTC), the 1-minute load average before the
first run, the cores and the Python version. With ``--repeat N`` each run is
made N times and the median wall time counts; every run's seconds are
listed under the table. For each run it prints wall time, MB/s (10^6 bytes
of input a second), records/s, peak RSS (in 10^6 bytes: the sum over the
process and its children, sampled every 100 ms), and recall and precision
of each seeded kind of flaw against the ground truth. A near-duplicate
finding that is not seeded still counts as correct when the true Jaccard
similarity of the record and its related record reaches the threshold.
Then, for the default command, the targets of issue 13 that this invocation
measured, with the value measured and whether it is met; they are the
default command's, so none is shown for a ``--select``. Usage::

    python benchmarks/generate.py benchmarks/data/1g --size 1GB
    python benchmarks/run.py benchmarks/data/1g --repeat 3
    python benchmarks/run.py benchmarks/data/1g --select S,P,T,D001,L001,L003,L004
    python benchmarks/run.py benchmarks/data/150m --fix --skip-near --skip-warm --skip-baseline

``benchmarks/scaling.py`` measures the time per record across sizes with
the functions of this module.
"""

from __future__ import annotations

import argparse
import compileall
import filecmp
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from generate import format_size, jaccard, truth_file

SPLITS = ("train.jsonl", "valid.jsonl", "test.jsonl")
NEAR_RULES = "D002,L002"
#: What every ftlint run adds to the command it is named after (with
#: ``--output FILE``): its findings as JSON Lines in a file, for scoring, no
#: progress bar, and exit status 0 whatever it finds.
OUTPUT_FLAGS = ("--output-format", "jsonl", "--exit-zero", "--no-progress")
MB = 10**6

#: Issue 13's targets, for the default command on a 2-core machine, this
#: data and ``--no-cache``: MB/s and peak RSS, without and with
#: near-duplicates; how many times faster than the baseline; the seconds of
#: the warm re-run.
DEFAULT_MB_PER_S, DEFAULT_PEAK_RSS = 40, 500 * MB
NEAR_MB_PER_S, NEAR_PEAK_RSS = 25, 1500 * MB
BASELINE_SPEEDUP = 6
WARM_SECONDS = 2

#: Which findings detect which seeded flaw: code -> the kinds it should find.
EXPECTED = {
    "D001": ("exact",),
    "D002": ("near",),
    "L001": ("leak-exact",),
    "L002": ("leak-near",),
    "L003": ("leak-prompt", "leak-near-same-prompt"),
}


@dataclass(frozen=True)
class Check:
    """An ``ftlint check DIR`` command as a user types it: the default rules,
    or ``--select`` rules, and further arguments (the flags every benchmark
    run adds are not part of it)."""

    select: str | None = None
    extra: tuple[str, ...] = ()

    def arguments(self) -> list[str]:
        return [*(["--select", self.select] if self.select else []), *self.extra]

    def extended(self, *arguments: str) -> Check:
        """This command with ``arguments`` added."""
        return replace(self, extra=(*self.extra, *arguments))

    @property
    def name(self) -> str:
        """The command line, which says "(default rules)" when it has no argument."""
        arguments = self.arguments()
        if not arguments:
            return "ftlint check DIR (default rules)"
        return " ".join(["ftlint check DIR", *arguments])


@dataclass
class Measure:
    name: str
    seconds: float
    peak_rss: int
    findings: list[dict[str, Any]] = field(default_factory=list)
    scores: dict[str, tuple[float, float, int]] = field(default_factory=dict)
    #: Every run's seconds (``seconds`` is their median).
    runs: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Machine:
    """When and where the runs were made: what a reader needs to weigh the times."""

    date: str
    load: float
    cores: int
    python: str

    @classmethod
    def now(cls) -> Machine:
        """The machine as it is now: take it just before the first run, for its load."""
        date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        return cls(date, os.getloadavg()[0], os.cpu_count() or 1, platform.python_version())

    def describe(self) -> str:
        return (
            f"Date: {self.date}. Machine: {self.cores} cores, Python {self.python}, "
            f"1-minute load average {self.load:.2f} before the first run."
        )


@dataclass(frozen=True)
class Target:
    """One row of issue 13's table of targets."""

    measure: str
    target: str
    measured: str
    met: bool


def target_table(targets: Sequence[Target]) -> list[str]:
    """The rows of issue 13's table for ``targets``, as Markdown lines."""
    lines = ["| measure | target | measured | met |", "|---|---|---|---|"]
    for t in targets:
        lines.append(f"| {t.measure} | {t.target} | {t.measured} | {'yes' if t.met else 'no'} |")
    return lines


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
        sys.executable, "-m", "ftlint", "check", str(folder), *OUTPUT_FLAGS,
        "--output", str(output), *extra,
    ]  # fmt: skip


def added_flags(jobs: Sequence[str]) -> str:
    """The flags that every ftlint run adds to the command it is named after."""
    return shlex.join([*OUTPUT_FLAGS, "--output", "FILE", *jobs])


def median_note(measures: Sequence[Measure]) -> str:
    """What the seconds of ``measures`` are, and every run's seconds."""
    count = len(measures[0].runs)
    lines = [
        f"Seconds are the median of {count} runs; every run's seconds:"
        if count > 1
        else "Seconds are of one run (--repeat N for the median of N):"
    ]
    lines += [f"- {m.name}: {', '.join(f'{s:.2f}' for s in m.runs)}" for m in measures]
    return "\n".join(lines)


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


def run_repeated(
    command: Sequence[str], cwd: Path, repeat: int, prepare: Callable[[int], None] | None = None
) -> tuple[float, int, list[float]]:
    """:func:`run_measured` ``repeat`` times, each after ``prepare(run)``
    (1-based; untimed) when given: the median wall time, the highest peak
    RSS, and every run's wall time."""
    results = []
    for run in range(1, max(repeat, 1) + 1):
        if prepare is not None:
            prepare(run)
        results.append(run_measured(command, cwd))
    runs = [seconds for seconds, _ in results]
    return statistics.median(runs), max(peak for _, peak in results), runs


def cold_run(check: Check, folder: Path, work: Path, jobs: Sequence[str], repeat: int) -> Measure:
    """Time ``check`` on ``folder`` without the cache (``--no-cache``); its findings are read."""
    output = work / "findings.jsonl"
    command = ftlint_command(folder, output, *check.arguments(), "--no-cache", *jobs)
    seconds, peak, runs = run_repeated(command, work, repeat)
    return Measure(check.name, seconds, peak, read_findings(output), runs=runs)


def scored(measure: Measure, truth: Truth) -> Measure:
    """``measure`` with the recall and precision of each rule that found something
    (and of the exact duplicate and leakage rules, which should)."""
    for code in EXPECTED:
        if any(f["code"] == code for f in measure.findings) or code in ("D001", "L001", "L003"):
            measure.scores[code] = truth.score(measure.findings, code)
    return measure


def warm_run(check: Check, folder: Path, work: Path, jobs: Sequence[str], repeat: int) -> Measure:
    """Fill the cache, then time the re-run of ``check`` after an edit of
    valid.jsonl: a record appended, a different one before each run, so that
    every run reads valid.jsonl anew and the cached states of the others.
    valid.jsonl is restored afterwards."""
    cache = work / "cache"
    extra = [*check.arguments(), "--config", str(work / "ftlint.toml"), *jobs]
    (work / "ftlint.toml").write_text(f'cache-dir = "{cache}"\n', encoding="utf-8")
    subprocess.run(ftlint_command(folder, work / "fill.jsonl", *extra), cwd=work, check=False)
    valid = folder / "valid.jsonl"
    original = valid.read_bytes()
    first = original.split(b"\n", 1)[0]

    def edit(run: int) -> None:
        edited = first.replace(b'"content": "', f'"content": "Edited ({run}). '.encode(), 1)
        valid.write_bytes(original + edited + b"\n")

    try:
        command = ftlint_command(folder, work / "warm.jsonl", *extra)
        seconds, peak, runs = run_repeated(command, work, repeat, edit)
    finally:
        valid.write_bytes(original)
    return Measure(f"{check.name}, warm re-run after editing valid.jsonl", seconds, peak, runs=runs)


def baseline_run(folder: Path, work: Path, truth: Truth, repeat: int) -> Measure:
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


def fix_run(
    check: Check, folder: Path, work: Path, jobs: Sequence[str], repeat: int
) -> tuple[Measure, str]:
    """Time ``check`` with ``--fix`` on a fresh copy of the splits (a new copy
    each repeat: a second fix has nothing to do), and one sequential rewrite
    of the files it changed, as the measure and a line that compares them."""
    fixing = check.extended("--fix")
    copy = work / "fix-data"

    def fresh_copy(run: int) -> None:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.rmtree(work / ".ftlint", ignore_errors=True)  # the quarantine of the last one
        copy.mkdir()
        for name in SPLITS:
            shutil.copyfile(folder / name, copy / name)

    command = ftlint_command(copy, work / "fix.jsonl", *fixing.arguments(), "--no-cache", *jobs)
    seconds, peak, runs = run_repeated(command, work, repeat, fresh_copy)
    measure = Measure(fixing.name, seconds, peak, runs=runs)
    changed = [name for name in SPLITS if not filecmp.cmp(folder / name, copy / name, False)]
    started = time.perf_counter()
    for name in changed:
        shutil.copyfile(copy / name, work / "rewrite")
    rewrite = time.perf_counter() - started
    written = sum((copy / name).stat().st_size for name in changed)
    kept = sum(1 for path in (work / ".ftlint").rglob("*.jsonl") for _ in path.open("rb"))
    line = (
        f"--fix changed {', '.join(changed) or 'nothing'} ({written / MB:,.0f} MB) and "
        f"quarantined {kept:,} records; one sequential copy of those files takes {rewrite:.1f} s"
    )
    return measure, line


@dataclass
class Results:
    """The measures of one invocation by what they measure (None when skipped)."""

    check: Check
    cold: Measure
    near: Measure | None = None
    warm: Measure | None = None
    baseline: Measure | None = None
    fix: Measure | None = None
    #: How ``--fix`` compares with a sequential rewrite of the files it changed.
    fix_note: str = ""

    def measures(self) -> list[Measure]:
        runs = (self.cold, self.near, self.warm, self.baseline, self.fix)
        return [m for m in runs if m is not None]


def throughput(measure: Measure, size: int) -> float:
    """MB of input a second."""
    return size / MB / measure.seconds


def throughput_target(
    name: str, measure: Measure, size: int, mb_per_s: float, peak_rss: int
) -> Target:
    rate = throughput(measure, size)
    return Target(
        name,
        f"≥ {mb_per_s:g} MB/s, peak RSS < {format_size(peak_rss)}",
        f"{rate:,.1f} MB/s ({measure.seconds:.1f} s), {measure.peak_rss / MB:,.0f} MB",
        rate >= mb_per_s and measure.peak_rss < peak_rss,
    )


def targets(results: Results, size: int) -> list[Target]:
    """Issue 13's targets that ``results`` measured. They are the default
    command's: a selection has none."""
    if results.check != Check():
        return []
    cold = results.cold
    rows = [
        throughput_target(
            "`ftlint check DIR`, default rules, nothing selected",
            cold,
            size,
            DEFAULT_MB_PER_S,
            DEFAULT_PEAK_RSS,
        )
    ]
    if results.near:
        rows.append(
            throughput_target(
                f"with `--extend-select {NEAR_RULES}`",
                results.near,
                size,
                NEAR_MB_PER_S,
                NEAR_PEAK_RSS,
            )
        )
    if results.baseline:
        speedup = results.baseline.seconds / cold.seconds
        rows.append(
            Target(
                "against the naive cookbook-style baseline, same data, same run",
                f"≥ {BASELINE_SPEEDUP}x faster (default command)",
                f"{speedup:.1f}x ({results.baseline.seconds:.1f} s / {cold.seconds:.1f} s)",
                speedup >= BASELINE_SPEEDUP,
            )
        )
    if results.warm:
        rows.append(
            Target(
                "warm re-run after editing the validation file",
                f"< {WARM_SECONDS} s",
                f"{results.warm.seconds:.2f} s",
                results.warm.seconds < WARM_SECONDS,
            )
        )
    return rows


def report(
    results: Results, size: int, records: int, machine: Machine, command: str, jobs: Sequence[str]
) -> str:
    measures = results.measures()
    lines = [
        machine.describe(),
        f"Dataset: {size / MB:,.1f} MB, {records:,} records (train/valid/test).",
        f"Command: `{command}`",
        f"Every ftlint run adds `{added_flags(jobs)}`; the cold runs `--no-cache`, "
        "the warm re-run `--config FILE` (its cache folder).",
        "",
        "| run | seconds | MB/s | records/s | peak RSS | recall / precision |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for m in measures:
        scores = ", ".join(f"{code} {r:.3f} / {p:.3f}" for code, (r, p, _) in m.scores.items())
        lines.append(
            f"| {m.name} | {m.seconds:.2f} | {throughput(m, size):,.1f} | "
            f"{records / m.seconds:,.0f} | {m.peak_rss / MB:,.0f} MB | {scores or '-'} |"
        )
    lines += ["", median_note(measures)]
    cold = results.cold
    if results.baseline:
        speedup = results.baseline.seconds / cold.seconds
        lines += ["", f"{cold.name} is {speedup:.1f}x faster than the naive baseline."]
    if results.fix_note:
        lines += ["", f"{results.fix_note}; {cold.name} took {cold.seconds:.1f} s."]
    rows = targets(results, size)
    lines.append("")
    if rows:
        lines.append("Targets (issue 13, set for the default command on 2 cores):")
        lines += ["", *target_table(rows)]
    else:
        lines.append("No target applies: issue 13 sets them for the default command (no --select).")
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
    parser.add_argument("folder", type=Path, help="a folder written by generate.py")
    parser.add_argument("--jobs", help="ftlint --jobs (default: every core)")
    parser.add_argument(
        "--select",
        help="measure `ftlint check DIR --select SEL` instead of the default command",
    )
    parser.add_argument("--skip-near", action="store_true")
    parser.add_argument("--skip-warm", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each measure N times; report the median"
    )
    parser.add_argument("--fix", action="store_true", help="also time run 1's command with --fix")
    args = parser.parse_args()
    compile_ftlint()
    folder = args.folder.resolve()
    check = Check(args.select)
    jobs = ["--jobs", args.jobs] if args.jobs else []
    size, records = dataset_size(folder)
    truth = Truth(folder)
    command = shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]])
    more = not (args.skip_near and args.skip_warm and args.skip_baseline and not args.fix)
    work = Path(tempfile.mkdtemp(prefix="ftlint-bench-"))
    try:
        machine = Machine.now()
        results = Results(check, scored(cold_run(check, folder, work, jobs, args.repeat), truth))
        if more:  # a long benchmark shows its first number early
            print(report(results, size, records, machine, command, jobs), end="\n\n", flush=True)
        if not args.skip_near:
            near = check.extended("--extend-select", NEAR_RULES)
            results.near = scored(cold_run(near, folder, work, jobs, args.repeat), truth)
        if not args.skip_warm:
            results.warm = warm_run(check, folder, work, jobs, args.repeat)
        if not args.skip_baseline:
            results.baseline = baseline_run(folder, work, truth, args.repeat)
        if args.fix:
            results.fix, results.fix_note = fix_run(check, folder, work, jobs, args.repeat)
        print(report(results, size, records, machine, command, jobs))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
