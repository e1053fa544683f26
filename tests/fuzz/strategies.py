"""Hypothesis strategies for what users hand ftlint: records of every known
shape with mutated types, dataset files in every format, training configs,
settings files and command lines.

Mutation, not random noise: a record starts as a well-formed record of one
shape and any part of it may be replaced by any JSON value (lone surrogates,
integers beyond 64 bits, deep nesting, lists where strings belong), removed,
or joined by extra keys. That reaches the code behind the shape detection,
which purely random JSON rarely does.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from typing import Any

import yaml
import zstandard
from hypothesis import strategies as st

#: Text with every kind of character, lone surrogates included (the default
#: ``st.text()`` leaves them out; JSON allows them as ``\ud800`` escapes).
texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ["", " ", "\n\n", "a\ud800", "\udfff", "user", "assistant", "Human:", "\x00", "\u2028", "é" * 3]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63, max_value=10**40)
    | st.sampled_from([10**400, -(10**400)])  # beyond any float
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=12,
)

_TOOL_CALL = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
#: One well-formed record of each shape ftlint knows.
TEMPLATES: list[Any] = [
    {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "", "tool_calls": [_TOOL_CALL]},
            {"role": "tool", "tool_call_id": "c1", "content": "42"},
            {"role": "assistant", "content": [{"type": "text", "text": "It is 42."}]},
        ],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}],
    },
    {"conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}]},
    {"instruction": "Add", "input": "1 1", "output": "2", "history": [["a", "b"]]},
    {"prompt": "Say hi", "completion": "hi"},
    {"prompt": "Q", "chosen": "good", "rejected": "bad"},
    {
        "prompt": [{"role": "user", "content": "Q"}],
        "chosen": [{"role": "assistant", "content": "good"}],
        "rejected": [{"role": "assistant", "content": "bad"}],
    },
    {"text": "Plain pretraining text."},
    {
        "input": {"messages": [{"role": "user", "content": "Q"}]},
        "preferred_output": [{"role": "assistant", "content": "good"}],
        "non_preferred_output": [{"role": "assistant", "content": "bad"}],
    },
    {"chosen": "\n\nHuman: Q\n\nAssistant: good", "rejected": "\n\nHuman: Q\n\nAssistant: bad"},
    {"contents": [{"role": "user", "parts": [{"text": "Q"}]}, {"role": "model", "parts": []}]},
]


def mutated(template: Any) -> st.SearchStrategy[Any]:
    """``template``, with any part replaced by any JSON value, dropped or joined by extras."""
    if isinstance(template, dict):
        kept = st.fixed_dictionaries({}, optional={k: mutated(v) for k, v in template.items()})
        extra = st.dictionaries(texts, json_values, max_size=2)
        whole = st.builds(lambda a, b: {**b, **a}, kept, extra)
    elif isinstance(template, list):
        parts = [mutated(item) for item in template] or [json_values]
        whole = st.lists(st.one_of(*parts), max_size=len(template) + 2)
    else:
        whole = st.just(template)
    return st.one_of(whole, whole, whole, json_values)


records = st.one_of(*(mutated(t) for t in TEMPLATES))


def _jsonl(values: list[Any], ascii_only: bool) -> bytes:
    lines = [json.dumps(v, ensure_ascii=ascii_only) for v in values]
    return "".join(f"{line}\n" for line in lines).encode("utf-8", "surrogatepass")


def _csv(values: list[Any]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(["prompt", "completion"])
    for value in values:
        writer.writerow([json.dumps(value), value if isinstance(value, str) else ""])
    return stream.getvalue().encode("utf-8", "surrogatepass")


#: File names as users have them: spaces, accents, bytes that are not UTF-8
#: (a str with surrogates, as Python names such a file).
_STEMS = ["train", "my train", "données_train", "tr\udcffain", "train.v2"]


@st.composite
def dataset_files(draw: st.DrawFn) -> dict[str, bytes]:
    """A folder of dataset files: one split or several, in any format ftlint
    reads, sometimes with raw garbage lines and sometimes compressed, under
    any name."""
    values = draw(st.lists(records, min_size=1, max_size=12))
    ascii_only = draw(st.booleans())
    body = _jsonl(values, ascii_only)
    if draw(st.booleans()):
        garbage = draw(st.lists(st.binary(max_size=30), max_size=3))
        body += b"".join(line.replace(b"\n", b" ") + b"\n" for line in garbage)
    if draw(st.booleans()):
        body = body.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n"])))
    kind = draw(st.sampled_from(["jsonl", "json", "csv", "jsonl.gz", "jsonl.zst", "splits"]))
    stem = draw(st.sampled_from(_STEMS))
    if kind == "json":
        text = json.dumps(values, indent=draw(st.sampled_from([None, 2])), ensure_ascii=ascii_only)
        return {f"{stem}.json": text.encode("utf-8", "surrogatepass")}
    if kind == "csv":
        return {f"{stem}.csv": _csv(values)}
    if kind == "jsonl.gz":
        return {f"{stem}.jsonl.gz": gzip.compress(body)}
    if kind == "jsonl.zst":
        return {f"{stem}.jsonl.zst": zstandard.ZstdCompressor().compress(body)}
    if kind == "splits":
        cut = draw(st.integers(0, len(values)))
        return {
            f"{stem}.jsonl": body,
            "test.jsonl": _jsonl(values[cut:] + values[:1], ascii_only),
        }
    return {f"{stem}.jsonl": body}


#: Training configs as the frameworks write them.
CONFIG_TEMPLATES: list[dict[str, Any]] = [
    {
        "base_model": "meta-llama/Llama-3.1-8B",
        "datasets": [{"path": "train.jsonl", "type": "chat_template"}],
        "sequence_len": 4096,
        "micro_batch_size": 2,
        "gradient_accumulation_steps": 4,
        "num_epochs": 3,
        "learning_rate": 2e-5,
        "lr_scheduler": "cosine",
        "adapter": "lora",
        "lora_r": 16,
        "lora_alpha": 32,
        "output_dir": "./out",
    },
    {
        "model_name_or_path": "Qwen/Qwen2.5-7B",
        "stage": "sft",
        "do_train": True,
        "finetuning_type": "lora",
        "dataset": "alpaca_en_demo",
        "template": "qwen",
        "cutoff_len": 2048,
        "per_device_train_batch_size": 1,
        "learning_rate": 1.0e-4,
        "num_train_epochs": 3.0,
        "output_dir": "saves/qwen",
    },
    {
        "model": {"_component_": "torchtune.models.llama3_1.lora_llama3_1_8b", "lora_rank": 8},
        "dataset": {"_component_": "torchtune.datasets.alpaca_dataset"},
        "optimizer": {"_component_": "torch.optim.AdamW", "lr": 3e-4},
        "epochs": 1,
        "batch_size": 2,
    },
    {"model_name_or_path": "gpt2", "learning_rate": 5e-5, "per_device_train_batch_size": 8},
]

#: YAML that parsers and walkers have tripped on: bad tags, huge and odd
#: numbers, complex keys, aliases (recursive, and a "billion laughs" bomb),
#: merge keys, deep nesting, user paths, surrogates, NULs.
YAML_HAZARDS = [
    "load_in_8bit: yes\n",
    "flash_attention: on\n",
    "learning_rate: 2e-5\n",
    "lr: 1e-4  # comment\n",
    "dpo_beta: 0.1\n",
    "x: !!int abc\n",
    "x: !!int 0x\n",
    "x: !!bool maybe\n",
    "x: !!float zz\n",
    "x: !!timestamp 2020-99-99\n",
    "x: !!binary '@@@'\n",
    "x: !!python/object/apply:os.system [ls]\n",
    "learning_rate: " + "9" * 5000 + "\n",
    "sequence_len: 99999999999999999999999999\n",
    "micro_batch_size: 1e999\n",
    "num_epochs: -1e400\n",
    "learning_rate: .nan\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 2\n",
    "x: &x [*x]\n",
    "y: &y {k: *y}\n",
    "<<: {a: 1}\n",
    "<<: 5\n",
    "output_dir: ~nosuchuser/out\n",
    "x: " + "[" * 300 + "]" * 300 + "\n",
    'x: "\\ud800"\n',
    '"\\ud800": 1\n',
    'output_dir: "a\\0b"\n',
    "datasets: 5\n",
    "datasets:\n  - path: {a: 1}\n",
    "datasets:\n  - path: ~nosuchuser/data.jsonl\n",
    "datasets:\n  - path: /dev/null\n",
    "1: 2\n",
    "~: 5\n",
    "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
    + "".join(
        f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    ),
]


@st.composite
def config_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A config file's name and bytes: a framework's config with mutated
    values, written as YAML or JSON, with hazards inserted between its lines."""
    template = draw(st.sampled_from(CONFIG_TEMPLATES))
    config = draw(mutated(template))
    if draw(st.booleans()) and isinstance(config, dict):
        name = "train.json"
        text = json.dumps(config, indent=2)
    else:
        name = draw(st.sampled_from(["axolotl.yaml", "train_config.yml", "sft.yaml"]))
        hazards = draw(st.lists(st.sampled_from(YAML_HAZARDS), max_size=3, unique=True))
        if isinstance(config, dict):  # a hazard replaces the template's key of its name
            replaced = {hazard.split(":", 1)[0].strip('?" ') for hazard in hazards}
            config = {k: v for k, v in config.items() if k not in replaced}
        text = yaml.safe_dump(config, allow_unicode=False, sort_keys=False)
        lines = text.splitlines(keepends=True)
        for hazard in hazards:
            # At a top-level key (or the end): a hazard is a top-level entry.
            places = [i for i, line in enumerate(lines) if not line[:1].isspace()]
            lines.insert(draw(st.sampled_from([*places, len(lines)])), hazard)
        text = "".join(lines)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return name, text.replace("\n", newline).encode("utf-8", "surrogatepass")


