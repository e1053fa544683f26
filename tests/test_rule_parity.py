"""Every rule finds the same alone as with all the others (issue 13).

Rules share work: one scan of a text serves several rules, facts computed on
a record (:class:`~ftlint.api.rules.RecordContext`) serve every rule that
asks, dataset rules with one ``state_key`` fold one state, and the engine
skips what no enabled rule needs. None of it may change what a rule reports.
So every rule of the registry (built-ins and installed plugins, as
``--select ALL``) is run alone, in-process through the pipeline ``ftlint
check`` runs, and must report exactly the findings it reports among all the
rules, and, if it is enabled by default, among the default rules (no
``select``): every field (code, location, message, severity, related
locations, fix, content key, fingerprint), in the same order.

Two data sets, each checked with one job and no cache:

- a fixture written here in which every built-in rule finds something
  (:func:`test_fixture_gives_every_builtin_rule_something_to_find` holds it
  to that): noise for the shared text scans, template tokens and
  placeholders in content, records over a small ``max-tokens``, duplicates,
  leaks between splits, labels, prompt/completion formats, preference
  records, a reference file, training configs and a config no framework
  knows;
- the real corpus beside the repository (``../shared/corpus``; CI has it),
  cut down to keep the test quick and copied into a temporary folder in its
  own layout, so that splits and dataset cards pair up as there: the first
  :data:`CORPUS_LINES` lines of each JSON Lines file, the first
  :data:`CORPUS_ITEMS` records of each JSON array, and
  :data:`CORPUS_CONFIGS_PER_FRAMEWORK` configs of each framework, spread
  over its folder (reading a YAML config costs milliseconds, and every
  rule's run reads them all). Without the corpus its tests are skipped,
  saying where it was looked for; the fixture's always run.
"""

from __future__ import annotations

import functools
import itertools
import json
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ftlint.api.documentation import BUILTIN_PLUGIN
from ftlint.core.findings import Finding
from ftlint.run.pipeline import CheckRequest, Pipeline
from ftlint.run.registry import load_plugins
from ftlint.settings.schema import Settings
from ftlint.testing import working_directory, write_files
from ftlint.testing.datasets import write_mixed_dataset

_RULES = load_plugins().rules
CODES = sorted(_RULES)
DEFAULT_CODES = frozenset(code for code, rule in _RULES.items() if rule.default_enabled)


@dataclass(frozen=True)
class Subject:
    """Files to check and the settings to check them with; what the rules
    report all together (``--select ALL``) and as the default selection,
    by code, is worked out once."""

    root: Path
    settings: Mapping[str, Any]
    paths: Sequence[str] = (".",)

    def check(self, select: Sequence[str] | None) -> list[Finding]:
        """What ``ftlint check`` reports with only ``select`` enabled (None:
        the default rules), one job, no cache."""
        table = {**self.settings, "jobs": 1, "cache": False, "root": self.root.resolve()}
        if select is not None:
            table["select"] = list(select)
        # A registry of its own, as each run of the command line has: nothing
        # a shape or a reader kept from an earlier run reaches this one.
        pipeline = Pipeline(
            load_plugins(),
            Settings.model_validate(table),
            CheckRequest(paths=[Path(p) for p in self.paths]),
        )
        with working_directory(self.root):
            return pipeline.check().collected.findings

    @functools.cached_property
    def with_all(self) -> dict[str, list[Finding]]:
        return _by_code(self.check(["ALL"]))

    @functools.cached_property
    def with_defaults(self) -> dict[str, list[Finding]]:
        return _by_code(self.check(None))


def _by_code(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.code, []).append(finding)
    return grouped


# --- The fixture ------------------------------------------------------------------------

#: The fixture's token limit: one chat record in seventeen is over it.
MAX_TOKENS = 400
SYSTEM_PROMPT = "You are a helpful assistant for a bicycle shop."


def _words(rng: random.Random, count: int) -> str:
    return " ".join(f"w{rng.randrange(5000)}" for _ in range(count))


