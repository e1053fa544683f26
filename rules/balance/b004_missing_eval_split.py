"""B004 missing-eval-split."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ftlint.api import FileState, Finding, Location, Severity

from .._compare import CountingRule, RecordCount, train_and_eval
from .._wording import count


class MissingEvalSplit(CountingRule):
    """## What it does
    Checks that a dataset with a train split also has a validation or a test
    split: a file of the same dataset whose name, folder, dataset card or
    the `splits` setting says so, such as `valid.jsonl`, `dev.jsonl`,
    `eval/part-0.jsonl` or `test.jsonl`, or a file a training config
    evaluates on while training on this one. A train file that a config
    splits evaluation data off (axolotl `val_set_size`, LLaMA-Factory
    `val_size`) has one. The finding is at the first train file. A file
    whose name names no split is not a train split and is not checked.

    ## Why is this bad?
    Without held-out data nothing tells when the model starts to overfit:
    the training loss keeps falling while the model gets worse, and the
    best checkpoint cannot be chosen. A few percent of the data set aside
    costs little.

    ## Example
    A folder holding `train.jsonl` and nothing else.

    Use instead:
    A folder holding `train.jsonl` and `valid.jsonl` (for example 5% of the
    records, split off before training), or a training config that names an
    eval split.
    """

    code = "B004"
    name = "missing-eval-split"
    summary = "A dataset has a train split but no validation or test split."
    severity = Severity.WARNING

    def finish(self, files: Sequence[FileState[RecordCount]]) -> Iterator[Finding]:
        train, evaluation = train_and_eval(files)
        # An empty file is no split; a file a config splits eval data off has one.
        train = [f for f in train if f.state.records and not f.file.eval_split_by]
        if train and not evaluation:
            records = sum(f.state.records for f in train)
            yield self.finding(
                f"train split ({count(records, 'record')}) has no validation or test split "
                "beside it, so overfitting cannot be seen",
                Location(train[0].file.display),
            )
