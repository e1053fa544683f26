"""Fixing datasets (``--fix``, ``--unsafe-fixes``, ``--diff``): each fix on a
fixture with its defect, and what every fix promises: nothing lost (kept plus
quarantined is the original), untouched lines byte for byte, a second run
changes nothing, a diff writes nothing, a failed write leaves the original."""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import zstandard

from ftlint.run import fixes
from tests.conftest import RunCli

QUARANTINE = Path(".ftlint/removed")
SEPARATOR = "\\n\\n###\\n\\n"


def _line(value: Any) -> str:
    return json.dumps(value)


def _alpaca(instruction: str, output: str, input_: str = "") -> str:
    return _line({"instruction": instruction, "input": input_, "output": output})


def _chat(user: str, assistant: str) -> str:
    return _line(
        {
            "messages": [
                {"role": "user", "content": user},
                {"role": "assistant", "content": assistant},
            ]
        }
    )


_STORY = "the quick brown fox jumps over the lazy dog near the quiet river bank at dawn today"


@dataclass(frozen=True)
class Case:
    """A dataset with one defect: files by name, as lines of text; the rule
    that finds it; whether its fix is unsafe."""

    code: str
    files: dict[str, list[str]]
    unsafe: bool = False


CASES = {
    "D001 later copies go": Case(
        "D001",
        {
            "train.jsonl": [
                _alpaca("What is 2+2?", "4"),
                # Odd spacing, escapes and key order that a re-serialisation would lose.
                '{"output":"5" ,  "instruction":"What is 2+3?","input":"caf\\u00e9"}   ',
                '{"instruction": "what is  2+2?", "input": "", "output": "4", "id": 7}',
                _alpaca("What is 2+2?", "4"),
            ]
        },
    ),
    "L001 leaked eval records go, train stays": Case(
        "L001",
        {
            "train.jsonl": [_alpaca("Name a colour.", "Red."), _alpaca("Name a fruit.", "Fig.")],
            "test.jsonl": [_alpaca("Name a fruit.", "Fig."), _alpaca("Name a tree.", "Oak.")],
        },
    ),
    "S005 records with an empty only response go": Case(
        "S005",
        {
            "train.jsonl": [
                _alpaca("Name a colour.", "  "),
                _alpaca("Name a fruit.", "Fig."),
                _chat("Hi", ""),
            ]
        },
    ),
    "N003 message content stripped": Case(
        "N003",
        {"train.jsonl": [_chat(" Hello", "Hi there!\n"), _alpaca("\tName one.", "Oak. ")]},
    ),
    "N002 controls and BOMs removed": Case(
        "N002",
        {"train.jsonl": [_chat("Hi\u0007", "\ufeffHello \u0093there\u0094"), _chat("a", "b")]},
    ),
    "D002 later near-duplicates go": Case(
        "D002",
        {
            "train.jsonl": [
                _line({"text": _STORY}),
                _line({"text": "a completely different sentence about cooking pasta well"}),
                _line({"text": _STORY.replace("today", "again")}),
            ]
        },
        unsafe=True,
    ),
    "L002 near leaks go from eval": Case(
        "L002",
        {
            "train.jsonl": [_line({"text": _STORY}), _line({"text": "nothing alike at all"})],
            "test.jsonl": [
                _line({"text": _STORY.replace("today", "again")}),
                _line({"text": "a wholly separate story about mountains and snow in winter"}),
            ],
        },
        unsafe=True,
    ),
    "L003 prompt leaks go from eval": Case(
        "L003",
        {
            "train.jsonl": [_alpaca("Name a fruit.", "Fig."), _alpaca("Name a bird.", "Owl.")],
            "test.jsonl": [_alpaca("Name a fruit.", "Pear."), _alpaca("Name a tree.", "Oak.")],
        },
        unsafe=True,
    ),
    "S006 placeholder inputs emptied": Case(
        "S006",
        {"train.jsonl": [_alpaca("Say hi.", "Hi.", "<noinput>"), _alpaca("Add.", "3", "1, 2")]},
        unsafe=True,
    ),
    "N001 entities unescaped": Case(
        "N001",
        {"train.jsonl": [_alpaca("Say hi.", "Hi &amp; welcome &lt;3"), _alpaca("a", "b")]},
        unsafe=True,
    ),
    "P001 the majority separator appended": Case(
        "P001",
        {
            "train.jsonl": [
                _line({"prompt": f"Review {n}\n\n###\n\n", "completion": " positive"})
                for n in range(4)
            ]
            + [_line({"prompt": "Never again.", "completion": " negative"})]
        },
        unsafe=True,
    ),
    "P002 the majority stop sequence appended": Case(
        "P002",
        {
            "train.jsonl": [
                _line({"prompt": f"{n}+{n} ->", "completion": f" {2 * n} END"}) for n in range(4)
            ]
            + [_line({"prompt": "6+6 ->", "completion": " 12"})]
        },
        unsafe=True,
    ),
}


