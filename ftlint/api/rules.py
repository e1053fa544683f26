"""The rule API: what a rule declares and what it is handed.

A rule is a class. Its metadata are class attributes; its docstring holds the
prose of its documentation (*What it does*, *Why is this bad?*, *Example*
with *Use instead*, and *Fix safety* for a rule with fixes), to which
:mod:`ftlint.api.documentation` adds the *Options* rendered from the rule's
options model. There are three kinds, by what they look at:

- :class:`RecordRule` sees one record at a time and yields findings at once.
- :class:`DatasetRule` folds the records of each file into a *state* that can
  be merged (``start``/``add``/``merge``), then looks at the states of all the
  files of a dataset together (``finish``). The engine may split a file into
  shards, run them in separate processes and merge their states in file order,
  or reuse a cached state for a file that did not change, so a state must be
  picklable, must not depend on how the file was split, and should stay small:
  a few fixed-size numbers per record, never the text.
- :class:`ConfigRule` sees one parsed training config.

Rules never print, never read files themselves and never use the network.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import numpy as np
import numpy.typing as npt
import xxhash
from pydantic import BaseModel, ConfigDict

from ftlint.core.findings import Finding, Fix, FixSafety, Location, RelatedLocation, Severity
from ftlint.core.records import DatasetFile, FileState, Record, RecordView
from ftlint.settings.schema import kebab_case
from ftlint.text.normalise import NormalisedRecord
from ftlint.text.tokens import TokenLength

if TYPE_CHECKING:
    from array import array

    from ftlint.configs.document import ConfigDocument
    from ftlint.configs.framework import ConfigFramework
    from ftlint.configs.model_catalog import ModelCatalog
    from ftlint.configs.view import ConfigView
    from ftlint.text.references import References
    from ftlint.text.tokens import TokenCount, TokenCounter, TokenLimit

CODE_PATTERN = re.compile(r"^[A-Z]{1,4}[0-9]{3}$")
#: Kebab-case; a segment may be a dotted version number (``yaml-1.1-pitfall``).
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+(\.[0-9]+)*)*$")


class RuleOptions(BaseModel):
    """Base of a rule's options. Keys are kebab-case in settings files
    (``min-train = 50``); unknown keys are errors. Give every field a
    ``Field(description=...)``: the rule's documentation lists the options
    from the model, with their types and defaults."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, alias_generator=kebab_case, populate_by_name=True
    )


