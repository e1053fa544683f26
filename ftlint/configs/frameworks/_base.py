"""What the built-in frameworks share: typed reads of keys with their
positions, recognition by marker keys, the method a config names (and the
LoRA switches of every framework, for a config read as another's), the
objective its path names, finding local dataset files, looking the model up,
and reading the Hugging Face ``TrainingArguments`` keys that more than one
framework hands on to the trainer.

Reads are forgiving on purpose: a config is user input, and a value of the
wrong type is one the view leaves out (other rules, or the trainer, report
it), never an exception.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from ftlint.configs.document import ConfigDocument
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.model_catalog import ModelCatalog, ModelFacts
from ftlint.configs.schema import KeySchema, YamlDialect
from ftlint.configs.view import DatasetRef, Located, Method, Objective
from ftlint.core.naming import with_compression

#: File names a dataset reference may resolve to.
DATASET_SUFFIXES = (
    *with_compression((".jsonl", ".json", ".ndjson", ".csv", ".tsv")),
    ".parquet",
    ".arrow",
    ".txt",
)
#: The words PyYAML (YAML 1.1), which most trainers load configs with, reads as booleans.
_TRUE = frozenset({"true", "yes", "on"})
_FALSE = frozenset({"false", "no", "off"})
MISSING: Any = object()
T = TypeVar("T")
Number = TypeVar("Number", int, float)


class Fields:
    """Typed, located reads of one document's keys.

    Each reader takes one or more pointers and returns the first that holds a
    usable value, as :class:`Located`, or None.
    """

    def __init__(self, document: ConfigDocument) -> None:
        self.document = document

    def raw(self, at: str) -> Any:
        return self.document.get(at, MISSING)

    def has(self, at: str) -> bool:
        value = self.raw(at)
        return value is not MISSING and value is not None

    def locate(self, at: str, value: Any, *, default: bool = False) -> Located[Any]:
        line, column = self.document.position(at) if at else (0, 0)
        return Located(value=value, pointer=at, line=line, column=column, default=default)

    def default(self, value: Any, near: str = "") -> Located[Any]:
        """A value the framework assumes, located at the key ``near`` (if any)."""
        if near and not self.has(near):
            near = ""
        return self.locate(near, value, default=True)

    def any(self, *pointers: str) -> Located[Any] | None:
        for at in pointers:
            value = self.raw(at)
            if value is not MISSING and value is not None:
                return self.locate(at, _plain(value))
        return None

    def number(self, *pointers: str) -> Located[float] | None:
        return self._first(pointers, as_number)

    def integer(self, *pointers: str) -> Located[int] | None:
        return self._first(pointers, as_integer)

    def boolean(self, *pointers: str) -> Located[bool] | None:
        return self._first(pointers, as_boolean)

    def string(self, *pointers: str) -> Located[str] | None:
        return self._first(pointers, as_string)

    def strings(self, *pointers: str) -> Located[tuple[str, ...]] | None:
        """A list of strings, or one comma-separated string."""
        return self._first(pointers, as_strings)

    def each_string(self, *pointers: str) -> tuple[Located[str], ...]:
        """The string at each of ``pointers`` that holds one, in order (where
        :meth:`string` returns the first only): the keys that name a run's
        outputs, say."""
        return tuple(value for value in (self.string(at) for at in pointers) if value)

    def is_true(self, at: str) -> bool:
        """Whether the boolean key ``at`` is set and true (absent, null or not
        a boolean counts as false): for flags that only matter when on."""
        flag = self.boolean(at)
        return flag is not None and flag.value

    def _first(
        self, pointers: Iterable[str], convert: Callable[[Any], T | None]
    ) -> Located[T] | None:
        for at in pointers:
            value = self.raw(at)
            if value is MISSING or value is None:
                continue
            converted = convert(value)
            if converted is not None:
                line, column = self.document.position(at)
                return Located[T](value=converted, pointer=at, line=line, column=column)
        return None


def _plain(value: Any) -> Any:
    """ruamel scalars (ScalarFloat, ScalarInt) as plain Python values."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def as_number(value: Any) -> float | None:
    """A finite number; numeric strings (``"2e-5"``) count, booleans do not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer of 309 digits or more: beyond any float
            return None
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace("_", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def as_integer(value: Any) -> int | None:
    number = as_number(value)
    if number is None or number != int(number):
        return None
    return int(number)


def as_boolean(value: Any) -> bool | None:
    """True/False, and the YAML 1.1 words a PyYAML-based trainer reads as booleans."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def as_string(value: Any) -> str | None:
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(_plain(value))
    return None


def as_strings(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list):
        return tuple(str(item) for item in value if isinstance(item, str | int | float))
    return None


