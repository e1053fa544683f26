"""The public API of ftlint: what a rule, shape, reader, reporter or config
framework plugin may import. Built-in rules import nothing else of ftlint
(``lint-imports`` and ``tests/test_layout.py`` hold them to it).

- :mod:`ftlint.api` (this module): the hook specs' ``hookimpl`` marker, rule
  base classes and their contexts, findings, records and their views, the
  base classes a plugin implements, JSON Pointer helpers, and a rule's
  documentation put together from its docstring and options
  (:mod:`ftlint.api.documentation`).
- :mod:`ftlint.api.configs`: the normalised config view and everything a
  config rule uses.
- :mod:`ftlint.api.text`: hashes, hashed states, MinHash and token lengths
  for dataset rules.
- :mod:`ftlint.api.execution` (its names re-exported here): units of work,
  the job of a run, file outcomes and their merge, and the executor base
  class, for executor plugins (``--engine``).
- :mod:`ftlint.testing`: running the real engine on small fixtures in tests.
"""

from ftlint.api.documentation import RuleDocumentation, rule_documentation
from ftlint.api.execution import (
    Executor,
    ExecutorError,
    ExecutorOptions,
    FileOutcome,
    Job,
    PlanMismatchError,
    Progress,
    Unit,
    UnitError,
    merge_in_order,
    number,
)
from ftlint.api.hookspecs import hookimpl
from ftlint.api.rules import (
    ConfigContext,
    ConfigRule,
    DatasetRule,
    Keyed,
    RecordContext,
    RecordRule,
    Rule,
    RuleOptions,
)
from ftlint.configs.document import ConfigDocument
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.model_catalog import ModelSpec
from ftlint.core.findings import (
    Edit,
    Finding,
    Fix,
    FixSafety,
    Location,
    RecordChange,
    RelatedLocation,
    Severity,
    Summary,
)
from ftlint.core.pointers import (
    escape_token,
    join_tokens,
    pointer,
    pointer_tokens,
    unescape_token,
)
from ftlint.core.records import (
    DatasetFile,
    FileState,
    Record,
    RecordView,
    Role,
    Split,
    Turn,
)
from ftlint.readers.base import Reader
from ftlint.reporters.base import Reporter
from ftlint.shapes.base import Shape

__all__ = [
    "ConfigContext",
    "ConfigDocument",
    "ConfigFramework",
    "ConfigRule",
    "DatasetFile",
    "DatasetRule",
    "Edit",
    "Executor",
    "ExecutorError",
    "ExecutorOptions",
    "FileOutcome",
    "FileState",
    "Finding",
    "Fix",
    "FixSafety",
    "Job",
    "Keyed",
    "Location",
    "ModelSpec",
    "PlanMismatchError",
    "Progress",
    "Reader",
    "Record",
    "RecordChange",
    "RecordContext",
    "RecordRule",
    "RecordView",
    "RelatedLocation",
    "Reporter",
    "Role",
    "Rule",
    "RuleDocumentation",
    "RuleOptions",
    "Severity",
    "Shape",
    "Split",
    "Summary",
    "Turn",
    "Unit",
    "UnitError",
    "escape_token",
    "hookimpl",
    "join_tokens",
    "merge_in_order",
    "number",
    "pointer",
    "pointer_tokens",
    "rule_documentation",
    "unescape_token",
]