class Rule:
    """Metadata and helpers common to every rule.

    Subclasses set:

    ``code``
        Family letter(s) and three digits: ``S005``.
    ``name``
        Kebab-case name, accepted wherever the code is: ``empty-content``.
    ``summary``
        One sentence, the short description in listings and SARIF.
    ``severity``
        Default severity; settings may override it.
    ``Options``
        A :class:`RuleOptions` subclass; settings are validated against it and
        the instance is ``self.options``.
    ``default_enabled``
        False for expensive or opinionated rules that run only when selected.
    ``requires``
        Per-record facts the rule reads (``"tokens"``), so the engine computes
        them only when an enabled rule needs them.
    ``fix_safety``
        None for a rule that offers no fixes; else what its fixes promise
        (:class:`~ftlint.core.findings.FixSafety`), and its docstring has a
        *Fix safety* section saying when a fix is offered and what it changes.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity]
    Options: ClassVar[type[RuleOptions]] = RuleOptions
    default_enabled: ClassVar[bool] = True
    requires: ClassVar[frozenset[str]] = frozenset()
    fix_safety: ClassVar[FixSafety | None] = None
    #: Set by the registry: the distribution or plugin that provides the rule.
    plugin: ClassVar[str] = ""

    def __init__(self, options: RuleOptions | None = None) -> None:
        self.options: Any = options if options is not None else self.Options()

    def finding(
        self,
        message: str,
        location: Location,
        *,
        related: Iterable[RelatedLocation] = (),
        fix: Fix | None = None,
        severity: Severity | None = None,
        content_key: str = "",
    ) -> Finding:
        """Build a finding of this rule. The engine may still change its severity."""
        return Finding(
            code=self.code,
            name=self.name,
            severity=severity or self.severity,
            message=message,
            location=location,
            related=tuple(related),
            fix=fix,
            content_key=content_key,
        )


class RecordContext:
    """One record with everything rules may want to know about it.

    Facts that cost something (hashes, token counts) are computed on first use
    and shared by every rule that asks, once per record.
    """

    __slots__ = ("__dict__", "counter", "file", "record", "references", "view")

    def __init__(
        self,
        file: DatasetFile,
        record: Record,
        view: RecordView | None,
        counter: TokenCounter | None = None,
        references: References | None = None,
    ) -> None:
        self.file = file
        self.record = record
        self.view = view
        #: Set by the engine when an enabled rule declares ``requires = {"tokens"}``.
        self.counter = counter
        #: The reference files of the run (``--reference``), set by the engine when
        #: an enabled rule declares ``requires = {"references"}`` and there are any.
        self.references = references

    @property
    def path(self) -> str:
        return self.record.path

    @property
    def line(self) -> int:
        return self.record.line

    def location(self, pointer: str = "") -> Location:
        """Where the record starts, with a pointer into it."""
        return Location(self.record.path, self.record.line, self.record.column, pointer=pointer)

    @functools.cached_property
    def raw_hash(self) -> str:
        """Hash of the record's source bytes: the content key of its findings."""
        return xxhash.xxh3_64_hexdigest(self.record.raw)

    @property
    def normalised(self) -> NormalisedRecord:
        """The record's normalised texts and their hashes (see :mod:`ftlint.text.normalise`),
        computed once and shared by every rule that compares records. Only for
        shaped records. (Cached by hand: ``functools.cached_property`` takes a
        lock on every first access, which shows at a million records.)"""
        cached: NormalisedRecord | None = self.__dict__.get("normalised")
        if cached is None:
            if self.view is None:
                raise LookupError("normalised texts need a shaped record")
            cached = self.__dict__["normalised"] = NormalisedRecord(self.view, self.record.value)
        return cached

    @functools.cached_property
    def tokens(self) -> TokenCount:
        """The record's token counts (see :mod:`ftlint.text.tokens`), counted once and
        shared by every rule. Only for shaped records, and only in runs where an
        enabled rule declares ``requires = frozenset({"tokens"})``."""
        if self.counter is None or self.view is None:
            raise LookupError("token counts need a shaped record and a rule requiring 'tokens'")
        return self.counter.count(self.view)

    @property
    def token_bound(self) -> TokenCount:
        """Upper bounds of :attr:`tokens` (UTF-8 bytes in place of each text's
        tokens; see :mod:`ftlint.text.tokens`), for the price of a ``len``: a rule
        counts exactly only the records whose bound crosses its line. Same
        conditions as :attr:`tokens`; cached by hand like :attr:`normalised`."""
        cached: TokenCount | None = self.__dict__.get("token_bound")
        if cached is None:
            if self.counter is None or self.view is None:
                raise LookupError("token counts need a shaped record and a rule requiring 'tokens'")
            cached = self.__dict__["token_bound"] = self.counter.bound(self.view)
        return cached

    @property
    def token_length(self) -> TokenLength:
        """The record's length as a run keeps it (:class:`~ftlint.text.tokens.TokenLengths`):
        counted exactly when its bound exceeds the limit, when it is near the start
        of its file or sampled by its index, else left to be estimated. Shared by
        rule T002 and the lengths the config rules see, so each record is decided
        and counted once."""
        cached: TokenLength | None = self.__dict__.get("token_length")
        if cached is None:
            assert self.counter is not None
            bound = self.token_bound.total
            index = self.record.index
            exact = self.tokens.total if self.counter.counts_exactly(index, bound) else None
            cached = TokenLength(bound, exact, self.counter.samples(index))
            self.__dict__["token_length"] = cached
        return cached

    @property
    def token_limit(self) -> TokenLimit:
        """The most tokens a record may have in this run, and where that comes from."""
        if self.counter is None:
            raise LookupError("the token limit needs a rule requiring 'tokens'")
        return self.counter.limit


class RecordRule(Rule):
    """A rule that looks at one record at a time.

    ``check`` is called for every record that parsed and has a known shape
    (``record.view`` is set), unless the rule opts in to the others; a rule
    with a :meth:`text_trigger` only for the shaped records whose texts
    match it.
    """

    #: Also called for records whose source did not parse (``record.record.ok`` is False).
    accepts_unparsed: ClassVar[bool] = False
    #: Also called for parsed records that match no shape (``record.view`` is None).
    accepts_unshaped: ClassVar[bool] = False

    def text_trigger(self) -> str | None:
        """What every text this rule could report on contains, as a regular
        expression; None (the default) to be called on every record.

        The engine searches each text of a shaped record (the turns of
        :meth:`RecordView.texts <ftlint.core.records.RecordView.texts>` with
        text) once for the triggers of every enabled rule together, and calls
        :meth:`check` only on the records where this rule's trigger matches
        at least one text (see :mod:`ftlint.text.scan`). So the trigger must
        match every text the rule could find something in: matching too
        much costs a call, matching too little loses findings. Write it in
        RE2's syntax (no lookarounds; ``\\s``, ``\\d`` and ``\\w`` are ASCII,
        :data:`ftlint.api.text.WHITESPACE` is every whitespace character);
        a trigger RE2 refuses is searched with Python's ``re``, more slowly,
        and one neither compiles is ignored (the rule sees every record).
        Asked once per run, after ``__init__``: it may depend on the options.
        """
        return None

    def check(self, record: RecordContext) -> Iterable[Finding]:
        raise NotImplementedError


StateT = TypeVar("StateT")