def method_from_name(
    f: Fields, kind: Located[str], methods: Mapping[str, Method], *, quantized: bool = False
) -> Located[Method]:
    """The method a config names at ``kind`` (``finetuning_type: lora``),
    located there. ``methods`` maps the framework's lower-case names; any
    other name is some other adapter. LoRA on a ``quantized`` base model is
    QLoRA, whatever the name says."""
    method = methods.get(kind.value.strip().lower(), Method.ADAPTER)
    if method is Method.LORA and quantized:
        method = Method.QLORA
    return f.locate(kind.pointer, method)


#: Words in a file's path that name the trainer (``recipes/dpo/config.yaml``),
#: most specific first: "orpo" before "po".
_PATH_OBJECTIVES = (
    ("orpo", Objective.ORPO),
    ("simpo", Objective.SIMPO),
    ("kto", Objective.KTO),
    ("cpo", Objective.CPO),
    ("grpo", Objective.GRPO),
    ("ppo", Objective.PPO),
    ("dpo", Objective.DPO),
    ("apo", Objective.DPO),
    ("reward", Objective.REWARD),
    ("sft", Objective.SFT),
)


def objective_in_path(document: ConfigDocument) -> Objective | None:
    """The objective a word of the config's path names (its last three parts,
    split at ``_``, ``-`` and ``.``), for frameworks whose one config format
    serves several trainers."""
    words = {
        word
        for part in document.path.parts[-3:]
        for word in part.lower().replace(".", "_").replace("-", "_").split("_")
    }
    return next((objective for word, objective in _PATH_OBJECTIVES if word in words), None)


#: How the frameworks switch LoRA on: a flag that is true, a method name, or
#: a LoRA-only key with a value (``lora_rank: 8``, ``peft_config: {...}``).
_LORA_FLAGS = ("/use_peft", "/use_lora", "/use_qlora")
_LORA_NAMES = ("/finetuning_type", "/adapter", "/fine_tune_type", "/training_type")
_LORA_SETTINGS = ("/peft_config", "/lora_rank", "/lora_config")
_LORA_WORDS = frozenset({"lora", "qlora"})


def lora_switch(f: Fields) -> Located[Method] | None:
    """LoRA (or QLoRA on a 4-bit base) when the config switches it on the way
    any known framework does: a config read as one framework but written for
    another (an open-instruct recipe read as TRL, say) still says it trains an
    adapter, and a rule that took it for a full fine-tune would be wrong.
    Each framework asks this only after its own switch, which wins."""
    quantized = f.is_true("/load_in_4bit") or f.is_true("/use_qlora")
    lora = Method.QLORA if quantized else Method.LORA
    for at in _LORA_FLAGS:
        if f.is_true(at):
            return f.locate(at, lora)
    for at in _LORA_NAMES:
        name = f.string(at)
        if name is not None and name.value.strip().lower() in _LORA_WORDS:
            return f.locate(at, Method.QLORA if name.value.strip().lower() == "qlora" else lora)
    for at in _LORA_SETTINGS:
        value = f.raw(at)
        if value is not MISSING and value not in (None, {}, 0, False):
            return f.locate(at, lora)
    return None


def positive(value: Located[Number] | None) -> Located[Number] | None:
    """``value`` when it is above 0, else None: configs write a step or epoch
    count of 0 or -1 to mean "not set" (``max_steps: -1``)."""
    return value if value is not None and value.value > 0 else None


def top_keys(document: ConfigDocument) -> set[str]:
    data = document.data
    return {str(k) for k in data} if isinstance(data, dict) else set()


def count_markers(keys: Container[str], markers: Iterable[str]) -> int:
    """How many of the ``markers`` are among ``keys``: the evidence each
    framework's ``recognise`` weighs in its own way."""
    return sum(1 for key in markers if key in keys)


# --- Local files.


def config_folder(document: ConfigDocument) -> Path:
    return document.path.resolve().parent


def local_files(name: str, document: ConfigDocument) -> tuple[str, ...]:
    """The existing dataset files a path-like dataset name resolves to:
    relative to the config's folder, then to the working directory. A folder
    yields the dataset files inside it (two levels deep)."""
    if not _path_like(name):
        return ()
    for candidate in _candidates(name, document):
        try:
            if candidate.is_file():
                return (str(candidate.resolve()),)
            if candidate.is_dir():
                return tuple(str(p.resolve()) for p in _dataset_files(candidate))
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop, before Python 3.13
            continue
    return ()


def _path_like(name: str) -> bool:
    return bool(name) and len(name) < 1024 and "\n" not in name and "\x00" not in name


