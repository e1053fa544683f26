"""C004 example-dataset."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import DatasetRef, finding_at, training_view

#: Datasets that frameworks and tutorials ship as examples, by lower-case name.
EXAMPLE_DATASETS = frozenset(
    {
        "mhenrichsen/alpaca_2k_test",
        "tatsu-lab/alpaca",
        "yahma/alpaca-cleaned",
        "alpaca_en_demo",
        "alpaca_zh_demo",
        "identity",
        "mlx-community/wikisql",
        "mlabonne/guanaco-llama2-1k",
        "timdettmers/openassistant-guanaco",
    }
)
#: Names that say what they are: LLaMA-Factory's ``*_demo`` sets, hub ``*_test`` sets.
_DEMO_NAME = re.compile(r"(?:^|[/_-])(?:demo|test)$|[_-](?:demo|test)(?:[_-]\d+k?)?$")


class ExampleDatasetOptions(RuleOptions):
    max_samples_limit: int = Field(
        default=1000, ge=1, description="A `max_samples` cap up to this is an example cap."
    )


class ExampleDataset(ConfigRule):
    """## What it does
    Reports training datasets that ship as examples with the frameworks
    (`mhenrichsen/alpaca_2k_test`, `tatsu-lab/alpaca`, LLaMA-Factory's
    `alpaca_en_demo` and `identity`, MLX-LM's `mlx-community/WikiSQL`, any
    `*_demo` or `*_test` set), and example caps on the data such as
    LLaMA-Factory's `max_samples: 1000` (up to `max-samples-limit`).

    ## Why is this bad?
    The example config ran, so the run "works", but it trains on someone
    else's two thousand toy records (or the first thousand of yours) instead
    of your data. Example configs are written to be copied; these lines are
    the ones that must not survive the copy.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: mhenrichsen/alpaca_2k_test
        type: alpaca
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    datasets:
      - path: data/train.jsonl
        type: chat_template
    ```
    """

    code = "C004"
    name = "example-dataset"
    summary = "A dataset that ships as an example, or an example cap like max_samples: 1000."
    severity = Severity.WARNING
    Options = ExampleDatasetOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None:
            return
        for ref in view.datasets:
            if is_example(ref):
                yield finding_at(
                    self,
                    config,
                    ref,
                    f"dataset '{ref.name}' is an example dataset that ships with the framework "
                    f"or a tutorial; train on your own data",
                )
        cap = view.max_samples
        if cap is not None and cap.value <= self.options.max_samples_limit:
            yield finding_at(
                self,
                config,
                cap,
                f"{cap.key}: {cap.value} keeps only the first {cap.value:,} records of each "
                f"dataset: an example cap left in",
            )


def is_example(ref: DatasetRef) -> bool:
    """Whether a dataset reference names an example dataset. A local file is
    one only when it is a known example by name (LLaMA-Factory's
    ``alpaca_en_demo`` resolves to a file in ``data/``)."""
    name = ref.name.strip().lower()
    if name in EXAMPLE_DATASETS:
        return True
    return not ref.local_files and bool(_DEMO_NAME.search(name))
