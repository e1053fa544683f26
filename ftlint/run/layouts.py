"""Which dataset each file belongs to, and which split it is.

Cross-split rules (leakage L001-L003, B002, B004, S009) compare the splits of
one *dataset*: a set of files that are the train, validation and test parts
of the same data. Datasets are laid out in one of these ways; the first that
applies to a file decides:

1. **Settings** (``[splits]`` globs): every file a glob matches is a split of
   one dataset, the settings file's, whatever folders the files are in.
2. **A Hugging Face dataset card**: a ``README.md`` in the file's folder or a
   folder above whose front matter lists the file in a config's
   ``data_files`` (or in the default layout of its ``dataset_info`` splits,
   :mod:`ftlint.readers.dataset_card`). Each config is one dataset; the split
   is the one the card names it under.
3. **Split folders**: a file in a folder named as a split (``train/``,
   ``validation/``, ``valid/``, ``dev/``, ``eval/``, ``test/``) belongs to the
   dataset of the folder above, so ``data/train/part-0.jsonl`` and
   ``data/validation/part-0.jsonl`` are the two splits of dataset ``data``.
4. **Split names**: a file whose name states its split (``train.jsonl``,
   ``gsm_8k_test.json``, ``data/train-00000-of-00003.parquet``) belongs to the
   dataset of its folder.

Any other file is a dataset of its own. Then **training configs** join
datasets (:func:`join_by_configs`): the files a config trains on and those
it evaluates on are splits of one dataset.
"""

from __future__ import annotations

import enum
import fnmatch
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ftlint.configs.view import ConfigView, DatasetRef
from ftlint.core.naming import split_from_name, split_from_words, split_of_folder
from ftlint.core.records import DatasetFile, Split
from ftlint.readers.dataset_card import CARD_NAME, CardConfig, read_card
from ftlint.settings.schema import Settings


class Layout(enum.Enum):
    """The layout that placed a file, in the order they are tried."""

    SETTINGS = "settings [splits]"
    CARD = "dataset card"
    SPLIT_FOLDER = "split folder"
    SPLIT_NAME = "split in the file name"
    ALONE = "a dataset of its own (no split)"


@dataclass(frozen=True, slots=True)
class Membership:
    """A file's dataset, its split, the layout that placed it, and how, as
    ``--show-files`` says it."""

    dataset: str
    split: Split | None
    layout: Layout
    #: What the layout's name does not say (a card's config and split name).
    detail: str = ""

    @property
    def how(self) -> str:
        return f"{self.layout.value}, {self.detail}" if self.detail else self.layout.value


#: Shows a path to the user (relative to the working directory when under it).
Display = Callable[[Path], str]
#: Whether a file is one to lint (a reader accepts it and no exclude matches).
Lintable = Callable[[Path], bool]


class Layouts:
    """Finds each file's dataset and split, and the other files of its dataset.

    ``walk`` lists the lintable files under a folder (discovery's walk, with
    its excludes), for the members of a dataset that settings globs make.
    """

    def __init__(
        self,
        settings: Settings,
        lintable: Lintable,
        walk: Callable[[Path], Iterable[Path]],
        display: Display,
    ) -> None:
        self.settings = settings
        self.lintable = lintable
        self.walk = walk
        self.display = display
        self._cards: dict[Path, tuple[_CardDataset, ...]] = {}
        self._memberships: dict[Path, Membership] = {}
        self._settings_dataset = (
            f"{display(settings.source)}[splits]" if settings.source else "settings[splits]"
        )

    def membership(self, path: Path) -> Membership:
        """The dataset and split of the file ``path``."""
        path = path.resolve()
        if path not in self._memberships:
            self._memberships[path] = self._find(path)
        return self._memberships[path]

    def _find(self, path: Path) -> Membership:
        split = self._settings_split(path)
        if split is not None:
            return Membership(self._settings_dataset, split, Layout.SETTINGS)
        carded = self._card_membership(path)
        if carded is not None:
            return carded
        if split_of_folder(path.parent) is not None:
            dataset = self.display(path.parent.parent)
            return Membership(dataset, split_from_name(path), Layout.SPLIT_FOLDER)
        split = split_from_name(path)
        if split is not None:
            return Membership(self.display(path.parent), split, Layout.SPLIT_NAME)
        return Membership(self.display(path), None, Layout.ALONE)

    def members(self, path: Path) -> list[Path]:
        """The files of ``path``'s dataset that exist, ``path`` included: what a
        named file brings along so that its splits can be compared."""
        path = path.resolve()
        mine = self.membership(path)
        if mine.layout is Layout.ALONE:
            return [path]
        if mine.layout is Layout.SETTINGS:
            candidates: Iterable[Path] = self.walk(self.settings.root)
        elif mine.layout is Layout.CARD:
            candidates = next(card.files for card in self._cards_above(path) if path in card.files)
        else:
            candidates = self._folder_members(path)
        return sorted(
            {
                c.resolve()
                for c in candidates
                if self.lintable(c) and self.membership(c.resolve()).dataset == mine.dataset
            }
        )

    def _folder_members(self, path: Path) -> Iterator[Path]:
        """The files beside a split file and in the split folders beside it."""
        folder = path.parent.parent if split_of_folder(path.parent) else path.parent
        for child in _listing(folder):
            if child.is_file():
                yield child
            elif child.is_dir() and split_of_folder(child) is not None:
                yield from (f for f in _listing(child) if f.is_file())

    def _settings_split(self, path: Path) -> Split | None:
        patterns = self.settings.splits
        try:
            relative = path.relative_to(self.settings.root).as_posix()
        except ValueError:
            relative = path.as_posix()
        for split, globs in (
            (Split.TRAIN, patterns.train),
            (Split.VALIDATION, patterns.validation),
            (Split.TEST, patterns.test),
        ):
            if any(fnmatch.fnmatch(relative, g) or fnmatch.fnmatch(path.name, g) for g in globs):
                return split
        return None

    def _card_membership(self, path: Path) -> Membership | None:
        for card in self._cards_above(path):
            split_name = next((name for name, files in card.splits if path in files), None)
            if split_name is None:
                continue
            dataset = f"{self.display(card.folder / CARD_NAME)}[{card.config}]"
            detail = f"config '{card.config}', split '{split_name}'"
            return Membership(dataset, split_from_words(split_name), Layout.CARD, detail)
        return None

    def _cards_above(self, path: Path) -> Iterator[_CardDataset]:
        """The datasets of the cards in ``path``'s folder and the folders above
        it, nearest first, up to the repository's top (a ``.git``)."""
        for folder in path.parents:
            yield from self._card(folder)
            if (folder / ".git").exists():
                return

    def _card(self, folder: Path) -> tuple[_CardDataset, ...]:
        if folder not in self._cards:
            card = folder / CARD_NAME
            configs = read_card(card) if card.is_file() else ()
            self._cards[folder] = tuple(_CardDataset.expand(folder, c) for c in configs)
        return self._cards[folder]


