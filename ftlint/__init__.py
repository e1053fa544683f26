"""ftlint: a linter for LLM fine-tuning datasets and training configs.

The public API for rule and plugin authors is re-exported here; everything
else is internal.
"""

from ftlint.configs import ConfigDocument, ConfigFramework
from ftlint.hookspecs import hookimpl
from ftlint.model import Edit, Finding, Fix, Location, RelatedLocation, Severity, Summary
from ftlint.readers.base import Reader
from ftlint.records import DatasetFile, Record, RecordView, Role, Split, Turn
from ftlint.reporters.base import Reporter
from ftlint.rule import (
    ConfigContext,
    ConfigRule,
    DatasetRule,
    FileState,
    RecordContext,
    RecordRule,
    Rule,
    RuleOptions,
)
from ftlint.shapes import Shape

__version__ = "0.1.0"

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
    "Location",
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