def _write(root: Path, files: dict[str, list[str]], ending: str = "\n") -> dict[str, bytes]:
    written = {}
    for name, lines in files.items():
        data = "".join(line + ending for line in lines).encode()
        (root / name).write_bytes(data)
        written[name] = data
    return written


def _check(run_cli: RunCli, root: Path, code: str, *flags: str) -> tuple[int, list[Any], str]:
    status, out, err = run_cli(
        "check", ".", "--select", code, "--no-cache", "--output-format", "json", *flags, cwd=root
    )
    return status, json.loads(out)["findings"] if out.strip() else [], err


def _quarantined(root: Path, name: str) -> list[dict[str, Any]]:
    path = root / QUARANTINE / f"{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _records(data: bytes) -> Counter[str]:
    """The multiset of a JSON Lines text's records, each as canonical JSON."""
    return Counter(_canonical(json.loads(line)) for line in data.splitlines() if line.strip())


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def assert_nothing_lost(root: Path, originals: dict[str, bytes]) -> None:
    """Per file: the records kept, less the changed ones as written, plus
    the records quarantined (removed, or changed as they were) are the
    original records; and every line no fix touched is what it was, byte
    for byte, in order."""
    for name, before in originals.items():
        after = (root / name).read_bytes()
        entries = _quarantined(root, name)
        fixed = Counter(_canonical(e["fixed"]) for e in entries if e["action"] == "changed")
        kept = _records(after) - fixed
        assert kept + Counter(_canonical(e["record"]) for e in entries) == _records(before), name
        touched = {e["line"] for e in entries}
        untouched_before = [
            line
            for number, line in enumerate(before.splitlines(keepends=True), start=1)
            if number not in touched
        ]
        changed_after = {_canonical(e["fixed"]) for e in entries if e["action"] == "changed"}
        untouched_after = [
            line
            for line in after.splitlines(keepends=True)
            if not line.strip() or _canonical(json.loads(line)) not in changed_after
        ]
        assert untouched_after == untouched_before, name


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_each_fix_fixes_its_finding_and_loses_nothing(
    case: Case, run_cli: RunCli, tmp_path: Path
) -> None:
    originals = _write(tmp_path, case.files)
    unsafe = ("--unsafe-fixes",) if case.unsafe else ()
    _, found, _ = _check(run_cli, tmp_path, case.code)
    assert found, f"the {case.code} fixture has no {case.code} finding"
    assert all(f["fix"] and f["fix"]["safe"] is not case.unsafe for f in found)

    status, _, err = _check(run_cli, tmp_path, case.code, "--fix", *unsafe)

    assert f"fixed {len(found)} finding(s)" in err
    _, left, _ = _check(run_cli, tmp_path, case.code)
    assert left == []
    assert status == 0
    assert_nothing_lost(tmp_path, originals)
    fixed = {name: (tmp_path / name).read_bytes() for name in originals}
    kept = {name: _quarantined(tmp_path, name) for name in originals}
    _check(run_cli, tmp_path, case.code, "--fix", *unsafe)
    assert {name: (tmp_path / name).read_bytes() for name in originals} == fixed
    assert {name: _quarantined(tmp_path, name) for name in originals} == kept


