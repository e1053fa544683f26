"""What ftlint knows about base models, without the network.

Config rules need a few facts about the model a config trains: its family
(to tell a Llama 3 chat template on a Qwen model), its parameter count (a
learning rate that suits 8B is too high for 70B), its context length (a
sequence length past it needs rope scaling), and the names of its layers (LoRA
target modules). They come, in this order, from:

1. a local model folder's ``config.json``, when the model id is a path that
   exists: the facts the trainer itself will read;
2. models that plugins add through the ``ftlint_models`` hook (their specs are
   tried before the built-in ones, so a plugin can correct a built-in entry);
3. the built-in table below, matched against the model id (``Qwen/Qwen2.5-7B``,
   ``meta-llama/Llama-3.1-8B-Instruct``, torchtune's ``llama3_1_8b``), and the
   size written in the id (``8B``, ``0.5b``, ``1.1B``, ``135M``, ``8x7B``).

A fact nobody knows is None, and the rules that need it stay silent.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

#: Layer-naming styles, for LoRA target modules. ``llama``: separate
#: q/k/v/o and gate/up/down projections (Llama, Mistral, Qwen 2+, Gemma, ...).
#: ``phi3``: fused ``qkv_proj`` and ``gate_up_proj`` (Phi-3, Phi-3.5, Phi-4).
LLAMA_MODULES = "llama"
PHI3_MODULES = "phi3"


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One entry of a model table: a regular expression over the normalised
    model id (lower case, ``_`` and spaces turned into ``-``) and the facts it
    implies. Plugins return these from ``ftlint_models``.

    ``context`` may depend on the variant, so it can also be given as
    ``contexts``: (regular expression, context) pairs tried in order before
    ``context``. ``params_b`` fixes the size when the id does not say it (or
    says the active size only, as Llama 4's ``17B-16E``).
    """

    pattern: str
    family: str
    generation: str
    context: int | None = None
    contexts: tuple[tuple[str, int], ...] = ()
    template_family: str | None = None
    tokenizer: str | None = None
    modules: str | None = None
    params_b: float | None = None
    sizes: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class ModelFacts:
    """What is known about one model. Every fact but ``id`` may be None.

    ``family`` is coarse (``llama``, ``qwen``, ``mistral``); ``generation`` is
    finer and readable (``Llama 3.1``, ``Qwen2.5``). ``template_family`` names
    the chat format the model was trained with (``llama3``, ``chatml-qwen``);
    ``tokenizer`` its tokenizer lineage (``llama-sentencepiece``,
    ``llama3-tiktoken``). ``params_b`` is the total parameter count in
    billions, ``active_params_b`` the active one for a mixture of experts.
    ``rope_scaling`` is True when a local ``config.json`` already extends the
    context. ``source`` says where the facts came from, for messages.
    """

    id: str
    family: str | None = None
    generation: str | None = None
    params_b: float | None = None
    active_params_b: float | None = None
    context: int | None = None
    template_family: str | None = None
    tokenizer: str | None = None
    modules: str | None = None
    rope_scaling: bool = False
    source: str = "name"

    @property
    def size_label(self) -> str:
        """``8B``, ``0.5B``, ``135M``; empty when the size is unknown."""
        return format_size(self.params_b) if self.params_b is not None else ""

    @property
    def label(self) -> str:
        """A short readable name: ``an 8B Llama 3.1 model``-style pieces."""
        parts = [p for p in (self.size_label, self.generation) if p]
        return " ".join(parts) if parts else self.id


def format_size(params_b: float) -> str:
    """Billions as people write them: ``8B``, ``0.5B``, ``1.1B``, ``135M``."""
    if params_b < 1 and round(params_b, 1) != params_b:
        return f"{params_b * 1000:.0f}M"
    return f"{params_b:.1f}".rstrip("0").rstrip(".") + "B"


def normalise_id(model_id: str) -> str:
    """Lower case, with ``_`` and spaces as ``-``."""
    return re.sub(r"[_\s]+", "-", model_id.strip().lower())


# --- Sizes written in model ids.

