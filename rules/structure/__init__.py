"""Structure rules (S): records that parse, have a known shape, carry the
fields their shape needs with the right types and roles, and splits that are
large enough."""

from __future__ import annotations

from ftlint.api import Rule

from .s001_invalid_json import InvalidJson
from .s002_unknown_shape import UnknownShape
from .s003_mixed_shapes import MixedShapes
from .s004_unexpected_field import UnexpectedField
from .s005_empty_content import EmptyContent
from .s006_placeholder_content import PlaceholderContent
from .s007_bad_role import BadRole
from .s008_wrong_type import WrongType
from .s009_too_few_records import TooFewRecords
from .s010_preference_prompt_mismatch import PreferencePromptMismatch

RULES: tuple[type[Rule], ...] = (
    InvalidJson,
    UnknownShape,
    MixedShapes,
    UnexpectedField,
    EmptyContent,
    PlaceholderContent,
    BadRole,
    WrongType,
    TooFewRecords,
    PreferencePromptMismatch,
)

__all__ = ["RULES"]