def _chat(question: str, answer: Any, *, system: bool = True) -> dict[str, Any]:
    messages = [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    if system:
        messages.insert(0, {"role": "system", "content": SYSTEM_PROMPT})
    return {"messages": messages}


def _flawed(index: int, answer: str) -> Any:
    """``answer`` with the flaw of ``index``: one in twelve is left clean."""
    flaws = [
        answer,
        f"<p>{answer}</p> &amp; more",  # N001
        f"\u0093{answer}\u0094 and a bell\u0007",  # N002
        answer.replace(" ", "\n\n\n\n", 1) + "\n",  # N003
        f"As an AI language model, I cannot say. {answer}",  # N004
        f"{answer}<|im_end|>",  # P006
        "N/A",  # S006, and B003 when it is this common
        f"Dear {{customer_name}}, {answer}",  # S006: an unfilled slot
        f"{answer} [INST] again [/INST]",  # P006
        "",  # S005
        index,  # S008
        f"I'm sorry, but I can't help with that. {answer}",  # N004
    ]
    return flaws[index % len(flaws)]


def _chat_split(count: int, seed: int, words: int) -> list[dict[str, Any]]:
    """Chat records with the flaws of :func:`_flawed`, some over
    :data:`MAX_TOKENS` and one far longer than the rest, conversations
    without the system prompt the others have (EX001), roles out of order,
    exact duplicates and prompts answered twice."""
    rng = random.Random(seed)
    records = []
    for i in range(count):
        question = f"Question {seed}-{i}: {_words(rng, 6)}?"
        answer = _words(rng, 300) if i % 17 == 3 else _flawed(i, _words(rng, words))  # T001
        record = _chat(question, answer, system=i % 13 != 5)
        if i % 19 == 7:  # S007: two user turns in a row
            record["messages"].insert(-1, {"role": "user", "content": "And also?"})
        records.append(record)
        if i % 23 == 9:
            records.append(record)  # D001
        if i % 29 == 4:
            records.append(_chat(question, f"Another answer: {_words(rng, words)}"))  # D003
    records.append(_chat("Tell me everything.", _words(rng, 3000)))  # T002
    return records


def _label_split(count: int, labels: Sequence[str], offset: int = 0) -> list[dict[str, str]]:
    """Prompt/completion records whose completions are ``labels``, with a
    separator and a stop sequence; some lack one or the other, have the
    separator inside the prompt, or no space before the completion."""
    records = []
    for i in range(count):
        review = f"Review {offset + i}: {'good ' * (i % 7)}{'bad ' * (i % 5)}".rstrip()
        prompt = f"{review}\n\n###\n\n"
        completion = f" {labels[i % len(labels)]}\n"
        if i % 11 == 2:
            prompt = review  # P001
        if i % 13 == 4:
            completion = completion.rstrip("\n")  # P002
        if i % 17 == 6:
            prompt = f"First part\n\n###\n\n{prompt}"  # P003
        if i % 19 == 8:
            completion = completion.lstrip()  # P005
        records.append({"prompt": prompt, "completion": completion})
    return records


REFERENCE = (
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many "
    "clips in May. How many clips did Natalia sell altogether in April and May?\n"
)

#: Trains on chat/: a full fine-tune with a LoRA learning rate, given twice.
AXOLOTL_CONFIG = """\
base_model: meta-llama/Llama-3.1-8B
chat_template: qwen_25
tokenizer_type: LlamaTokenizer
datasets:
  - path: chat/train.jsonl
    type: chat_template
    tpye: chat_template
test_datasets:
  - path: chat/validation.jsonl
    type: chat_template
sequence_len: 64
micro_batch_size: 64
gradient_accumulation_steps: 4
num_epochs: 30
learning_rate: 2e-4
warmup_ratio: 0.3
warmup_steps: 10
fp16: true
bf16: true
load_in_8bit: yes
output_dir: ./outputs/qwen2.5-7b-shop
learning_rate: 3e-4
"""

#: An axolotl example's hyperparameters and data on another model.
EXAMPLE_CONFIG = """\
base_model: Qwen/Qwen2.5-7B
adapter: lora
datasets:
  - path: mhenrichsen/alpaca_2k_test
    type: alpaca
learning_rate: 0.0002
lora_r: 32
lora_alpha: 16
lora_dropout: 0.05
micro_batch_size: 2
gradient_accumulation_steps: 4
num_epochs: 4
sequence_len: 131072
warmup_ratio: 0.1
"""

#: LoRA on a 70B model over labels/, stopped after a few steps.
LORA_CONFIG = """\
base_model: meta-llama/Llama-3.3-70B-Instruct
adapter: qlora
load_in_4bit: true
datasets:
  - path: labels/train.jsonl
    type: completion
val_set_size: 0.1
lora_r: 8
lora_alpha: 512
learning_rate: 3e-4
micro_batch_size: 1
num_epochs: 30
max_steps: 5
"""

#: A TRL preference config with renamed keys and YAML 1.1 pitfalls.
DPO_CONFIG = """\
model_name_or_path: meta-llama/Llama-3.3-70B-Instruct
per_device_train_batch_size: 4
evaluation_strategy: steps
max_seq_length: 2048
use_peft: true
lora_r: 256
lora_alpha: 16
learning_rate: 3e-4
push_to_hub: yes
seed: 0042
"""


def write_fixture(root: Path) -> Subject:
    """Write the fixture (see the module's docstring) under ``root``."""
    write_mixed_dataset(root / "mixed", train_records=150)  # near duplicates and leaks
    train = _chat_split(150, seed=1, words=40)
    validation = _chat_split(50, seed=2, words=8)  # B002: much shorter than train
    validation += train[:40:10]  # L001
    validation += [_chat(r["messages"][-2]["content"], "Something else.") for r in train[1:40:9]]
    alpaca: list[dict[str, Any]] = [
        {
            "instruction": f"Task {i}: {_words(random.Random(i), 5)}",
            "input": "",
            "output": _flawed(i, f"Done {i}."),
        }
        for i in range(60)
    ]
    alpaca[3]["input"] = "<noinput>"  # S006
    alpaca[5]["example_input"] = "x"  # S004
    alpaca[7] = {"question": "Q?", "answer": "A."}  # S002
    alpaca[8] = _chat("Hello?", "Hi.")  # S003
    alpaca[9]["output"] = f"Solve: {REFERENCE}"  # L004
    labels = ["positive"] * 30 + ["negative"] * 20 + ["rare"]  # B001
    texts = [  # P004: two templates
        {"text": f"<|im_start|>user\n{_words(random.Random(i), 9)}<|im_end|>\n"}
        if i % 3
        else {"text": f"### Instruction:\n{_words(random.Random(i), 9)}\n\n### Response:\nOk.<br>"}
        for i in range(12)
    ]
    preference = [
        {
            "prompt": f"Pick {i}.",
            "chosen": f"<b>Choice</b> {i}.",
            "rejected": "TBD" if i % 4 else "",
        }
        for i in range(20)
    ]
    preference.append(  # S010
        {
            "chosen": "\n\nHuman: What is 2 + 2?\n\nAssistant: 4.",
            "rejected": "\n\nHuman: What is 3 + 3?\n\nAssistant: 5.",
        }
    )
    write_files(
        root,
        {
            "chat/train.jsonl": train,
            "chat/validation.jsonl": validation,
            "chat/test.jsonl": _chat_split(10, seed=3, words=8),
            "alpaca/train.json": alpaca,
            "labels/train.jsonl": _label_split(len(labels) * 3, labels),
            "labels/valid.jsonl": _label_split(12, ["positive", "negative", "neutral"], 1000),
            "texts/train.jsonl": texts,
            "preference/train.jsonl": preference,
            "refs/benchmark.txt": REFERENCE,
            "axolotl.yml": AXOLOTL_CONFIG,
            "example.yml": EXAMPLE_CONFIG,
            "lora.yml": LORA_CONFIG,
            "dpo.yaml": DPO_CONFIG,
            "mystery.yaml": "model: my-model\nlr: 0.001\n",  # K005, when named
        },
    )
    settings = {
        "tokens": {"max-tokens": MAX_TOKENS},
        "references": ["refs/benchmark.txt"],
        # Several records of chat/train are long, one is far longer (T002).
        "rules": {"T002": {"max-outlier-share": 0.1}},
    }
    return Subject(root, settings, paths=(".", "mystery.yaml"))


# --- The corpus -------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
#: How much of the corpus the test reads (see the module's docstring).
CORPUS_LINES = 1_500
CORPUS_ITEMS = 200
CORPUS_CONFIGS_PER_FRAMEWORK = 6
#: The corpus's token limit: under the default 4,096, so that more records
#: are counted exactly and more are over it.
CORPUS_MAX_TOKENS = 1024


def _leading_items(text: str, count: int) -> str:
    """The JSON array ``text`` cut after its ``count``-th item, in its own
    formatting, so that the records kept keep their lines; ``text`` itself
    when it has no more items, or is no array."""
    if not text.lstrip().startswith("["):
        return text
    decoder = json.JSONDecoder()
    end = text.index("[") + 1
    for _ in range(count):
        start = end
        while text[start] in " \t\r\n,":
            start += 1
        if text[start] == "]":
            return text
        _, end = decoder.raw_decode(text, start)
    return text[:end] + "\n]\n"


def _copy(source: Path, root: Path, content: bytes | None = None) -> None:
    """Write ``content`` (default: ``source``'s) where ``source`` is in the
    corpus, under ``root``."""
    target = root / source.relative_to(CORPUS)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes() if content is None else content)