class DatasetRule(Rule, Generic[StateT]):
    """A rule that needs to see many records: duplicates, leakage, balance.

    Lifecycle, per file: ``state = start()``; ``add(state, record)`` for each
    record (in file order within a shard); shards are combined with
    ``merge(earlier, later)``. Then, per dataset (the files of one folder),
    ``finish(files)`` gets every file's state, in path order, and yields the
    findings.

    Rules whose :meth:`state_key` is equal (and not None) share one state: the
    engine builds it once, with the first such rule's ``start``/``add``/
    ``merge``, and hands it to each of them in ``finish``, which must therefore
    not change it in a way another rule would see.
    """

    accepts_unparsed: ClassVar[bool] = False
    accepts_unshaped: ClassVar[bool] = False

    def state_key(self) -> Hashable | None:
        """What identifies this rule's state, when other rules build the very
        same one from the same records (exact duplicates and exact leakage both
        keep each record's content hash). None: the state is the rule's own."""
        return None

    def start(self) -> StateT:
        raise NotImplementedError

    def add(self, state: StateT, record: RecordContext) -> None:
        raise NotImplementedError

    def merge(self, earlier: StateT, later: StateT) -> StateT:
        raise NotImplementedError

    def finish(self, files: Sequence[FileState[StateT]]) -> Iterable[Finding]:
        raise NotImplementedError

    # --- Finishing by partitions (optional), for states that grow with the data.

    #: Whether the rule can finish by partitions: an executor that supports
    #: it (``ray``) then never gathers the rule's states in one process. Its
    #: findings must be those of :meth:`finish`.
    finishes_by_partition: ClassVar[bool] = False

    def emit(self, files: Sequence[DatasetFile], index: int, state: StateT) -> Keyed:
        """The keyed rows ``files[index]`` contributes (``files`` are the
        dataset's, in path order): a numpy structured array with a ``key``
        field (``uint64``, well mixed: a content hash, an LSH band key). The
        executor sends each row to the partition of its key."""
        raise NotImplementedError

    def pairs(self, rows: Keyed) -> Keyed:
        """What one partition finds among its rows (those of every file of
        one dataset whose key falls in it, in no particular order): the pairs
        of records to report, as a structured array."""
        raise NotImplementedError

    #: Whether the pairs the partitions find are candidates, to be verified
    #: on the states of the two files of each pair (:meth:`verify`) before
    #: :meth:`finish_pairs` (near-duplicates: the pairs' signatures).
    verifies_pairs: ClassVar[bool] = False

    def batches(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> list[tuple[int, int, Keyed]]:
        """The candidate pairs of every partition, each once, grouped by the
        indexes in ``files`` of the earlier and the later record's file."""
        raise NotImplementedError

    def verify(self, pairs: Keyed, earlier: StateT, later: StateT) -> Keyed:
        """The candidate ``pairs`` between two files (``earlier`` and ``later``
        are their states) that hold, for :meth:`finish_pairs`."""
        raise NotImplementedError

    def finish_pairs(
        self, files: Sequence[DatasetFile], found: Sequence[Keyed]
    ) -> Iterable[Finding]:
        """The findings of the dataset whose partitions found ``found`` (for a
        rule that verifies pairs: what :meth:`verify` kept, possibly nothing)."""
        raise NotImplementedError


#: Keyed rows and pairs of a partitioned finish: a numpy structured array.
Keyed = npt.NDArray[np.void]


@dataclass(slots=True)
class ConfigContext:
    """A training config and what the run knows around it.

    ``framework`` is the name of the recognised config framework, or None.
    ``datasets`` maps the display path of every dataset file linted in the same
    run to the number of records read from it, so config rules can relate
    batch sizes and epochs to the data without reading it again.

    ``view`` is the config normalised by its framework (None when unrecognised
    or not normalised); ``spec`` is the recognised framework object (its key
    schema and YAML dialect). ``token_lengths`` maps a dataset file's display
    path to the token count of each of its records (``array('I')``), for files
    whose tokens the run counted: exact for every record longer than the
    smallest sequence length of the run's configs, elsewhere possibly an
    estimate (see :class:`~ftlint.text.tokens.TokenLengths`). ``explicit_datasets``
    are the dataset files named on the command line; ``devices`` comes from
    settings.
    """

    document: ConfigDocument
    framework: str | None
    datasets: dict[str, int] = field(default_factory=dict)
    view: ConfigView | None = None
    spec: ConfigFramework | None = None
    token_lengths: dict[str, array[int]] = field(default_factory=dict)
    explicit_datasets: frozenset[str] = frozenset()
    devices: int = 1
    #: Looks model ids up (built-in table and plugin models); None: the built-ins.
    catalog: ModelCatalog | None = None


class ConfigRule(Rule):
    """A rule that looks at one training config."""

    def check(self, config: ConfigContext) -> Iterable[Finding]:
        raise NotImplementedError
