"""T001 exceeds-max-tokens."""

from __future__ import annotations

from collections.abc import Iterable

from ftlint.api import Finding, RecordContext, RecordRule, Severity


class ExceedsMaxTokens(RecordRule):
    """## What it does
    Counts each record's tokens and reports records longer than the run's
    token limit. The count uses the encoding in settings (`[tokens]
    encoding`, or the one `[tokens] model` uses; `o200k_base` by default)
    and includes the chat overhead of message records: 3 tokens per message
    plus its role, and 3 to prime the reply (see "Token counting" in the
    README). The limit is `[tokens] max-tokens`; without it, the smallest
    sequence length of the training configs linted in the same run
    (`sequence_len: 2048`), else 4096. The message names where the limit
    comes from.

    Counting is exact where it matters and cheap elsewhere: a record has at
    most as many tokens as its text has UTF-8 bytes (plus the chat
    overhead), so only records whose byte count exceeds the limit are
    tokenised; the findings are those of counting every record.

    ## Why is this bad?
    Trainers cut a record at the sequence length, or drop it: a truncated
    record loses its response (the part the model learns from) or its end
    of sequence, so the model learns answers that stop mid-sentence, and a
    dropped one silently shrinks the dataset.

    ## Example
    With `max-tokens = 4096` in `[tokens]`, a record of 5,210 tokens:
    ```json
    {"instruction": "Summarise this report.", "input": "<12,000 words>", "output": "..."}
    ```

    Use instead: split the document into parts that fit, or raise the
    sequence length of the run and `max-tokens` with it.
    ```json
    {"instruction": "Summarise this part of a report.", "input": "<part 1 of 3>", "output": "..."}
    ```
    """

    code = "T001"
    name = "exceeds-max-tokens"
    summary = "A record has more tokens than max-tokens and will be truncated or dropped."
    severity = Severity.ERROR
    requires = frozenset({"tokens"})

    def check(self, record: RecordContext) -> Iterable[Finding]:
        limit = record.token_limit
        if record.token_bound.total <= limit.tokens:
            return ()  # cannot be over: no need to tokenise
        tokens = record.tokens.total
        if tokens <= limit.tokens:
            return ()
        encoding = record.counter.encoding_name if record.counter else ""
        return [
            self.finding(
                f"record has {tokens:,} tokens ({encoding}), over the limit of "
                f"{limit.tokens:,} ({limit.source}); it will be truncated or dropped",
                record.location(),
                content_key=record.raw_hash,
            )
        ]
