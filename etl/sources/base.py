"""What every source (loader) module provides, and what it hands back to the run.

A source module declares ``NAME`` (the loader's name shown in summaries), ``detect(probe)``
(does this file belong to me? decided from content: headers, JSON ``@context``/``type``, JWT
shape, magic bytes) and ``load(path, ctx)`` returning a :class:`LoadResult`. The run writes
the result into the store in one transaction, so a file is loaded whole or not at all.

Counting contract (SPEC §8): ``rows_read == rows_loaded + len(quarantine)`` for every file,
where a "row" is the unit the format carries (a CSV/XLSX data row, a JSON assertion or
credential, a mapping line). A file that cannot be parsed at all is *rejected*: it raises
:class:`FileRejected` with a reason a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from skillboard.settings import Settings


class FileRejected(Exception):
    """The whole file cannot be read; the message says why and what to do."""


@contextmanager
def rejecting_surprises(path: Path, reading_as: str) -> Iterator[None]:
    """Turn any error a loader did not foresee into :class:`FileRejected`, so the run goes on:
    "<file> could not be read as <reading_as> (<error type>: <error>)". A FileRejected and
    the signals that stop the program (Ctrl-C, exit) pass through unchanged.

    BaseException, not Exception: a panic inside polars arrives as pyo3's PanicException,
    which derives from BaseException (seen with 150,000-character cells).
    """
    try:
        yield
    except FileRejected:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:
        raise FileRejected(
            f"{path.name} could not be read as {reading_as} ({type(exc).__name__}: {exc})"
        ) from exc


@dataclass(frozen=True)
class QuarantinedRow:
    """One input row that failed validation, kept with everything needed to fix it."""

    row_number: int | None
    """1-based data row (header not counted); ``None`` when the whole record is the unit."""
    raw: dict[str, Any]
    """The row's raw values as read (strings), for the quarantine table."""
    reason: str
    """e.g. "hire_date '2015-04-31' is not a date"."""


@dataclass
class LoadResult:
    """What a loader made of one file."""

    loader: str
    rows_read: int
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    """Store raw table name (``raw_roster``, ``raw_badge_awards``...) -> rows with canonical columns
    plus ``row_number``. Lineage (``file_id``) is added by the writer."""
    quarantine: list[QuarantinedRow] = field(default_factory=list)
    rows_loaded: int | None = None
    """Defaults to ``rows_read - len(quarantine)``; set it when one input row yields several."""

    @property
    def loaded(self) -> int:
        """Rows that reached the store."""
        if self.rows_loaded is not None:
            return self.rows_loaded
        return self.rows_read - len(self.quarantine)


@dataclass(frozen=True)
class Probe:
    """The first bytes of a file, read once and offered to every ``detect``."""

    path: Path
    head: bytes
    """Up to 64 KiB from the start of the file."""
    settings: Settings | None = None
    """The run's settings, for detectors that honour configured column mappings."""

    @property
    def suffix(self) -> str:
        """Lower-cased extension with its dot."""
        return self.path.suffix.lower()

    def text_head(self) -> str:
        """The head decoded leniently (BOM stripped), for header sniffing."""
        data = self.head
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")


@dataclass(frozen=True)
class LoadContext:
    """What a loader may know besides its file."""

    settings: Settings
    inbox: Path
    """The inbox root, where referenced BadgeClass / Issuer / RevocationList documents are found."""
    cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Things built once per run and shared by loaders, created lazily on first use (e.g. the
    index of inbox documents by id, see ``etl.sources.documents.index_for``). Make one context
    per run, not per file, so they are built once."""


class Source(Protocol):
    """The shape of a source module (checked structurally)."""

    NAME: str

    def detect(self, probe: Probe) -> bool:
        """Return True when this source reads the file."""
        ...

    def load(self, path: Path, ctx: LoadContext) -> LoadResult:
        """Read the file into canonical rows; raise FileRejected when it cannot be read."""
        ...
