"""What YAML 1.1 (PyYAML) and YAML 1.2 (ruamel) read differently."""

from __future__ import annotations

import pytest

from ftlint.configs.yaml_compat import Difference, float_for_both, scalar_differences


def test_differences_with_their_spans() -> None:
    text = "lr: 2e-5\nflag: yes\nseed: 010\nwait: 1:30\noct: 0o10\nok: 1.0e-4\nq: '2e-5'\n"
    found = {d.pointer: d for d in scalar_differences(text)}
    assert set(found) == {"/lr", "/flag", "/seed", "/wait", "/oct"}
    lr = found["/lr"]
    assert lr.kind is Difference.FLOAT_AS_STRING
    assert (lr.line, lr.column, lr.end_line, lr.end_column) == (1, 5, 1, 9)
    assert (found["/seed"].yaml11, found["/seed"].yaml12) == (8, 10)
    assert found["/flag"].yaml11 is True
    assert found["/flag"].yaml12 == "yes"
    assert found["/wait"].yaml11 == 90


def test_keys_and_list_items_are_walked() -> None:
    found = {d.pointer: d for d in scalar_differences("on: 1\nitems: [1e-3, off]\n")}
    assert found["/on"].is_key
    assert set(found) == {"/on", "/items/0", "/items/1"}


@pytest.mark.parametrize(
    "text",
    ["%YAML 1.1\n---\nflag: yes\n", "a: [\n", "", "date: 2024-01-01\nnan: .nan\ninf: .inf\n"],
)
def test_nothing_to_report(text: str) -> None:
    assert scalar_differences(text) == []


def test_python_tags_are_never_constructed() -> None:
    text = "x: !!python/object/apply:os.system ['echo hi']\ny: yes\n"
    assert [d.pointer for d in scalar_differences(text)] == ["/y"]


@pytest.mark.parametrize(
    ("text", "fixed"),
    [("2e-5", "2.0e-5"), ("1.0e5", "1.0e+5"), ("-3E-4", "-3.0E-4"), ("1.5", None), ("x", None)],
)
def test_float_for_both(text: str, fixed: str | None) -> None:
    assert float_for_both(text) == fixed
