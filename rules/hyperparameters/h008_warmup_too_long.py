"""H008 warmup-too-long."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import Field

from ftlint.api import ConfigContext, ConfigRule, Finding, RuleOptions, Severity
from ftlint.api.configs import Located, finding_at, fmt, schedule, training_data, training_view


class WarmupTooLongOptions(RuleOptions):
    max_share: float = Field(
        default=0.2, gt=0, le=1, description="Largest share of the run spent warming up."
    )


class WarmupTooLong(ConfigRule):
    """## What it does
    Checks the learning-rate warmup against the length of the run. Warmup
    as long as the run or longer is an error; over `max-share` (20%) of the
    run is a warning. A `warmup_ratio` is checked on its own; warmup in
    steps needs the total steps, from `max_steps` or from the training data
    linted in the same run.

    ## Why is this bad?
    During warmup the learning rate is below its set value; a run that is
    mostly warmup trains at a fraction of the intended rate and never
    reaches the decay. `warmup_steps: 100` copied from a 10,000-step config
    into a 120-step run is the usual cause.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    max_steps: 100
    warmup_steps: 100
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    max_steps: 100
    warmup_steps: 10
    ```
    """

    code = "H008"
    name = "warmup-too-long"
    summary = "Warmup as long as the run (error) or over 20% of it (warning)."
    severity = Severity.ERROR
    Options = WarmupTooLongOptions

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        view = training_view(config)
        if view is None:
            return
        ratio = view.warmup_ratio
        steps = view.warmup_steps
        if steps is not None and 0 < steps.value < 1:
            ratio, steps = steps, None  # transformers 5 takes a fraction as a ratio
        if ratio is not None and ratio.value > 0:
            yield from self._check_share(
                config, ratio, ratio.value, f"warmup_ratio {fmt(ratio.value)}"
            )
            return
        if steps is None or steps.value <= 0:
            return
        plan = schedule(config, training_data(config))
        total = plan.total_steps if plan is not None else None
        if total:
            yield from self._check_share(
                config, steps, steps.value / total, f"{fmt(steps.value)} warmup steps of {total}"
            )

    def _check_share(
        self, config: ConfigContext, value: Located[float], share: float, what: str
    ) -> Iterator[Finding]:
        if share >= 1:
            yield finding_at(
                self,
                config,
                value,
                f"{what}: the whole run is warmup, so the learning rate never reaches "
                f"its set value",
            )
        elif share > self.options.max_share:
            yield finding_at(
                self,
                config,
                value,
                f"{what} spends {share:.0%} of the run warming up; over "
                f"{self.options.max_share:.0%} leaves little of it at the set learning rate",
                severity=Severity.WARNING,
            )
