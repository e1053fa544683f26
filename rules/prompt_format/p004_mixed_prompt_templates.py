"""P004 mixed-prompt-templates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from ftlint.api import DatasetRule, FileState, Finding, RecordContext, Severity

from .._sample import Sample, located, merge_samples, sample_in
from ._common import (
    TEMPLATE_TITLES,
    TEMPLATES,
    detect_templates,
    has_preformatted_texts,
    is_preformatted,
    share,
)

#: Per file: the records by the templates their pre-formatted texts fit,
#: keyed by the template keys joined with ``|`` (``llama2|mistral``).
TemplateSamples = dict[str, Sample]

_ORDER = {t.key: i for i, t in enumerate(TEMPLATES)}


class MixedPromptTemplates(DatasetRule[TemplateSamples]):
    """## What it does
    Recognises the chat template that pre-formatted texts (`text`, string
    `prompt`/`completion`, string `chosen`/`rejected`) are written in, by its
    markers: Alpaca (`### Instruction:`), ChatML (`<|im_start|>`), Llama-2
    (`[INST]`, `<<SYS>>`), Llama-3 (`<|start_header_id|>`), Mistral
    (`[INST]`, `[TOOL_CALLS]`), Gemma (`<start_of_turn>`), Phi-3
    (`<|user|>` with `<|end|>`), Zephyr (`<|user|>` with `</s>`), Vicuna
    (`USER:` and `ASSISTANT:`) and Human/Assistant (`Human:` and
    `Assistant:` at line starts). When the records of a dataset use more
    than one, each record whose template is not the most common one is
    reported, naming both. Markers that fit two templates (`[INST]` alone)
    are compatible with either. Templates in chat message content are P006.

    ## Why is this bad?
    The model learns the template it is trained on and is prompted with one
    template at inference. Mixed templates, usually from concatenating
    datasets, split what it learns between formats, and a share of the data
    teaches it markers that inference never sends.

    ## Example
    ```jsonl
    {"text": "<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\nHello!<|im_end|>"}
    {"text": "<|im_start|>user\\nBye<|im_end|>\\n<|im_start|>assistant\\nBye!<|im_end|>"}
    {"text": "### Instruction:\\nSay thanks.\\n\\n### Response:\\nThank you!"}
    ```

    Use instead:
    ```jsonl
    {"text": "<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\nHello!<|im_end|>"}
    {"text": "<|im_start|>user\\nBye<|im_end|>\\n<|im_start|>assistant\\nBye!<|im_end|>"}
    {"text": "<|im_start|>user\\nSay thanks.<|im_end|>\\n<|im_start|>assistant\\nThanks!"}
    ```
    """

    code = "P004"
    name = "mixed-prompt-templates"
    summary = "Pre-formatted texts of one dataset use different chat templates."
    severity = Severity.ERROR

    def start(self) -> TemplateSamples:
        return {}

    def add(self, state: TemplateSamples, record: RecordContext) -> None:
        assert record.view is not None  # only shaped records are added
        if not has_preformatted_texts(record):
            return
        keys: frozenset[str] = frozenset()
        for turn in record.view.texts():
            if is_preformatted(turn) and turn.text:
                keys |= detect_templates(turn.text)
        if keys:
            key = "|".join(sorted(keys, key=_ORDER.__getitem__))
            sample_in(state, key).add(record)

    def merge(self, earlier: TemplateSamples, later: TemplateSamples) -> TemplateSamples:
        return merge_samples(earlier, later)

    def finish(self, files: Sequence[FileState[TemplateSamples]]) -> Iterator[Finding]:
        fits: Counter[str] = Counter()
        for file_state in files:
            for key, sample in file_state.state.items():
                for template in key.split("|"):
                    fits[template] += sample.count
        if len(fits) < 2:
            return
        total = sum(s.count for f in files for s in f.state.values())
        majority, number = min(fits.items(), key=lambda kv: (-kv[1], _ORDER[kv[0]]))
        if number == total:
            return
        title = TEMPLATE_TITLES[majority]
        for file_state in files:
            for key, sample in file_state.state.items():
                if majority in key.split("|"):
                    continue
                own = " or ".join(TEMPLATE_TITLES[k] for k in key.split("|"))
                yield from located(
                    self,
                    [sample],
                    file_state.file.display,
                    f"record uses the {own} template but {share(number, total)} templated "
                    f"records in this dataset use {title}",
                    f"{{count}} more records use the {own} template but "
                    f"{share(number, total)} templated records in this dataset use {title}",
                )
