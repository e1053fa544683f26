"""ftlint: a linter for LLM fine-tuning datasets and training configs.

The public API for rule and plugin authors is :mod:`ftlint.api`; its names
are re-exported here so that ``from ftlint import Finding`` works too.
Everything outside :mod:`ftlint.api` and :mod:`ftlint.testing` is internal.
"""

from ftlint import api
from ftlint._version import __version__
from ftlint.api import *  # noqa: F403 - the public API, re-exported as a whole

__all__ = ["__version__"]
__all__ += api.__all__
