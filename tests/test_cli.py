"""The command line end to end: exit codes, formats, settings, baselines, noqa."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import RunCli, write_jsonl

pytestmark = pytest.mark.usefixtures("fake_rules")


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    write_jsonl(tmp_path / "data.jsonl", [{"text": "loud"}, {"text": "fine"}, {"text": "quiet"}])
    return tmp_path


def test_findings_exit_1_with_concise_lines(run_cli: RunCli, dataset: Path) -> None:
    status, out, _ = run_cli(
        "check", ".", "--select", "ZZ", "--output-format", "concise", cwd=dataset
    )
    assert status == 1
    assert "data.jsonl:1:10: ZZ001 record is loud" in out
    assert "data.jsonl:3:10: ZZ002 record is quiet" in out


def test_fail_on_and_exit_zero(run_cli: RunCli, dataset: Path) -> None:
    assert run_cli("check", ".", "--select", "ZZ002", cwd=dataset)[0] == 0
    assert run_cli("check", ".", "--select", "ZZ002", "--fail-on", "info", cwd=dataset)[0] == 1
    assert run_cli("check", ".", "--select", "ZZ", "--exit-zero", cwd=dataset)[0] == 0


def test_select_by_name_and_ignore(run_cli: RunCli, dataset: Path) -> None:
    _, out, _ = run_cli(
        "check", ".", "--select", "loud-record,ZZ002", "--ignore", "ZZ002",
        "--output-format", "concise", cwd=dataset,
    )  # fmt: skip
    assert "ZZ001" in out
    assert "ZZ002" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--select", "Q999"], "unknown rule or prefix 'Q999'"),
        (["--output-format", "xml"], "unknown output format 'xml'"),
        (["--config", "missing.toml"], "settings file not found"),
    ],
)
def test_usage_errors_exit_2(run_cli: RunCli, dataset: Path, args: list[str], message: str) -> None:
    status, _, err = run_cli("check", ".", *args, cwd=dataset)
    assert status == 2
    assert message in err


def test_settings_error_exit_2_names_key_and_file(run_cli: RunCli, dataset: Path) -> None:
    (dataset / "ftlint.toml").write_text("colour = true\n")
    status, _, err = run_cli("check", ".", cwd=dataset)
    assert status == 2
    assert "ftlint.toml: unknown key 'colour'" in err


def test_missing_path_exit_2(run_cli: RunCli, dataset: Path) -> None:
    status, _, err = run_cli("check", "nope.jsonl", cwd=dataset)
    assert status == 2
    assert "nope.jsonl: no such file or folder" in err


def test_settings_file_severity_override_and_per_file_ignores(
    run_cli: RunCli, dataset: Path
) -> None:
    write_jsonl(dataset / "legacy" / "old.jsonl", [{"text": "loud"}])
    (dataset / "ftlint.toml").write_text(
        'select = ["ZZ"]\n[severity]\nquiet-record = "error"\n'
        '[per-file-ignores]\n"legacy/*" = ["ZZ001"]\n'
    )
    status, out, _ = run_cli("check", ".", "--output-format", "json", cwd=dataset)
    report = json.loads(out)
    found = {(f["location"]["path"], f["code"], f["severity"]) for f in report["findings"]}
    assert found == {("data.jsonl", "ZZ001", "error"), ("data.jsonl", "ZZ002", "error")}
    assert report["summary"]["suppressed"] == 1
    assert status == 1


def test_statistics(run_cli: RunCli, dataset: Path) -> None:
    _, out, _ = run_cli("check", ".", "--select", "ZZ", "--statistics", cwd=dataset)
    assert "ZZ001" in out
    assert "loud-record" in out


def test_output_file(run_cli: RunCli, dataset: Path) -> None:
    report = dataset / "report.json"
    status, out, _ = run_cli(
        "check", "data.jsonl", "--select", "ZZ", "--output-format", "json", "-o", report,
        cwd=dataset,
    )  # fmt: skip
    assert status == 1
    assert out == ""
    assert len(json.loads(report.read_text())["findings"]) == 2


def test_baseline_hides_known_findings_and_survives_inserted_lines(
    run_cli: RunCli, dataset: Path
) -> None:
    baseline = dataset / "baseline.json"
    assert (
        run_cli("check", ".", "--select", "ZZ", "--write-baseline", baseline, cwd=dataset)[0] == 0
    )
    write_jsonl(
        dataset / "data.jsonl",
        [{"text": "new"}, {"text": "loud"}, {"text": "fine"}, {"text": "loud"}],
    )
    status, out, _ = run_cli(
        "check", ".", "--select", "ZZ", "--baseline", baseline, "--output-format", "json",
        cwd=dataset,
    )  # fmt: skip
    report = json.loads(out)
    # The first "loud" record moved from line 1 to 2 and is still known; the
    # second copy is new; the "quiet" record was removed, so its entry is stale.
    assert [f["location"]["line"] for f in report["findings"]] == [4]
    assert report["summary"]["baseline_matched"] == 1
    assert report["summary"]["baseline_stale"] == 1
    assert status == 1


def test_noqa_comment_in_a_yaml_config(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "train.yaml"
    config.write_text(
        "base_model: x  # ftlint: noqa: ZZ003\n"
        "learning_rate: 2e-4  # ftlint: noqa: every-config-key\n"
        "epochs: 3  # ftlint: noqa: S005\n"
        "seed: 1  # ftlint: noqa\n"
    )
    _, out, _ = run_cli(
        "check", "train.yaml", "--select", "ZZ003", "--output-format", "concise", cwd=tmp_path
    )
    assert "train.yaml:3:1: ZZ003 key epochs" in out
    assert out.count("ZZ003") == 1


def test_broken_yaml_named_explicitly_is_an_error(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "train.yaml").write_text("learning_rate: [1, 2\nepochs: 3\n")
    status, _, err = run_cli("check", "train.yaml", "--select", "ZZ003", cwd=tmp_path)
    assert status == 2
    assert "train.yaml" in err


def test_pre_commit_reports_only_the_named_files(run_cli: RunCli, tmp_path: Path) -> None:
    write_jsonl(tmp_path / "train.jsonl", [{"text": "loud"}])
    write_jsonl(tmp_path / "test.jsonl", [{"text": "loud"}])
    _, out, _ = run_cli(
        "check", "test.jsonl", "--select", "ZZ001", "--output-format", "concise", cwd=tmp_path
    )
    assert "test.jsonl:1:10: ZZ001" in out
    assert "train.jsonl" not in out


def test_rules_listing_and_rule_docs(run_cli: RunCli) -> None:
    status, out, _ = run_cli("rules")
    assert status == 0
    assert "S005" in out
    assert "empty-content" in out
    by_code = run_cli("rule", "S005")[1]
    by_name = run_cli("rule", "empty-content")[1]
    assert by_code == by_name
    assert "## What it does" in by_code
    assert "## Example" in by_code
    status, _, err = run_cli("rule", "S999")
    assert status == 2
    assert "no rule 'S999'" in err


def test_jobs_do_not_change_the_output(run_cli: RunCli, tmp_path: Path) -> None:
    for name in ("a/train.jsonl", "a/test.jsonl", "b/x.jsonl", "c/y.jsonl"):
        write_jsonl(tmp_path / name, [{"text": "loud"}, {"text": "quiet"}] * 3)
    outputs = [
        run_cli(
            "check", ".", "--select", "ZZ", "--output-format", "json", "-j", jobs, cwd=tmp_path
        )[1]
        for jobs in ("1", "2")
    ]
    one, two = (json.loads(o) for o in outputs)
    assert one["findings"] == two["findings"]
    assert len(one["findings"]) == 24


def test_an_unreadable_file_exits_2_and_the_summary_says_so(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    write_jsonl(tmp_path / "fine.jsonl", [{"text": "fine"}])
    status, out, err = run_cli("check", ".", "--select", "ZZ", cwd=tmp_path)
    assert status == 2
    assert "1 file could not be read" in out
    assert "All checks passed" not in out
    assert "broken.jsonl.gz: corrupt gzip data" in err


def test_named_yaml_that_is_no_training_config_does_not_fail(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # What pre-commit passes on: a CI workflow and a template that does not parse.
    (tmp_path / "ci.yml").write_text("on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n")
    (tmp_path / "chart.yaml").write_text("name: {{ .Values.name }\n")
    status, out, err = run_cli(
        "check", "ci.yml", "chart.yaml", "--select", "K005", "--output-format", "concise",
        cwd=tmp_path,
    )  # fmt: skip
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "ci.yml:1:1: K005 this file has no training keys, not a training config; "
        "the config rules do not check it",
        "Found 1 finding.",
    ]


def test_named_training_config_of_no_known_framework_is_k005(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "train.yaml").write_text("model: my-model\nlr: 0.001\n")
    status, out, _ = run_cli(
        "check", "train.yaml", "--select", "K005", "--output-format", "concise", cwd=tmp_path
    )
    assert status == 1
    assert "train.yaml:1:1: K005" in out


def test_a_folder_run_counts_the_yaml_files_it_skips(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "train.jsonl").write_text('{"text": "hello"}\n')
    (tmp_path / "ci.yml").write_text("on: [push]\n")
    (tmp_path / "chart.yaml").write_text("name: {{ .Values.name }\n")
    status, out, err = run_cli("check", ".", "--select", "K", cwd=tmp_path)
    assert (status, err) == (0, "")
    assert "2 YAML or JSON files found but not linted as a config" in out
    status, out, err = run_cli("check", ".", "--show-files", cwd=tmp_path)
    assert (status, err) == (0, "")
    reasons = {line.split()[0]: line for line in out.splitlines() if " skipped " in line}
    assert "no known training framework recognises it" in reasons["ci.yml"]
    assert "does not parse: 2:1: could not parse YAML" in reasons["chart.yaml"]


def test_a_named_config_with_a_repeated_key_is_linted_as_the_trainer_reads_it(
    run_cli: RunCli, tmp_path: Path
) -> None:
    (tmp_path / "config.yml").write_text(
        "base_model: meta-llama/Llama-3.1-8B\nlearning_rate: 2e-4\nlearning_rate: 2e-5\n"
    )
    status, out, err = run_cli(
        "check", "config.yml", "--select", "K006,H001", "--output-format", "concise",
        cwd=tmp_path,
    )  # fmt: skip
    assert (status, err) == (1, "")
    assert out.splitlines()[0].startswith("config.yml:3:1: K006 'learning_rate' is given again")
    assert "H001" not in out  # 2e-5 is the rate the run uses
