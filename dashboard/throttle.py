"""Failed logins counted per (username, client address), shared by every worker of a host.

gunicorn runs several worker processes, and a count kept in one process's memory gives an
attacker a fresh allowance in each of them (N workers, N times the guesses). The failures are
kept instead in a small SQLite file beside the audit log, which every worker of the host opens
(SQLite serialises the writers; a login is rare, so they never wait long). Only failures are
stored, with the time they happened: no password, no session. Hosts behind one load balancer
keep their own files, so each host allows its own share.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from pathlib import Path

LOGIN_FAILURES = 5
"""Failed logins allowed per (username, client address) within :data:`LOGIN_WINDOW_S`."""

LOGIN_WINDOW_S = 300.0
"""The window over which failed logins are counted, in seconds."""

_SCHEMA = (
    "create table if not exists failures ("
    " username text not null, client text not null, failed_at real not null)",
    "create index if not exists failures_by_pair on failures (username, client, failed_at)",
)


class LoginThrottle:
    """After :data:`LOGIN_FAILURES` failures within :data:`LOGIN_WINDOW_S` seconds, further
    attempts for that (username, client address) are refused until the oldest failure leaves
    the window. The username is compared case-insensitively.
    """

    def __init__(
        self,
        path: Path | None = None,
        limit: int = LOGIN_FAILURES,
        window_s: float = LOGIN_WINDOW_S,
    ) -> None:
        """Args:
        path: the SQLite file shared by the host's workers; None keeps the counts in this
            process only (tests, a single-process server).
        limit: failures allowed in the window.
        window_s: the window in seconds.
        """
        self.limit = limit
        self.window_s = window_s
        if path is None:
            # A named in-memory database: the same one for every thread of this instance.
            self._target, self._uri = (
                f"file:throttle-{uuid.uuid4().hex}?mode=memory&cache=shared",
                True,
            )
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._target, self._uri = str(path), False
        self._local = threading.local()
        self._keep = self._connection()  # an in-memory database lives while a connection does

    def _connection(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            # One connection per thread (sqlite3 connections are not shared across threads);
            # autocommit, and up to 5 s of waiting while another worker writes.
            con = sqlite3.connect(self._target, uri=self._uri, timeout=5, isolation_level=None)
            if not self._uri:
                con.execute("pragma journal_mode = wal")
            for statement in _SCHEMA:
                con.execute(statement)
            self._local.con = con
        return con

    def blocked(self, username: str, client: str, now: float | None = None) -> bool:
        """True when this pair has used up its failures in the window."""
        now = time.time() if now is None else now
        rows = (
            self._connection()
            .execute(
                "select count(*) from failures where username = ? and client = ? and failed_at > ?",
                (username.lower(), client, now - self.window_s),
            )
            .fetchall()
        )
        return int(rows[0][0]) >= self.limit

    def failed(self, username: str, client: str, now: float | None = None) -> None:
        """Count one failure (and forget every failure older than the window)."""
        now = time.time() if now is None else now
        con = self._connection()
        con.execute("delete from failures where failed_at <= ?", (now - self.window_s,))
        con.execute(
            "insert into failures (username, client, failed_at) values (?, ?, ?)",
            (username.lower(), client, now),
        )

    def succeeded(self, username: str, client: str) -> None:
        """Forget the pair's failures."""
        self._connection().execute(
            "delete from failures where username = ? and client = ?", (username.lower(), client)
        )
