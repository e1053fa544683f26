"""ftlint: a linter for LLM fine-tuning datasets and training configs.

The public API for rule and plugin authors is :mod:`ftlint.api`; its main
names are re-exported here so that ``from ftlint import Finding`` keeps
working. Everything outside :mod:`ftlint.api` and :mod:`ftlint.testing` is
internal.
"""

from ftlint._version import __version__
from ftlint.api import (
    ConfigContext,
    ConfigDocument,
    ConfigFramework,
    ConfigRule,
    DatasetFile,
    DatasetRule,
    Edit,
    FileState,
    Finding,
    Fix,
    FixSafety,
    Location,
    ModelSpec,
    Reader,
    Record,
    RecordContext,
    RecordRule,
    RecordView,
    RelatedLocation,
    Reporter,
    Role,
    Rule,
    RuleOptions,
    Severity,
    Shape,
    Split,
    Summary,
    Turn,
    hookimpl,
)

__all__ = [
    "ConfigContext",
    "ConfigDocument",
    "ConfigFramework",
    "ConfigRule",
    "DatasetFile",
    "DatasetRule",
    "Edit",
    "FileState",
    "Finding",
    "Fix",
    "FixSafety",
    "Location",
    "ModelSpec",
    "Reader",
    "Record",
    "RecordContext",
    "RecordRule",
    "RecordView",
    "RelatedLocation",
    "Reporter",
    "Role",
    "Rule",
    "RuleOptions",
    "Severity",
    "Shape",
    "Split",
    "Summary",
    "Turn",
    "__version__",
    "hookimpl",
]
