"""What a run reads and why, for ``ftlint check --show-files``.

Every file discovery found, one a line, with its role:

- ``dataset``: a dataset file, with its split and the dataset it belongs to
  (the files whose splits are compared with each other: leakage, B002,
  B004, S009) and how that was found (:mod:`ftlint.run.layouts`);
- ``companion``: a dataset file or config read because a named file needs
  it, whose own findings are not reported (:mod:`ftlint.run.companions`);
- ``config``: a training config, with the framework that recognised it;
- ``skipped``: found but not read, and why.
"""

from __future__ import annotations

from collections.abc import Iterator

from ftlint.run.engine import Inputs

_HEADER = ("path", "role", "split", "dataset", "how")
_DATASET = (
    "A dataset is the set of files whose splits are compared with each other "
    "(leakage L001-L003, B002, B004, S009): see 'Datasets and splits' in the README."
)


def describe_files(inputs: Inputs) -> list[str]:
    """The lines ``--show-files`` prints: a table and what a dataset is."""
    rows = sorted(_rows(inputs))
    table = [_HEADER, *rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(_HEADER) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in table
    ]
    lines = [line.rstrip() for line in lines]
    return [*lines, "", _DATASET]


def _rows(inputs: Inputs) -> Iterator[tuple[str, str, str, str, str]]:
    def role(display: str, kind: str) -> str:
        named = inputs.report_only is None or display in inputs.report_only
        return kind if named else "companion"

    for file in inputs.datasets:
        split = str(file.split) if file.split is not None else "-"
        how = file.layout + (f"; eval split by {file.eval_split_by}" if file.eval_split_by else "")
        yield file.display, role(file.display, "dataset"), split, file.dataset, how
    for config in inputs.configs:
        display = config.document.display
        framework = f"{config.framework} config" if config.framework else "no framework (K005)"
        yield display, role(display, "config"), "-", "-", framework
    for display, why in sorted([*inputs.skipped, *inputs.unread]):
        yield display, "skipped", "-", "-", why
