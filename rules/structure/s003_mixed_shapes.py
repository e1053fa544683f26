"""S003 mixed-shapes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import Field

from ftlint.api import (
    DatasetRule,
    FileState,
    Finding,
    Location,
    RecordContext,
    RuleOptions,
    Severity,
)

from .._sample import Sample, merge_samples, sample_in
from .._wording import count
from ._common import shape_title

#: Per file: the records of each shape, in order of first appearance.
ShapeSamples = dict[str, Sample]


class MixedShapesOptions(RuleOptions):
    majority_share: float = Field(
        default=0.8,
        ge=0.5,
        le=1.0,
        description=(
            "The share of a file's records the most common shape needs for the others to be "
            "reported one by one."
        ),
    )


class MixedShapes(DatasetRule[ShapeSamples]):
    """## What it does
    Checks that all records of a file have one shape. When one shape has a
    clear majority (`majority-share` of the file's records, 80% by default),
    each record of another shape is reported, naming the majority shape.
    When no shape has such a majority, the file gets one finding that counts
    the records of each shape, since singling out hundreds of records as
    strays would not help.

    ## Why is this bad?
    Trainers pick one format per file (or per dataset entry) from the
    first records or from the config, then read every record that way: an
    Alpaca record in a chat file is dropped, fails the run, or trains on
    empty turns. Mixed files usually come from concatenating sources.

    ## Example
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hi!"}]}
    {"instruction": "Greet me", "input": "", "output": "Hello!"}
    ```

    Use instead:
    ```jsonl
    {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hi!"}]}
    {"messages": [{"role": "user", "content": "Greet me"}, {"role": "assistant", "content": "Hi!"}]}
    ```
    """

    code = "S003"
    name = "mixed-shapes"
    summary = "A file mixes record shapes; the records of the minority shapes are reported."
    severity = Severity.ERROR
    Options = MixedShapesOptions

    def start(self) -> ShapeSamples:
        return {}

    def add(self, state: ShapeSamples, record: RecordContext) -> None:
        assert record.view is not None  # only shaped records are added
        sample_in(state, record.view.shape).add(record)

    def merge(self, earlier: ShapeSamples, later: ShapeSamples) -> ShapeSamples:
        return merge_samples(earlier, later)

    def finish(self, files: Sequence[FileState[ShapeSamples]]) -> Iterator[Finding]:
        for file_state in files:
            if len(file_state.state) > 1:
                yield from self._check_file(file_state.file.display, file_state.state)

    def _check_file(self, path: str, shapes: ShapeSamples) -> Iterator[Finding]:
        total = sum(sample.count for sample in shapes.values())
        majority = max(shapes, key=lambda shape: shapes[shape].count)
        if shapes[majority].count / total < self.options.majority_share:
            counts = ", ".join(
                f"{sample.count:,} {shape_title(shape)}"
                for shape, sample in sorted(shapes.items(), key=lambda kv: -kv[1].count)
            )
            yield self.finding(
                f"file mixes record shapes with no clear majority ({counts}); "
                "use one shape per file",
                Location(path),
            )
            return
        context = (
            f"{shapes[majority].count:,} of {count(total, 'record')} in this file "
            f"are {shape_title(majority)}"
        )
        for shape, sample in shapes.items():
            if shape != majority:
                yield from self._strays(path, shape_title(shape), sample, context)

    def _strays(self, path: str, title: str, sample: Sample, context: str) -> Iterator[Finding]:
        for location, key in sample.locations(path):
            yield self.finding(f"record is {title} but {context}", location, content_key=key)
        if sample.unlisted:
            more = count(sample.unlisted, "more record")
            verb = "is" if sample.unlisted == 1 else "are"
            yield self.finding(f"{more} {verb} {title} but {context}", Location(path))