def _candidates(name: str, document: ConfigDocument) -> Iterator[Path]:
    try:
        path = Path(name).expanduser()
    except RuntimeError:  # ``~someone`` with no such user: a relative name, as the trainer sees it
        path = Path(name)
    if path.is_absolute():
        yield path
        return
    yield config_folder(document) / path
    yield Path.cwd() / path


def _dataset_files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for depth_glob in ("*", "*/*"):
        for path in sorted(folder.glob(depth_glob)):
            if path.is_file() and path.name.lower().endswith(DATASET_SUFFIXES):
                found.append(path)
        if found:
            break
    return found


def model_facts(
    model: Located[str] | None, document: ConfigDocument, catalog: ModelCatalog
) -> ModelFacts | None:
    """What the catalog knows about the model a config names. A model given as
    a path is a local folder relative to the config's folder (or the working
    directory), whose ``config.json`` the catalog reads."""
    return catalog.lookup(model.value, config_folder(document)) if model else None


def items(fields: Fields, at: str) -> list[tuple[str, Any]]:
    """(pointer, value) of each item of the list at ``at``; a single value
    that is not a list counts as a list of one."""
    value = fields.raw(at)
    if isinstance(value, list):
        return [(f"{at}/{index}", item) for index, item in enumerate(value)]
    if value is MISSING or value is None:
        return []
    return [(at, value)]


def named_datasets(fields: Fields, at: str, role: str = "train") -> tuple[DatasetRef, ...]:
    """A reference for each dataset name in the list (or the single value) at
    ``at``; items that are not strings are skipped."""
    return tuple(
        dataset_ref(fields, p, v, role) for p, v in items(fields, at) if isinstance(v, str)
    )


def dataset_ref(fields: Fields, at: str, name: str, role: str = "train") -> DatasetRef:
    line, column = fields.document.position(at)
    return DatasetRef(
        name=name,
        pointer=at,
        line=line,
        column=column,
        role=role,
        local_files=local_files(name, fields.document),
    )


def training_arguments(f: Fields) -> dict[str, Any]:
    """The :class:`ConfigView` fields of the Hugging Face ``TrainingArguments``
    keys, which TRL and LLaMA-Factory (v0) configs hand on to the trainer
    unchanged: the same keys, and the defaults transformers assumes for the
    ones a config leaves out (a per-device batch of 8, 3 epochs). Not the
    learning rate: TRL's configs each change its default."""
    return {
        "micro_batch_size": f.integer("/per_device_train_batch_size") or f.default(8),
        "gradient_accumulation": f.integer("/gradient_accumulation_steps") or f.default(1),
        "epochs": f.number("/num_train_epochs") or f.default(3.0),
        "max_steps": positive(f.integer("/max_steps")),
        "warmup_steps": f.number("/warmup_steps"),
        "warmup_ratio": f.number("/warmup_ratio"),
        "eval_strategy": f.string("/eval_strategy", "/evaluation_strategy"),
        "eval_steps": f.number("/eval_steps"),
        "do_eval": f.boolean("/do_eval"),
        "save_steps": f.number("/save_steps"),
        "fp16": f.any("/fp16"),
        "output_names": f.each_string("/output_dir", "/run_name", "/hub_model_id"),
        "seed": f.integer("/seed"),
    }


_COMMENT_MODEL = re.compile(
    r"^#\s*(?:model defaults for|model:)\s*(\S+)", re.IGNORECASE | re.MULTILINE
)


def model_from_header_comment(document: ConfigDocument) -> str | None:
    """A model id a config states only in its header comment
    (``# Model defaults for unsloth/Llama-3.2-1B-Instruct``)."""
    match = _COMMENT_MODEL.search(document.text[:2000])
    return match.group(1) if match else None


class BuiltinFramework(ConfigFramework):
    """Shared plumbing of the built-in frameworks: the YAML dialect (JSON for
    ``.json`` files) and a key schema loaded on first use."""

    dialect: ClassVar[YamlDialect] = YamlDialect.PYYAML
    _schema: ClassVar[KeySchema | None] = None

    def yaml_dialect(self, document: ConfigDocument) -> YamlDialect | None:
        if document.path.suffix.lower() == ".json":
            return YamlDialect.JSON
        return self.dialect

    def key_schema(self) -> KeySchema | None:
        cls = type(self)
        # Read the class's own attribute: a subclass (open-r1 of TRL) must not
        # inherit the schema its base cached.
        if "_schema" not in cls.__dict__:
            cls._schema = self.build_schema()
        return cls._schema

    def build_schema(self) -> KeySchema | None:
        """The framework's :class:`KeySchema`; None when it has none."""
        return None