_MOE = re.compile(r"(?<![a-z0-9.])(\d+)x(\d+(?:\.\d+)?)b(?![a-z0-9])")
_ACTIVE = re.compile(r"(?<![a-z0-9.])a(\d+(?:\.\d+)?)b(?![a-z0-9])")
_SIZE = re.compile(r"(?<![a-z0-9.])e?(\d+(?:\.\d+)?)([bm])(?![a-z0-9])")
#: Mixture-of-experts totals that are not experts x expert size.
_MOE_TOTALS = {(8, 7.0): 46.7, (8, 22.0): 141.0, (8, 3.0): 13.4}


def size_from_id(model_id: str) -> tuple[float | None, float | None]:
    """(total, active) parameters in billions written in a model id, or None.

    ``Qwen3-30B-A3B`` is (30, 3); ``Mixtral-8x7B`` is (46.7, None); ``135M`` is
    (0.135, None). A number glued to other letters (``v0.1``, ``2407``) is no size.
    """
    # ``stablelm-2-1_6b`` writes 1.6B with an underscore.
    decimal = re.sub(r"(?<![0-9.])([01])_(\d)b(?![a-z0-9])", r"\1.\2b", model_id.lower())
    text = normalise_id(decimal)
    active = None
    found = _ACTIVE.search(text)
    if found:
        active = float(found.group(1))
        text = text[: found.start()] + text[found.end() :]
    moe = _MOE.search(text)
    if moe:
        experts, each = int(moe.group(1)), float(moe.group(2))
        return _MOE_TOTALS.get((experts, each), round(experts * each * 0.8, 1)), active
    for match in _SIZE.finditer(text):
        number = float(match.group(1))
        billions = number if match.group(2) == "b" else number / 1000
        if 0.01 <= billions <= 2000:
            return billions, active
    return None, active


def sizes_in(text: str) -> list[float]:
    """Every size (billions) a free-form name may mean: ``llama3_2_8B_to_1B``
    gives [8, 1]; ``qwen2_1_5b`` gives [1.5, 5] (an underscore may be a
    decimal point or a separator); a mixture-of-experts total, never its
    active size."""
    lowered = text.lower()
    decimal = re.sub(r"(?<![0-9.])([01])_(\d)b(?![a-z0-9])", r"\1.\2b", lowered)
    normal = _ACTIVE.sub(
        "", normalise_id(f"{decimal} {lowered}" if decimal != lowered else lowered)
    )
    sizes = [
        _MOE_TOTALS.get((int(m.group(1)), float(m.group(2))), int(m.group(1)) * float(m.group(2)))
        for m in _MOE.finditer(normal)
    ]
    for match in _SIZE.finditer(_MOE.sub("", normal)):
        number = float(match.group(1))
        billions = number if match.group(2) == "b" else number / 1000
        if 0.01 <= billions <= 2000:
            sizes.append(billions)
    return sizes


# --- The built-in table. Order matters: the first matching pattern wins, so
# derived models (DeepSeek-R1 distills, CodeLlama) come before their bases.
#
# Models of one lineage share their family, chat template, tokenizer and layer
# names; each lineage states them once, and its rows add the pattern, the
# generation, the context and whatever differs.

_L = LLAMA_MODULES
_LLAMA2 = functools.partial(
    ModelSpec,
    family="llama",
    template_family="llama2",
    tokenizer="llama-sentencepiece",
    modules=_L,
)
_LLAMA3 = functools.partial(
    ModelSpec,
    family="llama",
    template_family="llama3",
    tokenizer="llama3-tiktoken",
    modules=_L,
)
_QWEN = functools.partial(
    ModelSpec, family="qwen", template_family="qwen", tokenizer="qwen", modules=_L
)
_MISTRAL = functools.partial(
    ModelSpec,
    family="mistral",
    template_family="mistral",
    tokenizer="llama-sentencepiece",
    modules=_L,
)
_GEMMA = functools.partial(
    ModelSpec, family="gemma", template_family="gemma", tokenizer="gemma", modules=_L
)
_PHI = functools.partial(ModelSpec, family="phi", template_family="phi3")
_DEEPSEEK = functools.partial(ModelSpec, family="deepseek", template_family="deepseek")

