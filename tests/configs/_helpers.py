"""Reading a config text the way the engine does, for framework tests."""

from __future__ import annotations

from pathlib import Path

from ftlint.configs.document import ConfigDocument
from ftlint.configs.framework import ConfigFramework
from ftlint.configs.frameworks import BUILTIN_FRAMEWORKS
from ftlint.configs.model_catalog import ModelCatalog
from ftlint.configs.view import ConfigView
from ftlint.readers import read_config


def document(tmp_path: Path, text: str, name: str = "config.yaml") -> ConfigDocument:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return read_config(path, name)


def recognised(doc: ConfigDocument) -> ConfigFramework | None:
    """The framework the engine would pick: the best score over 0.5."""
    best, best_score = None, 0.5
    for framework in BUILTIN_FRAMEWORKS:
        score = framework.recognise(doc)
        if score > best_score:
            best, best_score = framework, score
    return best


def view_of(tmp_path: Path, text: str, name: str = "config.yaml") -> ConfigView:
    doc = document(tmp_path, text, name)
    framework = recognised(doc)
    assert framework is not None, "no framework recognised the config"
    view = framework.normalise(doc, ModelCatalog())
    assert view is not None
    return view
