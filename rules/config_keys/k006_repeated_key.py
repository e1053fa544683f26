"""K006 repeated-key."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ftlint.api import (
    ConfigContext,
    ConfigRule,
    Finding,
    Location,
    RelatedLocation,
    Severity,
    unescape_token,
)


class RepeatedKey(ConfigRule):
    """## What it does
    Reports a key given more than once in one mapping of a config. ftlint
    reads such a file as the trainer does, with the last value (PyYAML,
    which most trainers load configs with, and Python's `json` module both
    keep the last), and lints that value. A repetition with the same value is
    a warning; one whose values differ is an error.

    ## Why is this bad?
    Neither loader says anything: the earlier value is dropped in silence.
    Someone reading the file top-down sees the first value and believes the
    run uses it; a config edited by appending (`learning_rate` changed at the
    bottom, the old one left at the top) trains with whichever came last,
    and other YAML tools (ruamel.yaml, many editors and schema validators)
    refuse the file or keep the first.

    ## Example
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    learning_rate: 2e-4
    num_epochs: 3
    learning_rate: 2e-5
    ```

    Use instead:
    ```yaml
    base_model: meta-llama/Llama-3.1-8B
    num_epochs: 3
    learning_rate: 2e-5
    ```
    """

    code = "K006"
    name = "repeated-key"
    summary = "A key given more than once in one mapping: the trainer keeps the last value."
    severity = Severity.WARNING

    def check(self, config: ConfigContext) -> Iterator[Finding]:
        document = config.document
        seen: Counter[str] = Counter()
        for repeated in document.repeated_keys:
            seen[repeated.pointer] += 1
            key = unescape_token(repeated.pointer.rsplit("/", 1)[-1])
            first = RelatedLocation(
                Location(document.display, repeated.first_line, 1), "first given here"
            )
            if repeated.same_value:
                message = (
                    f"'{key}' is given again with the same value (first on line "
                    f"{repeated.first_line}); remove one"
                )
            else:
                message = (
                    f"'{key}' is given again with a different value (first on line "
                    f"{repeated.first_line}): the trainer uses this one and drops the "
                    "earlier value in silence"
                )
            yield self.finding(
                message,
                Location(
                    document.display, repeated.line, repeated.column, pointer=repeated.pointer
                ),
                related=(first,),
                severity=None if repeated.same_value else Severity.ERROR,
                # The how-many-th repetition, not the line: stable as lines move.
                content_key=f"repeated-{seen[repeated.pointer]}",
            )