BUILTIN_MODELS: tuple[ModelSpec, ...] = (
    _QWEN(
        r"deepseek-r1-distill-qwen",
        generation="DeepSeek-R1-Distill-Qwen",
        context=131072,
        template_family="deepseek",
    ),
    _LLAMA3(
        r"deepseek-r1-distill-llama",
        generation="DeepSeek-R1-Distill-Llama",
        context=131072,
        template_family="deepseek",
    ),
    _LLAMA2(r"codellama|code-llama", generation="Code Llama", context=16384),
    ModelSpec(
        r"tinyllama",
        "llama",
        "TinyLlama",
        2048,
        tokenizer="llama-sentencepiece",
        modules=_L,
        params_b=1.1,
    ),
    ModelSpec(
        r"llama-?4",
        "llama",
        "Llama 4",
        1048576,
        contexts=((r"scout", 10485760),),
        template_family="llama4",
        tokenizer="llama4",
        sizes=((r"scout", 109.0), (r"maverick", 400.0)),
    ),
    _LLAMA3(
        r"llama-?3[.-]?2.*vision|llama-?3\.2-?11b|llama-?3\.2-?90b",
        generation="Llama 3.2 Vision",
        context=131072,
    ),
    _LLAMA3(r"llama-?3[.]1(?![0-9])", generation="Llama 3.1", context=131072),
    _LLAMA3(r"llama-?3[.]2(?![0-9])", generation="Llama 3.2", context=131072),
    _LLAMA3(r"llama-?3[.]3(?![0-9])", generation="Llama 3.3", context=131072),
    _LLAMA3(r"llama-?3(?![0-9.]|[bm]\b)", generation="Llama 3", context=8192),
    _LLAMA2(r"llama-?2(?![0-9]|[bm]\b)", generation="Llama 2", context=4096),
    ModelSpec(
        r"(?:^|[/-])(?:open-?)?llama(?![-0-9a-z]*(?:vision|guard))",
        "llama",
        "Llama",
        None,
        modules=_L,
    ),
    _QWEN(r"qwq", generation="QwQ", context=131072, params_b=32.0),
    _QWEN(r"qwen-?3\.5|qwen-?3-?next|qwen-?3.*2507", generation="Qwen3", context=262144),
    _QWEN(r"qwen-?3(?![0-9.])", generation="Qwen3", context=40960),
    _QWEN(r"qwen-?2\.5", generation="Qwen2.5", context=32768, contexts=((r"-1m", 1010000),)),
    _QWEN(r"qwen-?(?:2|1\.5)(?![0-9])", generation="Qwen2", context=32768),
    ModelSpec(r"qwen", "qwen", "Qwen", None, template_family="qwen", tokenizer="qwen"),
    _MISTRAL(r"mixtral|zephyr-(?:orpo-)?141b", generation="Mixtral", context=32768),
    _MISTRAL(
        r"mistral-?nemo|ministral|magistral|devstral|pixtral|mistral-?large|mistral-?medium",
        generation="Mistral (Tekken)",
        context=131072,
        contexts=((r"ministral-3|ministral3|2512", 262144),),
        tokenizer="mistral-tekken",
    ),
    _MISTRAL(
        r"mistral-?small",
        generation="Mistral Small",
        context=131072,
        contexts=((r"2409|22b", 32768),),
        tokenizer="mistral-tekken",
    ),
    _MISTRAL(
        r"mistral|zephyr-7b-(?:alpha|beta)|zephyr-7b-(?:sft|dpo)|openhermes-2",
        generation="Mistral",
        context=32768,
        params_b=7.2,
    ),
    _GEMMA(r"gemma-?3n", generation="Gemma 3n", context=32768),
    _GEMMA(
        r"gemma-?3(?![0-9])",
        generation="Gemma 3",
        context=131072,
        contexts=((r"(?<![0-9.])(?:1b|270m)", 32768),),
    ),
    _GEMMA(r"gemma-?2(?![0-9])", generation="Gemma 2", context=8192),
    _GEMMA(r"gemma-?[4-9]", generation="Gemma", context=None),
    _GEMMA(r"gemma", generation="Gemma", context=8192),
    _PHI(
        r"phi-?4-?mini",
        generation="Phi-4-mini",
        context=131072,
        tokenizer="phi4",
        modules=PHI3_MODULES,
        params_b=3.8,
    ),
    _PHI(
        r"phi-?4(?![0-9])",
        generation="Phi-4",
        context=16384,
        contexts=((r"reasoning", 32768),),
        template_family="phi4",
        tokenizer="phi4",
        modules=PHI3_MODULES,
        params_b=14.7,
    ),
    _PHI(
        r"phi-?3\.5-?moe|phi-?3.*moe",
        generation="Phi-3.5-MoE",
        context=131072,
        tokenizer="llama-sentencepiece",
    ),
    _PHI(
        r"phi-?3",
        generation="Phi-3",
        context=4096,
        contexts=((r"128k|phi-?3\.5", 131072), (r"8k", 8192)),
        tokenizer="llama-sentencepiece",
        modules=PHI3_MODULES,
        sizes=((r"mini", 3.8), (r"small", 7.4), (r"medium", 14.0)),
    ),
    ModelSpec(r"phi-?(?:2|1\.5|1)(?![0-9])", "phi", "Phi-2", 2048, tokenizer="codegen"),
    _DEEPSEEK(
        r"deepseek-?(?:v3|r1|v3\.\d|prover-v2)",
        generation="DeepSeek-V3",
        context=163840,
        tokenizer="deepseek-v3",
        params_b=671.0,
    ),
    _DEEPSEEK(
        r"deepseek-?(?:v2|coder-v2)",
        generation="DeepSeek-V2",
        context=163840,
        tokenizer="deepseek-v2",
        sizes=((r"lite", 15.7),),
        params_b=236.0,
    ),
    _DEEPSEEK(
        r"deepseek-?coder",
        generation="DeepSeek-Coder",
        context=16384,
        tokenizer="deepseek",
        modules=_L,
    ),
    _DEEPSEEK(r"deepseek", generation="DeepSeek", context=None, tokenizer="deepseek"),
    ModelSpec(r"olmo-?3(?![0-9])", "olmo", "OLMo 3", 65536, template_family="olmo", modules=_L),
    ModelSpec(r"olmo-?2(?![0-9])", "olmo", "OLMo 2", 4096, template_family="olmo", modules=_L),
    ModelSpec(r"olmo", "olmo", "OLMo", None, template_family="olmo"),
    ModelSpec(
        r"smollm-?3(?![0-9])", "smollm", "SmolLM3", 65536, tokenizer="llama3-tiktoken", modules=_L
    ),
    ModelSpec(r"smollm-?2(?![0-9])", "smollm", "SmolLM2", 8192, tokenizer="smollm", modules=_L),
    ModelSpec(r"smollm", "smollm", "SmolLM", 2048, tokenizer="smollm", modules=_L),
    ModelSpec(
        r"gpt-?oss",
        "gpt-oss",
        "gpt-oss",
        131072,
        template_family="gpt-oss",
        tokenizer="o200k-harmony",
        sizes=((r"120b", 117.0), (r"20b", 21.0)),
    ),
    ModelSpec(r"falcon-?h1", "falcon", "Falcon-H1", 131072, template_family="falcon-h1"),
    ModelSpec(r"falcon-?e(?![a-z])", "falcon", "Falcon-E (BitNet)", 32768),
    ModelSpec(r"falcon-?(?:3(?![0-9])|mamba)", "falcon", "Falcon 3", 32768),
    ModelSpec(r"falcon", "falcon", "Falcon", 2048, tokenizer="falcon"),
    ModelSpec(
        r"(?:^|[/-])yi-",
        "yi",
        "Yi",
        4096,
        contexts=((r"200k", 200000), (r"32k", 32768), (r"16k", 16384)),
        template_family="chatml-yi",
        tokenizer="llama-sentencepiece",
        modules=_L,
    ),
    ModelSpec(r"glm", "glm", "GLM", None, template_family="glm"),
    ModelSpec(r"internlm|internvl", "internlm", "InternLM", None, template_family="internlm"),
    ModelSpec(r"baichuan", "baichuan", "Baichuan", None, template_family="baichuan"),
    ModelSpec(
        r"command-?r|c4ai|cohere|aya", "cohere", "Command R", 131072, template_family="cohere"
    ),
    ModelSpec(r"granite", "granite", "Granite", None, template_family="granite"),
    ModelSpec(r"starcoder", "starcoder", "StarCoder", 16384),
    ModelSpec(r"(?:^|[/-])gpt-?2", "gpt2", "GPT-2", 1024, params_b=0.124),
)


