"""What the files named on the command line bring along.

pre-commit passes only the changed files, but what ftlint reports about a
file can depend on others: leakage on the other splits of its dataset
(brought by discovery, :mod:`ftlint.run.discovery`), a config's batch and
sequence-length rules on the data it trains on, and a dataset's token limit
on the configs that train on it. So that ``pre-commit run --files`` reports
what ``--all-files`` reports about a file, the engine also reads:

- the local dataset files that the training configs of the run (named, or
  brought as below) train or evaluate on;
- for named dataset files, the training configs under the settings root
  that train or evaluate on them, found as a run over that folder finds
  configs. Without a settings file the root is the top of the repository
  that holds the first named file (pre-commit runs there), else the working
  directory (the settings root then).

Companions are read (and cached) like any file, but only findings in the
named files, or pointing into them, are reported.

Reading every config under the root would cost a hook run seconds in a
repository of recipes, so a candidate is read only when its text mentions a
named file: its name, its folder, or a name LLaMA-Factory's
``dataset_info.json`` gives it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ftlint.configs.view import ConfigView
from ftlint.run import layouts

#: LLaMA-Factory's map from dataset names to files.
DATASET_INFO = "dataset_info.json"


def local_files(view: ConfigView) -> Iterator[Path]:
    """The local files a config trains or evaluates on."""
    return layouts.local_files((*view.datasets, *view.eval_datasets))


def search_root(settings_root: Path, has_settings_file: bool, files: Iterable[Path]) -> Path:
    """The folder whose configs may train on ``files`` (see above)."""
    if not has_settings_file:
        for folder in min(files).parents:
            if (folder / ".git").exists():
                return folder
    return settings_root


def names_of(files: Iterable[Path], root: Path) -> set[str]:
    """The words a config may name one of ``files`` by: its file name, its
    folder's name (a config may name the folder), and the names
    ``dataset_info.json`` files in its folder or above (up to ``root``) give
    it. (Not its stem: ``train`` is in every config.)"""
    names: set[str] = set()
    for file in files:
        names.update((file.name, file.parent.name))
        for folder in _folders_up_to(file.parent, root):
            names.update(_dataset_info_names(folder, file))
    names.discard("")
    return names


def mentions(path: Path, names: set[str]) -> bool:
    """Whether the text of the config candidate ``path`` mentions any of ``names``."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(name in text for name in names)


def _folders_up_to(folder: Path, root: Path) -> Iterator[Path]:
    yield folder
    if folder == root or root not in folder.parents:
        return
    for parent in folder.parents:
        yield parent
        if parent == root:
            return


def _dataset_info_names(folder: Path, file: Path) -> Iterator[str]:
    try:
        info = json.loads((folder / DATASET_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(info, dict):
        return
    for name, entry in info.items():
        target = entry.get("file_name") if isinstance(entry, dict) else None
        if isinstance(target, str) and _is_or_holds(folder / target, file):
            yield name


def _is_or_holds(target: Path, file: Path) -> bool:
    resolved = target.resolve()
    return resolved == file or resolved in file.parents
