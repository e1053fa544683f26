"""``--output-format jsonl``: one finding a line, for streaming consumers.

Each line is a compact JSON object with exactly the schema of an element of
the ``json`` format's ``findings`` array (see :func:`finding_to_dict`). There
is no envelope and no summary line, so ``wc -l`` counts findings and ``jq -c``
or a line-by-line reader need no special cases; a consumer that needs the tool
version or the summary should use ``json``. Output is ASCII, as ``json``'s.
"""

from __future__ import annotations

import json
from typing import ClassVar

from ftlint.core.findings import Finding
from ftlint.reporters.base import Reporter
from ftlint.reporters.json_format import finding_to_dict


class JsonLinesReporter(Reporter):
    """One JSON object a line, one line a finding."""

    name: ClassVar[str] = "jsonl"
    description: ClassVar[str] = "One JSON object per finding per line, no envelope."

    def add(self, finding: Finding) -> None:
        self.stream.write(json.dumps(finding_to_dict(finding), separators=(",", ":")) + "\n")
