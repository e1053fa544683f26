"""Shared fixtures: small plugins of fake rules, and a helper to run the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from ftlint import ConfigContext, ConfigRule, Finding, RecordContext, RecordRule, Severity, hookimpl
from ftlint.cli.main import main
from ftlint.testing import write_files

REPO_ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = REPO_ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


class LoudRecord(RecordRule):
    """Fires on every record whose ``text`` field says ``"loud"``."""

    code = "ZZ001"
    name = "loud-record"
    summary = "A record that is loud."
    severity = Severity.ERROR

    def check(self, record: RecordContext) -> Iterable[Finding]:
        value = record.record.value
        if isinstance(value, dict) and value.get("text") == "loud":
            yield self.finding("record is loud", record.location("/text"))


class QuietRecord(RecordRule):
    """Fires on every record whose ``text`` field says ``"quiet"``."""

    code = "ZZ002"
    name = "quiet-record"
    summary = "A record that is quiet."
    severity = Severity.INFO

    def check(self, record: RecordContext) -> Iterable[Finding]:
        value = record.record.value
        if isinstance(value, dict) and value.get("text") == "quiet":
            yield self.finding("record is quiet", record.location("/text"))


class EveryConfigKey(ConfigRule):
    """Fires on every top-level key of a config."""

    code = "ZZ003"
    name = "every-config-key"
    summary = "Reports each top-level key."
    severity = Severity.WARNING

    def check(self, config: ConfigContext) -> Iterable[Finding]:
        for key in config.document.data:
            pointer = f"/{key}"
            yield self.finding(f"key {key}", config.document.location(pointer), content_key=key)


class FakeRules:
    """A plugin object providing the fake rules."""

    @staticmethod
    @hookimpl
    def ftlint_rules() -> Sequence[type[RecordRule] | type[ConfigRule]]:
        return [LoudRecord, QuietRecord, EveryConfigKey]


@pytest.fixture
def fake_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every plugin load (CLI included) also register the fake rules."""
    import ftlint.run.registry

    original = ftlint.run.registry.load_plugins

    def load_with_fakes(*, strict: bool = False, extra: Sequence[Any] = ()) -> Any:
        return original(strict=strict, extra=[*extra, FakeRules])

    monkeypatch.setattr(ftlint.run.registry, "load_plugins", load_with_fakes)
    monkeypatch.setattr("ftlint.cli.main.load_plugins", load_with_fakes)
    monkeypatch.setattr("ftlint.testing.fixtures.load_plugins", load_with_fakes)


def write_jsonl(path: Path, records: Iterable[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


RunCli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run ``ftlint`` in-process; returns (exit status, stdout, stderr)."""

    def run(*args: str | Path, cwd: Path | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


@pytest.fixture(scope="session")
def sarif_schema() -> dict[str, Any]:
    """The official SARIF 2.1.0 schema from the shared directory beside the
    repository (``../shared/schemas``). CI always has it; elsewhere the tests
    that need it are skipped, saying so."""
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF 2.1.0 schema not found at {SARIF_SCHEMA}; CI provides it")
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema


#: The labels of :func:`labelled`'s records, in a skewed mix.
LABELS = ["positive"] * 24 + ["negative"] * 12 + ["neutral"] * 4

CONFIG = """\
base_model: meta-llama/Llama-3.1-8B
datasets:
  - path: data/train.jsonl
    type: completion
sequence_len: 16
sample_packing: {packing}
micro_batch_size: 2
gradient_accumulation_steps: 2
num_epochs: 3
"""


def labelled(count: int, offset: int = 0) -> list[dict[str, str]]:
    """Prompt/completion records whose completions are class labels."""
    return [
        {
            "prompt": f"Review {i + offset}: " + "good " * (i % 9) + "bad " * (i % 5),
            "completion": LABELS[(i + offset) % len(LABELS)],
        }
        for i in range(count)
    ]


@pytest.fixture
def labelled_dataset(tmp_path: Path) -> Path:
    """Two splits of classification data (one exact duplicate in train, one
    validation record leaked from train) and an axolotl config training on
    the train split with a sequence length some records are longer than."""
    train = labelled(40)
    train.append(dict(train[3]))
    validation = [*labelled(9, offset=100), dict(train[5])]
    write_files(
        tmp_path,
        {
            "data/train.jsonl": train,
            "data/validation.jsonl": validation,
            "axolotl.yaml": CONFIG.format(packing="false"),
        },
    )
    return tmp_path