@dataclass(frozen=True, slots=True)
class _CardDataset:
    """A config of a dataset card with its globs resolved: each split's files."""

    folder: Path
    config: str
    splits: tuple[tuple[str, frozenset[Path]], ...]
    #: Every split's files.
    files: frozenset[Path]

    @classmethod
    def expand(cls, folder: Path, config: CardConfig) -> _CardDataset:
        """Resolve the globs as the ``datasets`` library does (Python glob
        semantics, hidden files left out), for the local relative ones."""
        splits = []
        for split, globs in config.splits.items():
            found = set()
            # A remote (hf://, https://) or absolute path is no file of this
            # repository; the empty pattern has been dropped by the reader.
            for pattern in (g for g in globs if "://" not in g and not Path(g).is_absolute()):
                for match in folder.glob(pattern):
                    hidden = any(p.startswith(".") for p in match.relative_to(folder).parts)
                    if match.is_file() and not hidden:
                        found.add(match.resolve())
            splits.append((split, frozenset(found)))
        return cls(folder, config.name, tuple(splits), frozenset().union(*(f for _, f in splits)))


def join_by_configs(
    files: Sequence[DatasetFile], configs: Iterable[tuple[str, ConfigView]]
) -> list[DatasetFile]:
    """``files`` with the datasets the training configs make.

    A config that trains on some local files and evaluates on others makes
    them splits of one dataset: their datasets become one, a file of no split
    that the config trains on becomes its train split, one it evaluates on
    its validation split (train wins when configs disagree; a file whose
    split its name or settings state keeps it). A config that
    splits its evaluation data off its training data (axolotl
    ``val_set_size``, LLaMA-Factory ``val_size``) gives its train files an
    ``eval_split_by``, so B004 does not ask for a split they have.
    """
    by_path = {str(f.path.resolve()): f for f in files}
    parent = {f.dataset: f.dataset for f in files}

    def root(dataset: str) -> str:
        while parent[dataset] != dataset:
            dataset = parent[dataset]
        return dataset

    roles: dict[str, str] = {}  # file -> "trained on by <config>" (or evaluated)
    held_out: dict[str, str] = {}
    for display, view in configs:
        train = [str(p) for p in local_files(view.datasets) if str(p) in by_path]
        evaluation = [str(p) for p in local_files(view.eval_datasets) if str(p) in by_path]
        if train and evaluation:
            roots = sorted({root(by_path[p].dataset) for p in (*train, *evaluation)})
            for other in roots[1:]:
                parent[other] = roots[0]
            for p in evaluation:
                if not roles.get(p, "").startswith("trained"):
                    roles[p] = f"evaluated on by {display}"
            for p in train:
                roles[p] = f"trained on by {display}"
        elif train and view.val_size is not None and view.val_size.value > 0:
            for p in train:
                held_out.setdefault(p, f"{view.val_size.key} in {display}")

    joined = []
    for key, file in by_path.items():
        changes: dict[str, Any] = {}
        if key in roles:
            changes["dataset"] = root(file.dataset)
            changes["layout"] = f"{file.layout}; {roles[key]}"
            if file.split is None:
                trained = roles[key].startswith("trained")
                changes["split"] = Split.TRAIN if trained else Split.VALIDATION
        elif root(file.dataset) != file.dataset:
            changes["dataset"] = root(file.dataset)
        if key in held_out:
            changes["eval_split_by"] = held_out[key]
        joined.append(replace(file, **changes) if changes else file)
    return joined


def _listing(folder: Path) -> list[Path]:
    """A folder's entries, sorted; none when it cannot be listed (reading the
    named file itself reports what is wrong)."""
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def local_files(references: Iterable[DatasetRef]) -> Iterator[Path]:
    """The local files that dataset references resolve to, resolved."""
    for reference in references:
        for path in reference.local_files:
            yield Path(path).resolve()