def _compile(specs: Iterable[ModelSpec]) -> list[tuple[re.Pattern[str], ModelSpec]]:
    return [(re.compile(spec.pattern), spec) for spec in specs]


class ModelCatalog:
    """Looks models up: a local ``config.json`` first, then plugin specs, then
    the built-in table. ``base`` is the folder relative model paths are
    resolved against (the config file's folder); the working directory is tried
    too."""

    def __init__(self, extra: Sequence[ModelSpec] = ()) -> None:
        self._specs = _compile([*extra, *BUILTIN_MODELS])
        self._cache: dict[tuple[str, str], ModelFacts] = {}

    def lookup(self, model_id: str, base: Path | None = None) -> ModelFacts:
        key = (model_id, str(base))
        if key not in self._cache:
            self._cache[key] = self._lookup(model_id, base)
        return self._cache[key]

    def _lookup(self, model_id: str, base: Path | None) -> ModelFacts:
        named = self.from_name(model_id)
        local = _local_config(model_id, base)
        if local is None:
            return named
        return _merge_local(named, local)

    def from_name(self, model_id: str) -> ModelFacts:
        """Facts from the model id alone."""
        text = normalise_id(model_id)
        total, active = size_from_id(model_id)
        for pattern, spec in self._specs:
            if pattern.search(text):
                return _facts_from_spec(model_id, text, spec, total, active)
        return ModelFacts(id=model_id, params_b=total, active_params_b=active)

    def family_in(self, text: str) -> ModelFacts | None:
        """The model a free-form name (an output folder, a run name) mentions,
        or None when it mentions no known family."""
        facts = self.from_name(text)
        return facts if facts.family is not None else None


