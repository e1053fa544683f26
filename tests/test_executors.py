"""Executors: any executor that lints the units and merges them in file order
(in any grouping, completing them in any order) gives the local executor's
output; the seam's errors name what went wrong."""

from __future__ import annotations

import json
import pickle
import random
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, cast

import pytest
from pydantic import Field

import ftlint
import ftlint.run.registry
from ftlint.api import (
    DatasetFile,
    Executor,
    ExecutorOptions,
    FileOutcome,
    Finding,
    Job,
    PlanMismatchError,
    Progress,
    Unit,
    hookimpl,
    merge_in_order,
    number,
)
from ftlint.core.records import Split
from ftlint.run import engine
from ftlint.run.executors import local
from ftlint.run.registry import load_plugins
from ftlint.run.selection import Selection
from ftlint.settings.schema import Settings, SettingsError
from ftlint.testing.datasets import write_mixed_dataset
from ftlint.testing.executors import CRASH_LINE, CrashingPlugin

from .conftest import RunCli

T = TypeVar("T")


class ShuffledOptions(ExecutorOptions):
    seed: int = Field(default=7)
    #: Finish the rules that can by this many partitions; 0: not at all.
    partitions: int = Field(default=0)


def _round_trip(value: T) -> T:
    return cast(T, pickle.loads(pickle.dumps(value)))


class ShuffledExecutor(Executor):
    """Lints the units of all files in a random order, each through a pickled
    job and with its outcome pickled back, as a remote executor would; then
    merges each file's units pairwise first and the rest from the right.
    With ``partitions``, keeps the states of the rules that can finish by
    partitions and finishes them so."""

    name = "shuffled"
    Options = ShuffledOptions

    def __init__(self, options: ExecutorOptions, jobs: int | None) -> None:
        super().__init__(options, jobs)
        self.kept: dict[str, FileOutcome] = {}

    def finishes(self, job: Job) -> list[str]:
        return job.partitioned() if self.options.partitions else []

    def finish(self, job: Job, datasets: Sequence[Sequence[DatasetFile]]) -> Iterator[Finding]:
        parts = self.options.partitions
        remote: Job = _round_trip(job)
        for files in datasets:
            for code in self.finishes(job):
                pieces = [
                    _round_trip(remote.emit(code, files, i, self.kept[f.display], parts))
                    for i, f in enumerate(files)
                ]
                found = [
                    _round_trip(remote.pairs(code, [p[part] for p in pieces]))
                    for part in reversed(range(parts))
                ]
                if job.verifies(code):
                    found = [
                        _round_trip(
                            remote.verify_pairs(
                                code,
                                pairs,
                                self.kept[files[earlier].display],
                                self.kept[files[later].display],
                            )
                        )
                        for earlier, later, pairs in job.batches(code, files, found)
                    ]
                yield from job.finish_pairs(code, files, found)

    def lint(
        self, job: Job, files: Sequence[Sequence[Unit]], progress: Progress
    ) -> Iterator[FileOutcome]:
        remote: Job = pickle.loads(pickle.dumps(job))
        numbered = [list(number(us, [remote.count(u) for u in us[:-1]])) for us in files]
        order = [(f, i) for f, us in enumerate(numbered) for i in range(len(us))]
        random.Random(self.options.seed).shuffle(order)
        results: dict[tuple[int, int], FileOutcome] = {}
        for f, i in order:
            results[f, i] = pickle.loads(pickle.dumps(remote.lint(numbered[f][i])))
            progress.add(numbered[f][i].size, 0)
        for f, units in enumerate(numbered):
            parts = [results[f, i] for i in range(len(units))]
            pairs = [
                remote.merge(*parts[i : i + 2]) if i + 1 < len(parts) else parts[i]
                for i in range(0, len(parts), 2)
            ]
            merged = pairs[-1]
            for earlier in reversed(pairs[:-1]):
                merged = remote.merge(earlier, merged)
            progress.add(0, merged.records)  # records are known once merged, as for Ray
            if self.finishes(job):
                self.kept[merged.file.display] = merged
                merged = job.strip(merged)
            yield merged


class ShuffledPlugin:
    @staticmethod
    @hookimpl
    def ftlint_executors() -> Sequence[type[Executor]]:
        return [ShuffledExecutor]