def test_unsafe_fixes_wait_for_unsafe_fixes(run_cli: RunCli, tmp_path: Path) -> None:
    originals = _write(tmp_path, CASES["S006 placeholder inputs emptied"].files)
    _, found, err = _check(run_cli, tmp_path, "S006", "--fix")
    assert [f["code"] for f in found] == ["S006"]
    assert "fixed" not in err
    assert (tmp_path / "train.jsonl").read_bytes() == originals["train.jsonl"]


def test_the_summary_counts_safe_and_unsafe_fixes(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path, {"train.jsonl": [_alpaca("Say hi.", "Hi. ", "<noinput>"), _alpaca("a", "b")]})
    _, out, _ = run_cli("check", ".", "--select", "S006,N003", "--no-cache", cwd=tmp_path)
    assert "1 fixable with --fix (1 more with --unsafe-fixes)." in out


def test_a_change_keeps_the_rest_of_its_line(run_cli: RunCli, tmp_path: Path) -> None:
    # Compact separators, a \u escape, a trailing space and CRLF: all stay.
    line = '{"b":1,"messages":[{"role":"user","content":" caf\\u00e9"},'
    line += '{"role":"assistant","content":"ok"}]} \r\n'
    (tmp_path / "train.jsonl").write_bytes(line.encode())
    _check(run_cli, tmp_path, "N003", "--fix")
    fixed = line.replace('" caf', '"caf')
    assert (tmp_path / "train.jsonl").read_bytes() == fixed.encode()