def write_corpus_sample(root: Path) -> Subject:
    """Copy the cut-down corpus (see the module's docstring) under ``root``."""
    for source in sorted((CORPUS / "datasets").rglob("*")):
        if source.suffix == ".jsonl":
            with source.open("rb") as lines:
                _copy(source, root, b"".join(itertools.islice(lines, CORPUS_LINES)))
        elif source.suffix == ".json":
            text = _leading_items(source.read_bytes().decode("utf-8"), CORPUS_ITEMS)
            _copy(source, root, text.encode("utf-8"))
        elif source.is_file():
            _copy(source, root)
    for framework in sorted(p for p in (CORPUS / "configs").iterdir() if p.is_dir()):
        configs = sorted(p for p in framework.rglob("*") if p.suffix in (".yaml", ".yml"))
        spread = max(1, len(configs) // CORPUS_CONFIGS_PER_FRAMEWORK)
        for source in configs[::spread][:CORPUS_CONFIGS_PER_FRAMEWORK]:
            _copy(source, root)
    return Subject(root, {"tokens": {"max-tokens": CORPUS_MAX_TOKENS}})


# --- The tests --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_subject(tmp_path_factory: pytest.TempPathFactory) -> Subject:
    return write_fixture(tmp_path_factory.mktemp("fixture"))


@pytest.fixture(scope="module")
def corpus_subject(tmp_path_factory: pytest.TempPathFactory) -> Subject:
    if not (CORPUS / "datasets").is_dir():
        pytest.skip(f"the real corpus is not at {CORPUS} (CI has it beside the clone)")
    return write_corpus_sample(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module", params=["fixture", "corpus"])
def subject(request: pytest.FixtureRequest) -> Subject:
    """Each data set, written once for all the rules."""
    written: Subject = request.getfixturevalue(f"{request.param}_subject")
    return written


def assert_same_findings(alone: list[Finding], among: list[Finding], among_what: str) -> None:
    """``alone`` and ``among`` are the same findings in the same order;
    otherwise the failure lists the findings only one of them has."""
    if alone == among:
        return
    only_alone = list((Counter(alone) - Counter(among)).elements())
    only_among = list((Counter(among) - Counter(alone)).elements())
    if not only_alone and not only_among:
        pytest.fail(f"the rule reports the same findings alone as {among_what}, in another order")
    pytest.fail(
        f"{len(only_alone)} finding(s) only alone:{_listed(only_alone)}\n"
        f"{len(only_among)} finding(s) only {among_what}:{_listed(only_among)}"
    )


def _listed(findings: Sequence[Finding]) -> str:
    return "".join(f"\n  {finding}" for finding in findings)


@pytest.mark.parametrize("code", CODES)
def test_rule_alone_finds_what_it_finds_among_the_others(subject: Subject, code: str) -> None:
    alone = subject.check([code])
    assert_same_findings(alone, subject.with_all.get(code, []), "with all rules (--select ALL)")
    if code in DEFAULT_CODES:
        among_defaults = subject.with_defaults.get(code, [])
        assert_same_findings(alone, among_defaults, "with the default rules (no --select)")


def test_fixture_gives_every_builtin_rule_something_to_find(fixture_subject: Subject) -> None:
    """A rule that finds nothing is the same alone and with others whatever
    it does: the fixture has something for every built-in rule to find."""
    found = fixture_subject.with_all
    builtins = [code for code in CODES if _RULES[code].plugin == BUILTIN_PLUGIN]
    silent = [code for code in builtins if code not in found]
    assert not silent, f"give these rules something to find in write_fixture: {silent}"
