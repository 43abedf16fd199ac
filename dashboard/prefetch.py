"""Start drawing a page's first view when the browser asks for the page's HTML.

A browser loading ``/coverage?department=Sales`` gets the HTML, then spends about a second
fetching and evaluating the JS bundles before it asks ``/_dash-layout`` for the view. The
view's queries and figures (100-300 ms at scale M, more on a worker's first request, which
opens the snapshot) need not wait for that second: when the HTML is served, the layout is built
in a worker thread, and the ``/_dash-layout`` request that follows from the same user for the
same address takes it. Nothing else ever reads it; an unclaimed one is dropped after
:data:`KEEP_S` seconds.

The build runs in a copy of the page request's context with the same user, so the data layer
applies the same scope and the audit log names the same person as if ``/_dash-layout`` had
built it.
"""

from __future__ import annotations

import concurrent.futures
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

import flask

KEEP_S = 30.0
"""How long a built view waits for its ``/_dash-layout`` request."""
MAX_WAITING = 64
"""Views kept at most (the oldest go first): a burst of page loads cannot fill the memory."""
THREADS = 2
PREFETCH_EXTENSION = "skillboard.prefetch"
"""Key of the app's Prefetch in ``flask.Flask.extensions``."""


class Prefetch:
    """Layouts being built ahead of their ``/_dash-layout`` request, by key."""

    def __init__(self) -> None:
        """Start nothing yet: the thread pool is made on first use, after gunicorn's fork."""
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._waiting: dict[Hashable, tuple[float, concurrent.futures.Future[Any]]] = {}
        self._lock = threading.Lock()

    def start(self, key: Hashable, build: Callable[[], Any]) -> None:
        """Build ``build()`` in the background for :meth:`take` with the same key, inside a
        copy of the current request's context (same session, same user).

        Args:
            key: who asked for which address.
            build: makes the layout.
        """
        user = getattr(flask.g, "skillboard_user", None)

        def run() -> Any:
            flask.g.skillboard_user = user  # what the login gate set for the page request
            return build()

        task = flask.copy_current_request_context(run)
        now = time.monotonic()
        with self._lock:
            for old in [k for k, (at, _) in self._waiting.items() if now - at > KEEP_S]:
                self._drop(old)
            if key in self._waiting:
                self._drop(key)  # a reload: build it again, a new snapshot may be out since
            while len(self._waiting) >= MAX_WAITING:
                self._drop(next(iter(self._waiting)))
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    THREADS, thread_name_prefix="skillboard-prefetch"
                )
            self._waiting[key] = (now, self._pool.submit(task))

    def take(self, key: Hashable) -> Any | None:
        """The layout started for ``key`` (waiting for it if it is still being built), or None
        when there is none or it failed (the caller builds it itself)."""
        with self._lock:
            entry = self._waiting.pop(key, None)
        if entry is None or time.monotonic() - entry[0] > KEEP_S:
            return None
        if entry[1].cancel():
            return None  # still queued behind other views: quicker built by the caller
        try:
            return entry[1].result(timeout=KEEP_S)
        except Exception:  # the caller builds the view again (and meets the error itself)
            return None

    def _drop(self, key: Hashable) -> None:
        # Called with the lock held. A view nobody will take is not built (if not started).
        _, future = self._waiting.pop(key)
        future.cancel()

    def waiting(self) -> list[Hashable]:
        """The keys of the views not taken yet (expired ones included until the next start)."""
        with self._lock:
            return list(self._waiting)


def install(server: flask.Flask) -> Prefetch:
    """Give ``server`` its Prefetch (see :func:`current`)."""
    prefetch = Prefetch()
    server.extensions[PREFETCH_EXTENSION] = prefetch
    return prefetch


def current() -> Prefetch | None:
    """The Prefetch of the app serving the current request (None without one)."""
    found: Prefetch | None = flask.current_app.extensions.get(PREFETCH_EXTENSION)
    return found