@pytest.fixture
def shuffled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every plugin load (the command line's included) register the
    shuffled executor."""
    original = ftlint.run.registry.load_plugins

    def load(*, strict: bool = False, extra: Sequence[Any] = ()) -> Any:
        return original(strict=strict, extra=[*extra, ShuffledPlugin])

    monkeypatch.setattr("ftlint.cli.main.load_plugins", load)


def _json(run_cli: RunCli, root: Path, *options: str) -> str:
    """The JSON report, byte for byte but for the time the run took."""
    status, out, err = run_cli(
        "check", "data", "--select", "ALL", "--output-format", "json", *options, cwd=root
    )
    assert status == 1, err
    return re.sub(r'"seconds": [0-9.e-]+', '"seconds": 0', out)


def test_an_executor_completing_units_out_of_order_gives_the_local_output(
    run_cli: RunCli, tmp_path: Path, shuffled: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "PARALLEL_MIN_BYTES", 0)
    write_mixed_dataset(tmp_path)
    (tmp_path / "ftlint.toml").write_text("cache = false\nshard-size = 4000\n")
    expected = _json(run_cli, tmp_path, "-j", "2")
    assert _json(run_cli, tmp_path, "--engine", "shuffled") == expected
    for partitions in (1, 3):
        (tmp_path / "ftlint.toml").write_text(
            'cache = false\nshard-size = 4000\n[engine]\nname = "shuffled"\nseed = 3\n'
            f"partitions = {partitions}\n"
        )
        assert _json(run_cli, tmp_path) == expected
    findings = json.loads(expected)["findings"]
    assert {"D001", "D002", "D003", "L001", "L002", "L003", "S001"} <= {f["code"] for f in findings}


def test_the_partitioned_finish_agrees_across_shard_files_and_template_text(
    run_cli: RunCli, tmp_path: Path, shuffled: None
) -> None:
    write_mixed_dataset(tmp_path, train_records=400, train_files=3)
    (tmp_path / "ftlint.toml").write_text("cache = false\nshard-size = 4000\n")
    expected = _json(run_cli, tmp_path, "-j", "1")
    findings = json.loads(expected)["findings"]
    pairs = {
        (f["code"], f["location"]["path"], f["related"][0]["location"]["path"])
        for f in findings
        if f["code"] in ("D001", "D002")
    }
    assert ("D002", "data/notes.jsonl", "data/notes.jsonl") in pairs
    last, first = "data/train-00002-of-00003.jsonl", "data/train-00000-of-00003.jsonl"
    assert {("D001", last, first), ("D002", last, first)} <= pairs  # across shard files
    (tmp_path / "ftlint.toml").write_text(
        'cache = false\nshard-size = 4000\n[engine]\nname = "shuffled"\npartitions = 4\n'
    )
    assert _json(run_cli, tmp_path) == expected


def test_an_executor_reporting_on_the_driver_brings_the_progress_to_the_end(
    tmp_path: Path,
) -> None:
    data = write_mixed_dataset(tmp_path)
    settings = Settings.model_validate(
        {"root": tmp_path, "cache": False, "shard-size": 4000, "engine": "shuffled"}
    )
    registry = load_plugins(extra=[ShuffledPlugin])
    run = engine.Engine(registry, settings, Selection.resolve(registry, settings).enabled)
    calls: list[tuple[int, int, int]] = []
    result = run.run([data], lambda *args: calls.append(args))
    total = sum(path.stat().st_size for path in data.iterdir() if path.suffix == ".jsonl")
    assert result.records > 0
    assert calls[-1] == (total, total, result.records)


def test_the_command_line_engine_leaves_the_settings_engine_options_behind(
    run_cli: RunCli, tmp_path: Path, shuffled: None
) -> None:
    write_mixed_dataset(tmp_path, train_records=5)
    (tmp_path / "ftlint.toml").write_text('cache = false\n[engine]\nname = "shuffled"\nseed = 3\n')
    status, _, err = run_cli("check", "data", "--engine", "local", cwd=tmp_path)
    assert status == 1, err  # the shuffled engine's seed is no option of the local one
    assert "engine.seed" not in err


def test_an_unknown_engine_is_a_settings_error(run_cli: RunCli, tmp_path: Path) -> None:
    write_mixed_dataset(tmp_path, train_records=5)
    status, _, err = run_cli("check", "data", "--engine", "warp", cwd=tmp_path)
    assert status == 2
    assert "unknown engine 'warp'; choose from local" in err  # (and ray, when installed)


def test_an_unknown_engine_option_names_the_key(
    run_cli: RunCli, tmp_path: Path, shuffled: None
) -> None:
    write_mixed_dataset(tmp_path, train_records=5)
    (tmp_path / "pyproject.toml").write_text('[tool.ftlint.engine]\nname = "shuffled"\nseeds = 3\n')
    status, _, err = run_cli("check", "data", cwd=tmp_path)
    assert status == 2
    assert "unknown key 'tool.ftlint.engine.seeds'" in err


def test_a_unit_that_fails_exits_2_naming_the_unit(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_crashing_plugin(monkeypatch)
    line = '{"text": "fine"}\n'
    (tmp_path / "train.jsonl").write_text(line * 400)
    (tmp_path / "ftlint.toml").write_text("cache = false\nshard-size = 1000\n")
    status, _, err = run_cli("check", "train.jsonl", "--select", "ZZ097", cwd=tmp_path)
    assert status == 2
    named = re.search(r"train\.jsonl part \d+ \(bytes ([\d,]+)-([\d,]+), from line (\d+)\)", err)
    assert named is not None, err
    start, end, first_line = (int(group.replace(",", "")) for group in named.groups())
    assert start < end
    assert first_line == start // len(line) + 1
    assert err.endswith("linting failed: RuntimeError: cannot start\n")


def test_a_rule_that_raises_in_a_unit_names_its_absolute_line(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_crashing_plugin(monkeypatch)
    (tmp_path / "train.jsonl").write_text('{"text": "fine"}\n' * 400)
    (tmp_path / "ftlint.toml").write_text("cache = false\nshard-size = 1000\n")
    status, _, err = run_cli("check", "train.jsonl", "--select", "ZZ098", cwd=tmp_path)
    assert status == 2
    assert f"train.jsonl:{CRASH_LINE}: rule ZZ098" in err
    assert f"failed in check: RuntimeError: line {CRASH_LINE}" in err


def _with_crashing_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    original = ftlint.run.registry.load_plugins
    monkeypatch.setattr(
        "ftlint.cli.main.load_plugins",
        lambda strict=False, extra=(): original(strict=strict, extra=[*extra, CrashingPlugin]),
    )


def test_a_worker_refuses_a_plan_from_another_ftlint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "train.jsonl"
    path.write_text('{"text": "hello"}\n')
    plan = engine.RulePlan.build(load_plugins(), Settings(), {"S002"})
    sent = pickle.dumps(engine.LintJob(plan))
    unit = Unit(DatasetFile(path, "train.jsonl", Split.TRAIN, ".", path.stat().st_size))
    assert pickle.loads(sent).lint(unit).records == 1

    monkeypatch.setattr(engine._version, "__version__", "99.0")  # the worker's ftlint
    with pytest.raises(PlanMismatchError) as refused:
        pickle.loads(sent).lint(unit)
    message = str(refused.value)
    assert "refuses the plan" in message
    assert f"driver: ftlint {ftlint.__version__}; this worker: ftlint 99.0" in message


def test_the_engine_setting_takes_a_name_or_a_table() -> None:
    assert Settings.model_validate({"engine": "ray"}).engine.name == "ray"
    table = Settings.model_validate({"engine": {"name": "ray", "address": "auto"}}).engine
    assert (table.name, table.options) == ("ray", {"address": "auto"})
    assert Settings().engine.name == "local"
    with pytest.raises(SettingsError, match="unknown engine 'warp'"):
        engine.Engine(load_plugins(), Settings(engine="warp"), set())  # type: ignore[arg-type]


@pytest.mark.parametrize("parts", range(1, 18))
def test_merge_in_order_is_a_left_fold(parts: int) -> None:
    words = [f"{n}," for n in range(parts)]
    merges: list[tuple[str, str]] = []

    def concatenate(earlier: str, later: str) -> str:
        merges.append((earlier, later))
        return earlier + later

    assert merge_in_order(concatenate, iter(words)) == "".join(words)
    assert len(merges) == parts - 1


def test_merge_in_order_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match="nothing to merge"):
        merge_in_order(lambda a, b: a + b, [])


def test_a_unit_error_survives_pickling(tmp_path: Path) -> None:
    from ftlint.api import UnitError

    unit = Unit(DatasetFile(tmp_path / "a.jsonl", "a.jsonl", None, ".", 100), 2, 10, 50, 7)
    error = pickle.loads(pickle.dumps(UnitError(unit, "worker died")))
    assert str(error) == "a.jsonl part 2 (bytes 10-50, from line 7): linting failed: worker died"
    assert error.unit == unit


def test_the_exact_key_rules_finish_by_partitions_and_their_states_stay_out(
    tmp_path: Path,
) -> None:
    registry, settings = load_plugins(), Settings(select=["D", "L001", "L003"])
    plan = engine.RulePlan.build(registry, settings, Selection.resolve(registry, settings).enabled)
    job = engine.LintJob(plan)
    assert sorted(job.partitioned()) == ["D001", "D002", "D003", "L001"]
    path = write_mixed_dataset(tmp_path, train_records=20) / "train.jsonl"
    outcome = job.lint(Unit(DatasetFile(path, "train.jsonl", Split.TRAIN, ".", 1)))
    # L003 finishes with every state; D001/L001's, D002's and D003's stay in the workers.
    assert sorted(job.strip(outcome).states) == ["L003"]
    assert sorted(outcome.states) == ["D001", "D002", "D003", "L003"]


def test_two_plugins_claiming_one_engine_fail_naming_it() -> None:
    class Impostor(ShuffledExecutor):
        pass

    class ImpostorPlugin:
        @staticmethod
        @hookimpl
        def ftlint_executors() -> Sequence[type[Executor]]:
            return [Impostor]

    with pytest.raises(ftlint.run.registry.PluginError, match="engine 'shuffled' from plugin"):
        load_plugins(extra=[ShuffledPlugin, ImpostorPlugin])
