"""The read-only connection to the published snapshot, reopened when a new one is published.

The ETL publishes a snapshot by writing a new file and renaming it over the old one (SPEC §4),
so the path stays the same while the file behind it changes: its inode (and mtime) differ.
Before handing out a cursor we ``os.stat`` the path; when the file changed we wait until no
query is running on the old connection, CLOSE it, and only then open the new file. The order
matters: DuckDB caches one database instance per path inside a process, so a connection opened
while an old one is still open would keep returning the old file's data.

Queries run on per-request cursors (``con.cursor()``), which DuckDB allows from many threads at
once; the condition variable below only guards the swap of the connection itself.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import polars as pl

T = TypeVar("T")


class NoSnapshot(RuntimeError):
    """There is no published snapshot yet (or it cannot be opened)."""


@dataclass(frozen=True)
class FileIdentity:
    """What tells one published file from the next at the same path."""

    device: int
    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: Path) -> FileIdentity | None:
        """The identity of the file at ``path``, or None when there is none."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


class Snapshot:
    """A lazily opened, self-refreshing, read-only DuckDB connection to one snapshot path.

    Nothing is opened in ``__init__``: the first query opens the file, so importing the app
    (gunicorn's ``dashboard.app:server``) never touches data.
    """

    def __init__(self, path: Path | str) -> None:
        """Remember the path; open nothing yet.

        Args:
            path: the published snapshot file (``settings.snapshot_path``).
        """
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: FileIdentity | None = None
        self._active = 0
        self._cond = threading.Condition()
        self.reopen_count = 0
        """How many times a new file was opened (1 after the first query)."""
        self._memo: dict[str, Any] = {}

    def exists(self) -> bool:
        """True when a snapshot file is published at the path."""
        return self.path.is_file()

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current snapshot, valid for the ``with`` block.

        Raises:
            NoSnapshot: when no snapshot is published yet or it cannot be opened.
        """
        with self._cond:
            self._refresh()
            assert self._con is not None
            cur = self._con.cursor()
            self._active += 1
        try:
            yield cur
        finally:
            cur.close()
            with self._cond:
                self._active -= 1
                self._cond.notify_all()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pl.DataFrame:
        """Run one parameterised query and return its rows as a polars frame.

        Args:
            sql: the statement; values only through ``?`` or ``$name`` placeholders.
            params: the values.

        Raises:
            NoSnapshot: when no snapshot is published yet.
        """
        with self.cursor() as cur:
            relation = cur.sql(sql, params=params or [])
            if relation is None:  # not a query: nothing to return
                return pl.DataFrame()
            return cast(pl.DataFrame, relation.pl())

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """A value computed once per published file (option lists, the snapshot date...).

        The memo is dropped whenever a new file is opened, so it never outlives its data.

        Raises:
            NoSnapshot: when no snapshot is published yet.
        """
        with self._cond:
            self._refresh()
            identity = self._identity
            if name in self._memo:
                return cast(T, self._memo[name])
        value = compute()
        with self._cond:
            if self._identity == identity:
                self._memo[name] = value
        return value

    def tables(self) -> frozenset[str]:
        """Names of the tables and views in the snapshot (lower-case)."""

        def compute() -> frozenset[str]:
            frame = self.query("select lower(table_name) as name from information_schema.tables")
            return frozenset(frame["name"].to_list())

        return self.memo("tables", compute)

    def close(self) -> None:
        """Close the connection (waits for running queries)."""
        with self._cond:
            self._cond.wait_for(lambda: self._active == 0)
            self._close_locked()

    # -- internals; called with self._cond held -------------------------------------------

    def _refresh(self) -> None:
        identity = FileIdentity.of(self.path)
        if identity is None:
            if self._con is not None and self._active == 0:
                self._close_locked()
            raise NoSnapshot(f"no snapshot at {self.path}")
        if self._con is not None and identity == self._identity:
            return
        # A new file was published: let queries on the old connection finish, then close it
        # BEFORE opening the new one (see the module docstring for why the order matters).
        self._cond.wait_for(lambda: self._active == 0)
        if self._con is not None and identity == self._identity:
            return  # another thread reopened it while we waited
        self._close_locked()
        try:
            self._con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as exc:
            raise NoSnapshot(f"the snapshot at {self.path} cannot be opened: {exc}") from exc
        self._identity = identity
        self.reopen_count += 1

    def _close_locked(self) -> None:
        if self._con is not None:
            with contextlib.suppress(duckdb.Error):
                self._con.close()
        self._con = None
        self._identity = None
        self._memo = {}


SNAPSHOT_EXTENSION = "skillboard.snapshot"
"""Key of the app's Snapshot in ``flask.Flask.extensions``."""


def current_snapshot() -> Snapshot:
    """The Snapshot of the Flask app serving the current request."""
    import flask  # imported here: the module itself is usable without a web app

    snapshot: Snapshot = flask.current_app.extensions[SNAPSHOT_EXTENSION]
    return snapshot