def _facts_from_spec(
    model_id: str, text: str, spec: ModelSpec, total: float | None, active: float | None
) -> ModelFacts:
    context = spec.context
    for pattern, value in spec.contexts:
        if re.search(pattern, text):
            context = value
            break
    params = total
    for pattern, size in spec.sizes:
        if re.search(pattern, text):
            params = size
            break
    if params is None:
        params = spec.params_b
    return ModelFacts(
        id=model_id,
        family=spec.family,
        generation=spec.generation,
        params_b=params,
        active_params_b=active,
        context=context,
        template_family=spec.template_family,
        tokenizer=spec.tokenizer,
        modules=spec.modules,
        source="name",
    )


@functools.cache
def builtin_catalog() -> ModelCatalog:
    """A catalog of the built-in table only, shared (for callers without a run's catalog)."""
    return ModelCatalog()


# --- Local model folders.

#: ``model_type`` of a Hugging Face ``config.json`` -> (family, generation, modules).
_MODEL_TYPES: dict[str, tuple[str, str, str | None]] = {
    "llama": ("llama", "Llama", _L),
    "llama4": ("llama", "Llama 4", _L),
    "mllama": ("llama", "Llama 3.2 Vision", _L),
    "mistral": ("mistral", "Mistral", _L),
    "mixtral": ("mistral", "Mixtral", _L),
    "qwen2": ("qwen", "Qwen2", _L),
    "qwen2_moe": ("qwen", "Qwen2-MoE", _L),
    "qwen3": ("qwen", "Qwen3", _L),
    "qwen3_moe": ("qwen", "Qwen3-MoE", _L),
    "gemma": ("gemma", "Gemma", _L),
    "gemma2": ("gemma", "Gemma 2", _L),
    "gemma3": ("gemma", "Gemma 3", _L),
    "gemma3_text": ("gemma", "Gemma 3", _L),
    "phi3": ("phi", "Phi-3", PHI3_MODULES),
    "phi": ("phi", "Phi-2", None),
    "olmo": ("olmo", "OLMo", _L),
    "olmo2": ("olmo", "OLMo 2", _L),
    "gpt_oss": ("gpt-oss", "gpt-oss", None),
    "falcon": ("falcon", "Falcon", None),
    "deepseek_v2": ("deepseek", "DeepSeek-V2", None),
    "deepseek_v3": ("deepseek", "DeepSeek-V3", None),
}