_TOML_VALUES = st.sampled_from(
    [
        "true", "0", "-1", "1", "99999999999999999999", "1.5", '""', '"text"', '"a\\u0000b"',
        "[]", '["ALL"]', '["S0", "Q999"]', "{}", '{ train = ["*"] }', '"~nosuchuser/x"',
        '"/dev/null"', "nan", "inf", "[1, 2]",
    ]
)  # fmt: skip
_SETTINGS_KEYS = st.sampled_from(
    [
        "select", "extend-select", "ignore", "exclude", "extend-exclude", "jobs", "max-findings",
        "devices", "cache", "cache-dir", "shard-size", "references", "output-format",
        "fail-on", "per-file-ignores", "severity", "splits", "tokens", "rules", "colour",
    ]
)  # fmt: skip


@st.composite
def settings_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A settings file (``ftlint.toml`` or ``pyproject.toml``) of known and
    unknown keys with values of every TOML type, sometimes not UTF-8."""
    name = draw(st.sampled_from(["ftlint.toml", "pyproject.toml"]))
    if name == "pyproject.toml" and draw(st.booleans()):  # tool.ftlint itself of any type
        return name, f"[tool]\nftlint = {draw(_TOML_VALUES)}\n".encode()
    table = "[tool.ftlint]\n" if name == "pyproject.toml" else ""
    pairs = draw(
        st.lists(st.tuples(_SETTINGS_KEYS, _TOML_VALUES), max_size=5, unique_by=lambda p: p[0])
    )
    body = (table + "".join(f"{key} = {value}\n" for key, value in pairs)).encode()
    if draw(st.booleans()):
        body += draw(st.sampled_from([b"\xff\xfe", b"# \xe9t\xe9\n", b"x = [\n", b"\x00"]))
    return name, body


_FLAGS: list[tuple[str, st.SearchStrategy[str] | None]] = [
    ("--select", st.sampled_from(["ALL", "S", "S005,D001", "empty-content", "Q999", ""])),
    ("--ignore", st.sampled_from(["S", "ALL", "X"])),
    ("--output-format", st.sampled_from(["text", "concise", "json", "sarif", "github", "xml"])),
    ("--max-findings", st.sampled_from(["1", "0", "-3", "99999999999999999999"])),
    ("--jobs", st.sampled_from(["1", "2", "0", "-1", "1000"])),
    ("--fail-on", st.sampled_from(["info", "warning", "error"])),
    ("--baseline", st.sampled_from(["missing.json", "train.jsonl", "."])),
    ("--write-baseline", st.sampled_from(["base.json", "no/such/folder/b.json", "."])),
    ("--config", st.sampled_from(["missing.toml", "train.jsonl", "."])),
    ("--reference", st.sampled_from(["train.jsonl", "missing.jsonl"])),
    ("--output", st.sampled_from(["report.txt", ".", "no/such/folder/r.txt"])),
    ("--statistics", None),
    ("--exit-zero", None),
    ("--no-progress", None),
    ("--diff", None),
    ("--strict-plugins", None),
]  # fmt: skip


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """``ftlint check`` with any flags, in range and out of it, and any paths."""
    args = ["check", "--no-cache"]
    for flag, values in draw(st.lists(st.sampled_from(_FLAGS), max_size=4, unique=True)):
        args.append(flag)
        if values is not None:
            args.append(draw(values))
    paths = st.sampled_from([".", "train.jsonl", "missing.jsonl", "notes.txt", "sub", "sub/.."])
    return args + draw(st.lists(paths, max_size=2))
