"""Prompt-format rules (P): separators and stop sequences of prompt/completion
and text data, consistent chat templates, and template tokens where content
belongs."""

from __future__ import annotations

from ftlint.api import Rule

from .p001_missing_separator import MissingSeparator
from .p002_missing_stop_sequence import MissingStopSequence
from .p003_separator_in_prompt import SeparatorInPrompt
from .p004_mixed_prompt_templates import MixedPromptTemplates
from .p005_completion_leading_space import CompletionLeadingSpace
from .p006_template_token_in_content import TemplateTokenInContent

RULES: tuple[type[Rule], ...] = (
    MissingSeparator,
    MissingStopSequence,
    SeparatorInPrompt,
    MixedPromptTemplates,
    CompletionLeadingSpace,
    TemplateTokenInContent,
)

__all__ = ["RULES"]
