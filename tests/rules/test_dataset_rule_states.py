"""The state contract of every built-in dataset rule, checked on the records
of the YAML cases: a state pickles, and folding a file in two shards then
merging them gives the findings of one pass, wherever the file is cut."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from ftlint import DatasetFile, DatasetRule, FileState, Finding, Record, RecordContext, Split
from ftlint.settings.schema import TokenSettings
from ftlint.shapes.builtin import recognise
from ftlint.text.tokens import TokenCounter

from .test_rule_cases import CASE_FILES, builtin_rules

SPLITS = {"train": Split.TRAIN, "valid": Split.VALIDATION, "test": Split.TEST}


def _counter(rule: DatasetRule[Any], settings: dict[str, Any]) -> TokenCounter | None:
    """The token counter a run would hand a rule that requires ``"tokens"``."""
    if "tokens" not in rule.requires:
        return None
    return TokenCounter.from_settings(TokenSettings.model_validate(settings.get("tokens", {})))


def _contexts(
    name: str, values: list[Any], counter: TokenCounter | None = None
) -> list[RecordContext]:
    split = next((s for word, s in SPLITS.items() if word in name), None)
    file = DatasetFile(Path(name), name, split, ".")
    contexts = []
    for index, value in enumerate(values):
        raw = json.dumps(value).encode()
        record = Record(name, index + 1, 1, 0, index, raw, value)
        contexts.append(RecordContext(file, record, recognise(value), counter))
    return contexts


def _accepted(rule: DatasetRule[Any], contexts: list[RecordContext]) -> list[RecordContext]:
    return [c for c in contexts if c.view is not None or rule.accepts_unshaped]


def _fold(rule: DatasetRule[Any], contexts: list[RecordContext]) -> Any:
    state = rule.start()
    for context in contexts:
        rule.add(state, context)
    return state


def _finish(rule: DatasetRule[Any], file: DatasetFile, state: Any) -> list[Finding]:
    return sorted(rule.finish([FileState(file, state)]), key=Finding.sort_key)


def _scenarios() -> list[Any]:
    dataset_rules = {r.code: r for r in builtin_rules() if issubclass(r, DatasetRule)}
    scenarios = []
    for code, case_file in CASE_FILES.items():
        if code not in dataset_rules:
            continue
        for case_name, case in case_file.cases.items():
            for name, content in case.files.items():
                if isinstance(content, list) and len(content) > 1:
                    rule = dataset_rules[code](
                        dataset_rules[code].Options.model_validate(case.options)
                    )
                    scenarios.append(
                        pytest.param(
                            rule,
                            name,
                            content,
                            _counter(rule, case.settings),
                            id=f"{code}-{case_name}-{name}",
                        )
                    )
    return scenarios


@pytest.mark.parametrize(("rule", "name", "values", "counter"), _scenarios())
def test_sharded_fold_matches_one_pass(
    rule: DatasetRule[Any], name: str, values: list[Any], counter: TokenCounter | None
) -> None:
    contexts = _accepted(rule, _contexts(name, values, counter))
    file = contexts[0].file
    expected = _finish(rule, file, _fold(rule, contexts))
    for cut in range(len(contexts) + 1):
        earlier = pickle.loads(pickle.dumps(_fold(rule, contexts[:cut])))
        later = pickle.loads(pickle.dumps(_fold(rule, contexts[cut:])))
        merged = rule.merge(earlier, later)
        assert _finish(rule, file, merged) == expected, f"cut at record {cut}"
