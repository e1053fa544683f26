"""``ftlint check --engine ray`` on a local Ray of 2 CPUs gives the local
executor's output byte for byte, and a task that fails stops the run naming
its unit. Skipped where Ray is not installed (``pip install
./plugins/ftlint-ray``; CI installs it)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from ftlint.cli.main import main
from ftlint.testing.datasets import write_mixed_dataset

ray = pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray for the module: 2 CPUs, loopback only, no dashboard, no
    usage statistics."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
            _node_ip_address="127.0.0.1",
        )
        yield
        ray.shutdown()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset with duplicates, near-duplicates and leaks, within and
    across three train files, and template text, cut into many small units
    (shard size 4,000 bytes: about 90 units)."""
    root = tmp_path_factory.mktemp("ray")
    write_mixed_dataset(root, train_files=3)
    return root


def _check(root: Path, engine: str, *options: str) -> tuple[int, str, str]:
    """``ftlint check data --output-format json`` in ``root`` with the
    ``[engine]`` table ``engine``: exit status, the JSON report (but for the
    time the run took) and stderr."""
    (root / "ftlint.toml").write_text(f"cache = false\nshard-size = 4000\n[engine]\n{engine}\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.chdir(root)
        status = main(["check", "data", "--output-format", "json", *options])
    return status, re.sub(r'"seconds": [0-9.e-]+', '"seconds": 0', out.getvalue()), err.getvalue()


@pytest.fixture(scope="module")
def local_output(dataset: Path) -> str:
    """The local executor's report on the dataset, every rule selected."""
    status, out, err = _check(dataset, 'name = "local"', "--select", "ALL")
    assert status == 1, err
    for code in ("D001", "D002", "D003", "L001", "L002", "L003", "S001"):
        assert f'"code": "{code}"' in out
    return out


def test_ray_without_the_partitioned_finish_gives_the_local_output_byte_for_byte(
    local_ray: None, dataset: Path, local_output: str
) -> None:
    engine = 'name = "ray"\npartitioned-finish = false'
    status, out, err = _check(dataset, engine, "--select", "ALL")
    assert status == 1, err
    assert out == local_output


def test_a_failing_task_exits_2_naming_its_unit(
    local_ray: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ftlint.run.registry
    from ftlint.testing.executors import CRASH_LINE, CrashingPlugin

    original = ftlint.run.registry.load_plugins
    monkeypatch.setattr(
        "ftlint.cli.main.load_plugins",
        lambda strict=False, extra=(): original(strict=strict, extra=[*extra, CrashingPlugin]),
    )
    root = tmp_path
    write_mixed_dataset(root)  # one train.jsonl, cut into units
    status, _, err = _check(root, 'name = "ray"', "--select", "ZZ097")
    assert status == 2
    named = re.search(r"data/\w+\.jsonl part (\d+) \(bytes ([\d,]+)-([\d,]+), from line", err)
    assert named is not None, err
    assert "linting failed: RuntimeError: cannot start" in err
    # A rule that raises on a record is isolated: one error naming the
    # record's absolute line, wherever its unit ran.
    status, _, err = _check(root, 'name = "ray"', "--select", "ZZ098")
    assert status == 2
    assert f"data/train.jsonl:{CRASH_LINE}: rule ZZ098" in err


def test_the_partitioned_finish_gives_the_same_output(
    local_ray: None, dataset: Path, local_output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ftlint.run.engine import LintJob

    finished: list[str] = []
    original = LintJob.finish_pairs

    def spy(job: LintJob, code: str, *args: Any) -> Any:
        finished.append(code)
        return original(job, code, *args)

    monkeypatch.setattr(LintJob, "finish_pairs", spy)
    for partitions in (1, 5):
        engine = f'name = "ray"\npartitioned-finish = true\npartitions = {partitions}'
        status, out, err = _check(dataset, engine, "--select", "ALL")
        assert status == 1, err
        assert out == local_output
    assert sorted(set(finished)) == ["D001", "D002", "D003", "L001", "L002"]