def _local_config(model_id: str, base: Path | None) -> dict[str, Any] | None:
    """The ``config.json`` of a local model folder, when ``model_id`` is one."""
    if not model_id or "\n" in model_id or len(model_id) > 1024:
        return None
    candidates = [Path(model_id)]
    if base is not None and not Path(model_id).is_absolute():
        candidates.insert(0, base / model_id)
    for folder in candidates:
        config = folder / "config.json"
        try:
            if not config.is_file():
                continue
            data = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return data
    return None


def _merge_local(named: ModelFacts, config: dict[str, Any]) -> ModelFacts:
    """Facts from a local ``config.json``, falling back to the name's."""
    text_config = config.get("text_config")
    if isinstance(text_config, dict):
        config = {**config, **text_config}
    model_type = str(config.get("model_type", ""))
    family, generation, modules = _MODEL_TYPES.get(
        model_type, (named.family, named.generation, named.modules)
    )
    if model_type == "llama" and config.get("vocab_size") == 128256:
        generation = "Llama 3"
    context = config.get("max_position_embeddings")
    rope = config.get("rope_scaling")
    return replace(
        named,
        family=family,
        generation=generation,
        modules=modules,
        context=context if isinstance(context, int) and context > 0 else named.context,
        params_b=_estimate_params(config) or named.params_b,
        rope_scaling=isinstance(rope, dict)
        and rope.get("rope_type", rope.get("type"))
        not in (
            None,
            "default",
            "llama3",
        ),
        source="config.json",
    )


