"""The audit log: who logged in (or failed to), who opened person-level lists or downloads, when.

One JSON object per line in ``<warehouse>/audit.jsonl`` (or ``[auth] audit_log``), appended
with ``O_APPEND`` so that lines from several workers never interleave. It is the only place
a username is written: the application log (Werkzeug's request lines, Python logging) never
carries names, employee ids or passwords. An administrator reads it with ``skillboard audit``.

Events: ``login``, ``login_failed``, ``login_throttled``, ``logout``, ``person_list`` (what:
which list, and its team / skill when it has one), ``download`` (what: the chart or report).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

AUDIT_EXTENSION = "skillboard.audit"
"""Key of the app's AuditLog in ``flask.Flask.extensions``."""


class AuditLog:
    """Appends events to one JSON-lines file."""

    def __init__(self, path: Path) -> None:
        """Remember the path (created with the first event, owner-readable only).

        Args:
            path: the audit file.
        """
        self.path = path
        self._lock = threading.Lock()

    def write(self, event: str, user: str | None, **detail: Any) -> None:
        """Append one event with the UTC time.

        Args:
            event: what happened (see the module docstring).
            user: who did it (the attempted name for a failed login).
            **detail: JSON-ready facts (client address, which list, ...).
        """
        record = {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "event": event,
            "user": user,
            **detail,
        }
        line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)


def read_events(path: Path) -> Iterator[dict[str, Any]]:
    """Every event of an audit file, oldest first (unreadable lines are skipped)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict):
                yield record


def record(event: str, **detail: Any) -> None:
    """Audit an event of the current request's user; a no-op outside a request or an app
    without an audit log (the data layer called from a test or a script).

    Args:
        event: ``person_list`` or ``download`` (logins are written by :mod:`dashboard.access`).
        **detail: what was opened.
    """
    import flask  # here: the data layer calls this and must stay usable without a web app

    if not flask.has_request_context():
        return
    log: AuditLog | None = flask.current_app.extensions.get(AUDIT_EXTENSION)
    if log is None:
        return
    user = getattr(flask.g, "skillboard_user", None)
    log.write(
        event,
        user.name if user is not None else None,
        role=user.role if user is not None else "open-demo",
        client=flask.request.remote_addr,
        **detail,
    )
