"""The base class of a config framework: how a plugin teaches ftlint a
trainer's config format."""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, ClassVar

from ftlint.configs.document import ConfigDocument

if TYPE_CHECKING:
    from ftlint.configs.model_catalog import ModelCatalog
    from ftlint.configs.schema import KeySchema, YamlDialect
    from ftlint.configs.view import ConfigView


class ConfigFramework(abc.ABC):
    """A training framework whose configs ftlint can recognise (axolotl,
    LLaMA-Factory, torchtune, TRL, ...)."""

    #: Short name shown in findings and accepted in settings: ``axolotl``.
    name: ClassVar[str]

    @abc.abstractmethod
    def recognise(self, document: ConfigDocument) -> float:
        """How sure we are that ``document`` is a config of this framework:
        0.0 (not at all) to 1.0 (certain). The highest score above 0.5 wins."""

    def normalise(self, document: ConfigDocument, catalog: ModelCatalog) -> ConfigView | None:
        """The config as a :class:`~ftlint.configs.view.ConfigView`, for the
        hyperparameter and consistency rules; None (the default) when this
        framework does not normalise its configs. ``catalog`` looks model ids up.
        Must not raise on any document this framework recognised."""
        return None

    def key_schema(self) -> KeySchema | None:
        """The keys this framework knows and the ones it renamed, for the
        unknown-key and deprecated-key rules; None (the default) skips them."""
        return None

    def yaml_dialect(self, document: ConfigDocument) -> YamlDialect | None:
        """How this framework's loader reads ``document``'s YAML, for the YAML
        1.1/1.2 rules; None (the default) skips them."""
        return None
