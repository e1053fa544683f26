"""ftlint's built-in rules, a plugin like any other (installed as
``ftlint_rules``, registered through the ``ftlint`` entry-point group).

Each family of rules is a sub-package exporting ``RULES``; a new family is
one more import and one more entry in :data:`FAMILIES`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ftlint.api import Rule, hookimpl

from .balance import RULES as BALANCE
from .config_consistency import RULES as CONFIG_CONSISTENCY
from .config_keys import RULES as CONFIG_KEYS
from .duplicates import RULES as DUPLICATES
from .hyperparameters import RULES as HYPERPARAMETERS
from .leakage import RULES as LEAKAGE
from .noise import RULES as NOISE
from .prompt_format import RULES as PROMPT_FORMAT
from .structure import RULES as STRUCTURE
from .tokens import RULES as TOKENS

#: The rule families, each a sequence of rule classes.
FAMILIES: tuple[Sequence[type[Rule]], ...] = (
    STRUCTURE,
    PROMPT_FORMAT,
    TOKENS,
    DUPLICATES,
    LEAKAGE,
    BALANCE,
    NOISE,
    HYPERPARAMETERS,
    CONFIG_CONSISTENCY,
    CONFIG_KEYS,
)


@hookimpl
def ftlint_rules() -> Sequence[type[Rule]]:
    return [rule for family in FAMILIES for rule in family]