def test_a_byte_order_mark_at_the_start_of_the_file_stays(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [
        _alpaca("What is 2+2?", "4"),
        _alpaca("What is 2+3?", "5"),
        _alpaca("What is 2+2?", "4"),
    ]
    (tmp_path / "train.jsonl").write_bytes(b"\xef\xbb\xbf" + "\n".join(rows).encode())
    _check(run_cli, tmp_path, "D001", "--fix")
    # The last line goes; the one before keeps its line ending.
    kept = b"\xef\xbb\xbf" + "".join(row + "\n" for row in rows[:2]).encode()
    assert (tmp_path / "train.jsonl").read_bytes() == kept


def test_a_diff_shows_the_fixes_and_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    originals = _write(tmp_path, CASES["D001 later copies go"].files)
    _write(tmp_path, {"test.jsonl": [_chat(" Hello", "Hi")]})
    status, out, _ = run_cli("check", ".", "--select", "D001,N003", "--diff", cwd=tmp_path)
    assert status == 1
    assert "train.jsonl: 2 record(s) removed, 0 changed\n" in out
    assert "  line 3: removed by D001 (record duplicates the record at line 1" in out
    assert "test.jsonl: 0 record(s) removed, 1 changed\n" in out
    assert "--- a/test.jsonl:1\n+++ b/test.jsonl:1\n" in out
    assert '+{"messages": [{"role": "user", "content": "Hello"}' in out
    assert (tmp_path / "train.jsonl").read_bytes() == originals["train.jsonl"]
    assert not (tmp_path / ".ftlint").exists()


def test_a_failure_before_the_rename_leaves_the_original(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    originals = _write(tmp_path, CASES["D001 later copies go"].files)

    def failing_replace(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    status, found, err = _check(run_cli, tmp_path, "D001", "--fix")
    assert "train.jsonl: not fixed: No space left on device" in err
    assert len(found) == 2  # still reported
    assert (tmp_path / "train.jsonl").read_bytes() == originals["train.jsonl"]
    assert _quarantined(tmp_path, "train.jsonl") == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["train.jsonl"]
    assert status == 0  # D001 is a warning


def test_a_fixed_file_keeps_its_mode_and_the_quarantine_dir_is_a_setting(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(tmp_path, CASES["D001 later copies go"].files)
    (tmp_path / "train.jsonl").chmod(0o640)
    (tmp_path / "pyproject.toml").write_text('[tool.ftlint]\nquarantine-dir = "kept"\n')
    _check(run_cli, tmp_path, "D001", "--fix")
    assert (tmp_path / "train.jsonl").stat().st_mode & 0o777 == 0o640
    entries = [json.loads(line) for line in (tmp_path / "kept/train.jsonl.jsonl").open()]
    assert [(e["line"], e["action"], e["rules"]) for e in entries] == [
        (3, "removed", ["D001"]),
        (4, "removed", ["D001"]),
    ]
    assert entries[0]["file"] == "train.jsonl"
    assert entries[0]["record"] == {
        "instruction": "what is  2+2?",
        "input": "",
        "output": "4",
        "id": 7,
    }


ARRAY = """[
  {"instruction": "What is 2+2?", "input": "", "output": "4"},
  {
    "instruction": "Name a colour.",
    "input": "",
    "output": "Red. "
  },
  {"instruction": "What is 2+2?", "input": "", "output": "4"},
  {"instruction": "Name a fruit.",   "input": "", "output": "Fig."},
  {"instruction": "What is 2+2?", "input": "", "output": "4"}
]
"""


def test_a_json_array_keeps_its_layout(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "train.json").write_text(ARRAY)
    _check(run_cli, tmp_path, "D001,N003", "--fix")
    assert (
        (tmp_path / "train.json").read_text()
        == """[
  {"instruction": "What is 2+2?", "input": "", "output": "4"},
  {
    "instruction": "Name a colour.",
    "input": "",
    "output": "Red."
  },
  {"instruction": "Name a fruit.",   "input": "", "output": "Fig."}
]
"""
    )
    entries = _quarantined(tmp_path, "train.json")
    assert [(e["line"], e["action"]) for e in entries] == [
        (3, "changed"),
        (8, "removed"),
        (10, "removed"),
    ]


def test_a_json_array_may_lose_its_first_elements(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [_alpaca("a", " "), _alpaca("b", ""), _alpaca("c", "C")]
    (tmp_path / "train.json").write_text("[" + ",".join(rows) + "]")
    _check(run_cli, tmp_path, "S005", "--fix")
    assert json.loads((tmp_path / "train.json").read_text()) == [json.loads(rows[2])]
    assert (tmp_path / "train.json").read_text() == "[" + rows[2] + "]"


@pytest.mark.parametrize(
    ("suffix", "decompress"),
    [(".gz", gzip.decompress), (".zst", zstandard.ZstdDecompressor().decompressobj().decompress)],
    ids=["gzip", "zstd"],
)
def test_compressed_json_lines_stay_compressed(
    suffix: str, decompress: Any, run_cli: RunCli, tmp_path: Path
) -> None:
    rows = [
        _alpaca("What is 2+2?", "4"),
        _alpaca("Name one.", "Oak."),
        _alpaca("What is 2+2?", "4"),
    ]
    plain = "".join(row + "\n" for row in rows).encode()
    compress = gzip.compress if suffix == ".gz" else zstandard.ZstdCompressor().compress
    (tmp_path / f"train.jsonl{suffix}").write_bytes(compress(plain))
    _check(run_cli, tmp_path, "D001", "--fix")
    fixed = decompress((tmp_path / f"train.jsonl{suffix}").read_bytes())
    assert fixed == "".join(row + "\n" for row in rows[:2]).encode()


def test_json_lines_named_json_lose_whole_lines(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [
        _alpaca("What is 2+2?", "4"),
        _alpaca("Name one.", "Oak. "),
        _alpaca("What is 2+2?", "4"),
    ]
    (tmp_path / "train.json").write_text("".join(row + "\r\n" for row in rows))
    _check(run_cli, tmp_path, "D001,N003", "--fix")
    fixed = rows[0] + "\r\n" + rows[1].replace("Oak. ", "Oak.") + "\r\n"
    assert (tmp_path / "train.json").read_bytes() == fixed.encode()


def test_csv_keeps_its_rows_as_they_were_but_those_fixed(run_cli: RunCli, tmp_path: Path) -> None:
    rows = [
        "instruction,input,output",
        '"What is 2+2?",,4',  # quoted without need: stays so
        'Write a haiku.,,"Leaves fall\r\nslowly "',  # a field over two lines, a trailing space
        '"What is 2+2?",,"4"',  # a duplicate, over one line, differently quoted
        "Name a tree.,,Oak.",
    ]
    (tmp_path / "train.csv").write_bytes("".join(row + "\r\n" for row in rows).encode())
    _, _, err = _check(run_cli, tmp_path, "D001,N003", "--fix")
    assert "fixed 2 finding(s)" in err
    fixed = [rows[0], rows[1], 'Write a haiku.,,"Leaves fall\r\nslowly"', rows[4]]
    assert (tmp_path / "train.csv").read_bytes() == "".join(r + "\r\n" for r in fixed).encode()
    entries = _quarantined(tmp_path, "train.csv")
    assert [(e["line"], e["action"], e["rules"]) for e in entries] == [
        (3, "changed", ["N003"]),
        (5, "removed", ["D001"]),
    ]
    assert entries[0]["record"]["output"] == "Leaves fall\r\nslowly "
    assert entries[0]["fixed"]["output"] == "Leaves fall\r\nslowly"


def test_parquet_files_are_not_fixed_in_place_and_say_so(run_cli: RunCli, tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    from pyarrow import parquet

    table = pyarrow.table({"text": ["same words", "same words", "other words"]})
    parquet.write_table(table, tmp_path / "train.parquet")
    before = (tmp_path / "train.parquet").read_bytes()
    _, found, err = _check(run_cli, tmp_path, "D001", "--fix")
    assert "train.parquet: not fixed: parquet files are not rewritten in place" in err
    assert [f["code"] for f in found] == ["D001"]
    assert (tmp_path / "train.parquet").read_bytes() == before


def test_only_the_files_named_are_fixed(run_cli: RunCli, tmp_path: Path) -> None:
    """As pre-commit names the changed files: a leak found through train is
    reported on test, but test is not rewritten when only train is named."""
    originals = _write(tmp_path, CASES["L001 leaked eval records go, train stays"].files)
    status, out, err = run_cli(
        "check", "train.jsonl", "--select", "L001", "--fix", "--no-cache", cwd=tmp_path
    )
    assert "L001" in out
    assert "fixed" not in err
    assert (tmp_path / "test.jsonl").read_bytes() == originals["test.jsonl"]
    assert status == 1


def test_the_json_envelope_carries_the_record_fix(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path, {"train.jsonl": [_chat(" Hi", "Hello"), _alpaca("a", "b", "N/A")]})
    _, found, _ = _check(run_cli, tmp_path, "N003,S006")
    fixes_found = {f["code"]: f["fix"] for f in found}
    assert fixes_found["N003"] == {
        "description": "strip the whitespace",
        "safe": True,
        "edits": [],
        "changes": [
            {"remove": False, "pointer": "/messages/0/content", "start": 0, "end": 1, "content": ""}
        ],
    }
    assert fixes_found["S006"]["safe"] is False


def test_replacing_swaps_in_the_new_content_with_the_old_mode(tmp_path: Path) -> None:
    """``replacing`` writes the new content, then renames it over the old."""
    target = tmp_path / "data.jsonl"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o600)
    with fixes.replacing(target) as stream:
        stream.write(b"new\n")
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["data.jsonl"]
