"""Watch mode: load new inbox files as they land, once each has stopped growing.

The inbox is polled (no inotify: it works the same on network shares and in containers). A
file is *stable* when its size and mtime are the same at two polls in a row; a run starts only
when some file is new or changed since the last run and every file of the inbox is stable, so
an export still being copied is never read half-written (the run reads the whole inbox).
Writers that can should still copy to ``name.part`` and rename: ``.part`` files are ignored.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from etl.lock import LockHeld
from etl.run import RunSummary, inbox_files, run_etl
from skillboard.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileState:
    """What a poll sees of a file."""

    size: int
    mtime_ns: int


def inbox_state(settings: Settings) -> dict[str, FileState]:
    """Size and mtime of every file a run would consider, by path relative to the inbox."""
    states = {}
    for path in inbox_files(settings.inbox):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed between the listing and the stat
            continue
        states[path.relative_to(settings.inbox).as_posix()] = FileState(
            stat.st_size, stat.st_mtime_ns
        )
    return states


class InboxWatcher:
    """Decides, poll by poll, when a run is due, and runs it.

    Args:
        settings: inbox and warehouse.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._previous: dict[str, FileState] = {}
        self._handled: dict[str, FileState] = {}
        """The state of each file when the last run that read it started."""

    def poll(self) -> list[str]:
        """Look at the inbox once.

        Returns:
            The new or changed files a run should load now; empty while nothing is new or
            while some file is still growing.
        """
        current = inbox_state(self.settings)
        previous, self._previous = self._previous, current
        pending = sorted(p for p, s in current.items() if self._handled.get(p) != s)
        growing = sorted(p for p, s in current.items() if previous.get(p) != s)
        if pending and growing:
            log.info("waiting for %d file(s) to stop growing", len(growing))
            return []
        return pending

    def run(self, ready: list[str]) -> RunSummary | None:
        """Run the ETL over the inbox now holding ``ready`` stable files.

        Returns:
            The summary, or None when another run held the lock (the files stay pending and
            the next poll tries again).
        """
        seen = dict(self._previous)
        log.info("%d new or changed file(s) are complete: running the ETL", len(ready))
        try:
            summary = run_etl(self.settings)
        except LockHeld as exc:
            log.warning("run postponed: %s", exc)
            return None
        # A failed run is not retried on every poll: a file that changes again triggers one.
        self._handled.update(seen)
        log.info(
            "run %s %s%s",
            summary.run_id,
            summary.status,
            f": {summary.error}" if summary.error else "",
        )
        return summary

    def step(self) -> RunSummary | None:
        """One poll, and a run when one is due."""
        ready = self.poll()
        return self.run(ready) if ready else None


def watch(
    settings: Settings,
    *,
    poll_seconds: float,
    stop: threading.Event,
    on_run: Callable[[RunSummary], None] | None = None,
) -> int:
    """Poll the inbox until ``stop`` is set, running the ETL whenever new files are complete.

    Args:
        settings: inbox and warehouse.
        poll_seconds: time between polls; a file must keep its size for this long to be read.
        stop: set it (e.g. from a SIGTERM handler) to return after the current poll or run.
        on_run: called with each run's summary.

    Returns:
        How many runs failed.
    """
    watcher = InboxWatcher(settings)
    failed = 0
    log.info("watching %s every %ss", settings.inbox, poll_seconds)
    while not stop.is_set():
        summary = watcher.step()
        if summary is not None:
            failed += summary.status != "published"
            if on_run is not None:
                on_run(summary)
        stop.wait(poll_seconds)
    log.info("watch stopped")
    return failed