def _estimate_params(config: dict[str, Any]) -> float | None:
    """Parameters of a dense decoder from its ``config.json`` shape, in billions:
    attention, gated MLP and embeddings. Rough, but the size class is what
    matters. Mixture-of-experts configs (``num_local_experts``) multiply the MLP."""
    try:
        hidden = int(config["hidden_size"])
        layers = int(config["num_hidden_layers"])
        vocab = int(config.get("vocab_size", 32000))
        inter = int(config.get("intermediate_size", 4 * hidden))
        heads = int(config.get("num_attention_heads", 1))
        kv_heads = int(config.get("num_key_value_heads", heads))
        head_dim = int(config.get("head_dim") or hidden // max(heads, 1))
        experts = int(config.get("num_local_experts") or config.get("num_experts") or 1)
    except (KeyError, TypeError, ValueError):
        return None
    attention = hidden * head_dim * (2 * heads + 2 * kv_heads)
    mlp = 3 * hidden * inter * experts
    tied = bool(config.get("tie_word_embeddings", False))
    embeddings = vocab * hidden * (1 if tied else 2)
    total = layers * (attention + mlp) + embeddings
    return round(total / 1e9, 2) if total > 0 else None


# --- Names configs use for templates, tokenizers, model classes and layers.

#: Chat-template names (axolotl ``chat_template``, LLaMA-Factory ``template``,
#: Unsloth ``get_chat_template``) -> the model family whose format they are.
#: Generic formats (``chatml``, ``alpaca``, ``vicuna``, ``jinja``,
#: ``tokenizer_default``) belong to no family and match every model.
_TEMPLATE_FAMILIES: tuple[tuple[str, str], ...] = (
    (r"^llama-?4", "llama4"),
    (r"^(?:llama-?3|mllama)", "llama3"),
    (r"^llama-?2", "llama2"),
    (r"^(?:mistral|ministral|pixtral|magistral|devstral|mixtral)", "mistral"),
    (r"^(?:gemma|paligemma)", "gemma"),
    (r"^(?:qwen|qwq)", "qwen"),
    (r"^phi-?4-?mini", "phi3"),
    (r"^phi-?4", "phi4"),
    (r"^phi", "phi3"),
    (r"^deepseek", "deepseek"),
    (r"^(?:gpt-?oss|harmony)", "gpt-oss"),
    (r"^(?:cohere|command|aya)", "cohere"),
    (r"^falcon-?h1", "falcon-h1"),
    (r"^(?:chat)?glm", "glm"),
    (r"^olmo", "olmo"),
    (r"^granite", "granite"),
    (r"^intern", "internlm"),
    (r"^baichuan", "baichuan"),
    (r"^yi(?:-vl)?$", "chatml-yi"),
)


def template_family(name: str) -> str | None:
    """The model family a chat-template name belongs to; None for generic
    formats and for Jinja source."""
    text = normalise_id(name)
    if "{" in text or "\n" in name:
        return None
    for pattern, family in _TEMPLATE_FAMILIES:
        if re.search(pattern, text):
            return family
    return None


def accepted_template_families(facts: ModelFacts) -> frozenset[str]:
    """Template families that suit a model: its own, and for a derived model
    (a DeepSeek-R1 distill of Qwen) its base family's as well."""
    families = {facts.template_family} if facts.template_family else set()
    if facts.family == "qwen":
        families.add("qwen")
    return frozenset(families)


#: Tokenizer class names (axolotl ``tokenizer_type``) -> tokenizer lineage.
_TOKENIZER_CLASSES: tuple[tuple[str, str], ...] = (
    (r"^(?:code)?llamatokenizer$", "llama-sentencepiece"),
    (r"^gemma", "gemma"),
    (r"^qwen", "qwen"),
    (r"^gpt2", "gpt2"),
)


def tokenizer_lineage(class_name: str) -> str | None:
    """The lineage of a tokenizer class; None for ``AutoTokenizer`` and
    other generic classes."""
    text = class_name.strip().lower()
    for pattern, lineage in _TOKENIZER_CLASSES:
        if re.search(pattern, text):
            return lineage
    return None


#: Model class names (axolotl ``model_type``) and torchtune checkpoint types
#: (``LLAMA3``, ``QWEN2``) -> model family.
_MODEL_CLASSES: tuple[tuple[str, str], ...] = (
    (r"^llama", "llama"),
    (r"^mi[sx]tral", "mistral"),
    (r"^qwen", "qwen"),
    (r"^gemma", "gemma"),
    (r"^phi", "phi"),
    (r"^falcon", "falcon"),
    (r"^olmo", "olmo"),
    (r"^gpt-?oss", "gpt-oss"),
    (r"^deepseek", "deepseek"),
)
#: Families whose weights load into another family's class.
_CLASS_ALSO_LOADS = {"llama": frozenset({"smollm", "yi", "deepseek", "mistral"})}


def class_family(class_name: str) -> str | None:
    """The model family a model class or checkpoint type is for; None for
    ``AutoModelForCausalLM`` and other generic classes."""
    text = class_name.strip().lower().replace("_", "-")
    for pattern, family in _MODEL_CLASSES:
        if re.search(pattern, text):
            return family
    return None


def class_loads(class_family_name: str, model_family: str) -> bool:
    """Whether a model class of one family loads a model of another."""
    return model_family == class_family_name or model_family in _CLASS_ALSO_LOADS.get(
        class_family_name, frozenset()
    )


#: LoRA target names that belong to other architectures, by layer style.
FOREIGN_MODULES: dict[str, frozenset[str]] = {
    LLAMA_MODULES: frozenset(
        {
            "query_key_value",
            "c_attn",
            "wqkv",
            "w_pack",
            "dense_h_to_4h",
            "dense_4h_to_h",
            "qkv_proj",
        }
    ),
    PHI3_MODULES: frozenset({"q_proj", "k_proj", "v_proj", "gate_proj", "up_proj"}),
}


_BUILDER = re.compile(r"torchtune\.models\.(?P<module>[a-z0-9_]+)\.(?P<function>[a-z0-9_]+)$")


def model_id_from_builder(component: str) -> str | None:
    """A readable model id from a torchtune model builder:
    ``torchtune.models.qwen2_5.lora_qwen2_5_0_5b`` -> ``qwen2.5-0.5b``,
    ``torchtune.models.llama3_1.lora_llama3_1_8b`` -> ``llama3.1-8b``."""
    match = _BUILDER.match(component.strip())
    if not match:
        return None
    module, function = match.group("module"), match.group("function")
    function = re.sub(r"^(?:q?lora|dora|qdora)_", "", function)
    rest = function[len(module) :].lstrip("_") if function.startswith(module) else function
    generation = re.sub(r"(?<=\d)_(?=\d)", ".", module).replace("_", "-")
    size = re.sub(r"(?<=\d)_(?=\d)", ".", rest).replace("_", "-")
    return f"{generation}-{size}" if size else generation
