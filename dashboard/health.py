"""``GET /healthz``: is a snapshot readable, how old is it, how did the last ETL run end.

For load balancers and monitoring. It is answered by a small WSGI layer in front of the Flask
app rather than by a Flask route, so it never passes through the login check, the
session or the Dash machinery: a probe needs no account, creates no session and cannot be
redirected to ``/login``, whatever access control the app has. It exposes no personal data:
only times, a run id and a status word.

The run figures come from the snapshot's copy of the run log (the runs up to the one that
built it). A run that failed after the snapshot was published is not visible here: the store,
which records it, is owned by the ETL and opening it from a probe could make an ETL run fail
to take it; ``snapshot_age_s`` growing past the refresh interval is the signal to alert on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import duckdb
import flask
import orjson
from werkzeug.wrappers import Response

from dashboard import data
from dashboard.snapshot import SNAPSHOT_EXTENSION, NoSnapshot, Snapshot

HEALTH_PATH = "/healthz"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class LastRun:
    """The latest run in the snapshot's run log."""

    run_id: int | None
    status: str | None


def last_run(db: Snapshot) -> LastRun:
    """The latest ETL run recorded in the snapshot (memoised per published file).

    Raises:
        NoSnapshot: when no snapshot is readable.
    """

    def compute() -> LastRun:
        runs = data.etl_runs(db, data.Scope.everything())  # newest first
        if runs.height == 0:
            return LastRun(None, None)
        row = runs.row(0, named=True)
        return LastRun(int(row["run_id"]), str(row["status"]))

    return db.memo("health_last_run", compute)


def health_report(db: Snapshot, now: dt.datetime | None = None) -> tuple[dict[str, Any], int]:
    """The body and HTTP status of ``/healthz``.

    Args:
        db: the app's snapshot.
        now: the current UTC time (naive, like ``snapshot_info.built_at``); default now.

    Returns:
        ``({"status": "ok", ...}, 200)`` when the snapshot is readable, else
        ``({"status": "unavailable", ..., "detail": reason}, 503)``.
    """
    try:
        info = data.snapshot_info(db)
        run = last_run(db)
    except (NoSnapshot, duckdb.Error) as exc:
        # A file that opens but lacks the tables is as unusable as no file. The detail is a
        # category, not the exception's text: that names file paths.
        if not isinstance(exc, NoSnapshot):
            detail = "the snapshot cannot be read"
        elif db.exists():
            detail = "the snapshot cannot be opened"
        else:
            detail = "no snapshot is published"
        return {
            "status": "unavailable",
            "snapshot_built_at": None,
            "snapshot_age_s": None,
            "last_run_status": None,
            "last_run_id": None,
            "detail": detail,
        }, 503
    age = info.age(now)
    return {
        "status": "ok",
        "snapshot_built_at": info.built_at.isoformat() + "Z" if info.built_at else None,
        "snapshot_age_s": round(age.total_seconds(), 1) if age is not None else None,
        "last_run_status": run.status,
        "last_run_id": run.run_id,
    }, 200


class HealthCheck:
    """WSGI middleware answering ``/healthz`` and passing every other request on."""

    def __init__(self, app: WsgiApp, snapshot: Snapshot) -> None:
        """Wrap ``app``.

        Args:
            app: the Flask app's WSGI callable.
            snapshot: the snapshot the app reads.
        """
        self.app = app
        self.snapshot = snapshot

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Answer the probe, or hand the request to the app."""
        if environ.get("PATH_INFO") != HEALTH_PATH:
            return self.app(environ, start_response)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            response = Response(status=405, headers={"Allow": "GET, HEAD"})
        else:
            body, status = health_report(self.snapshot)
            response = Response(orjson.dumps(body), status=status, mimetype="application/json")
            response.headers["Cache-Control"] = "no-store"
            response.headers["X-Content-Type-Options"] = "nosniff"  # the app's headers are skipped
        result: Iterable[bytes] = response(environ, start_response)
        return result


def register(server: flask.Flask) -> None:
    """Serve ``/healthz`` on the app's server (after its Snapshot is installed).

    Args:
        server: the Flask server built by ``create_app``.
    """
    snapshot: Snapshot = server.extensions[SNAPSHOT_EXTENSION]
    server.wsgi_app = HealthCheck(server.wsgi_app, snapshot)  # type: ignore[method-assign]
