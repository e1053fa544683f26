"""Hugging Face dataset cards: the splits and files a ``README.md`` declares.

A dataset repository on the Hub describes itself in the YAML front matter of
its ``README.md`` (the block between the first two ``---`` lines). Two keys
say which files make which split:

- ``configs``: a list of ``{config_name, data_files, data_dir}``, where
  ``data_files`` is a path or glob (the ``train`` split), a list of them (all
  ``train``), a mapping split -> path or list, or a list of
  ``{split, path}`` mappings, path again one or a list; the forms the
  ``datasets`` library accepts (``datasets.data_files.sanitize_patterns``).
- ``dataset_info``: a mapping, or a list of them with ``config_name``, whose
  ``splits`` list names the splits (``[{name: train, num_examples: ...}]``).
  A config without ``data_files`` has the files of Hugging Face's default
  layout for converted datasets, ``data/<split>-00000-of-00001.parquet``.

Each config is one dataset. A README without front matter, or whose front
matter says neither, declares nothing, and a broken one is ignored: it is
documentation, and ftlint lints data and training configs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

#: The file a dataset repository's card is in.
CARD_NAME = "README.md"
#: Hugging Face's file names for a split converted to Parquet.
SHARDED_SPLIT_PATTERN = "data/{split}-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*"
#: The config name ``load_dataset`` uses when a card names none.
DEFAULT_CONFIG = "default"
_FENCE = "---"


@dataclass(frozen=True, slots=True)
class CardConfig:
    """One config of a card: its name and, per split name, the globs of its
    files relative to the card's folder."""

    name: str
    splits: Mapping[str, tuple[str, ...]]


def read_card(path: Path) -> tuple[CardConfig, ...]:
    """The configs the card at ``path`` declares; none when the file cannot
    be read, has no front matter, or its front matter declares no files."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ()
    metadata = _front_matter(text)
    if not isinstance(metadata, Mapping):
        return ()
    infos = _split_names(metadata.get("dataset_info"))
    configs = metadata.get("configs")
    if not isinstance(configs, list):
        configs = [{"config_name": name} for name in infos]
    found = []
    for entry in configs:
        if not isinstance(entry, Mapping):
            continue
        name = str(entry.get("config_name", DEFAULT_CONFIG))
        splits = _data_files(entry.get("data_files"), entry.get("data_dir"))
        if not splits:
            splits = {split: (_sharded(split),) for split in infos.get(name, ())}
        if splits:
            found.append(CardConfig(name, splits))
    return tuple(found)


def _front_matter(text: str) -> Any:
    """The YAML between a leading ``---`` line and the next one, parsed."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE:
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        return None
    try:
        return YAML(typ="safe", pure=True).load("\n".join(lines[1:end]))
    except YAMLError:
        return None


def _data_files(value: Any, data_dir: Any) -> dict[str, tuple[str, ...]]:
    """Split name -> globs, from any form ``data_files`` takes."""
    if isinstance(value, str | list) and all(isinstance(item, str) for item in _listed(value)):
        by_split: dict[str, Any] = {"train": value}
    elif isinstance(value, list):
        by_split = {
            str(item["split"]): item.get("path")
            for item in value
            if isinstance(item, Mapping) and "split" in item
        }
    elif isinstance(value, Mapping):
        by_split = {str(split): paths for split, paths in value.items()}
    else:
        return {}
    prefix = f"{data_dir.strip('/')}/" if isinstance(data_dir, str) and data_dir.strip("/") else ""
    splits = {}
    for split, paths in by_split.items():
        listed = [p for p in _listed(paths) if isinstance(p, str) and p]
        globs = tuple(prefix + p.removeprefix("./") for p in listed)
        if globs:
            splits[split] = globs
    return splits


def _listed(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else [value]


def _split_names(value: Any) -> dict[str, tuple[str, ...]]:
    """Config name -> the split names ``dataset_info`` lists for it."""
    names: dict[str, tuple[str, ...]] = {}
    for info in _listed(value):
        if not isinstance(info, Mapping) or not isinstance(info.get("splits"), list):
            continue
        splits = tuple(
            str(split["name"])
            for split in info["splits"]
            if isinstance(split, Mapping) and "name" in split
        )
        names[str(info.get("config_name", DEFAULT_CONFIG))] = splits
    return names


def _sharded(split: str) -> str:
    return SHARDED_SPLIT_PATTERN.replace("{split}", split)
