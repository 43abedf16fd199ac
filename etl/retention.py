"""Retention: forget one file's rows, or rebuild the snapshot from the store alone.

The store keeps the rows of every file it ever loaded, including files since removed from the
inbox: removing a file from the inbox does not remove its rows (the store is the lineage of what
was loaded, and an export that was moved to an archive folder must not silently drop a quarter
of history). ``forget`` is the one way to remove a file's rows, for a file loaded by mistake or
an erasure request; it then republishes. ``rebuild`` republishes from the store without looking
at the inbox, e.g. after a change to ``sql/`` or to recover a lost snapshot file.

Both are ordinary runs (:func:`etl.run.run_etl` with another store step): they take the ETL
lock, are recorded in ``etl_runs`` and publish with the same atomic rename.
"""

from __future__ import annotations

import difflib

from etl.run import Progress, RunSummary, run_etl
from etl.store import Store
from skillboard.settings import Settings


class NotInStore(LookupError):
    """The file to forget was never loaded (or was already forgotten)."""


class StillInInbox(RuntimeError):
    """The file to forget is still in the inbox, so the next run would load it again."""


def forget_file(settings: Settings, name: str, *, progress: Progress | None = None) -> RunSummary:
    """Remove every version of one inbox file from the store and republish without it.

    Args:
        settings: inbox and warehouse.
        name: the file's path relative to the inbox, as ``etl status`` / the ``files`` table show.
        progress: progress callback for the build.

    Returns:
        The run's summary (``files`` is empty: no inbox file is read).

    Raises:
        StillInInbox: when the file is still in the inbox (move it out first).
        etl.lock.LockHeld: when another run holds the lock.
    """
    if (settings.inbox / name).is_file():
        raise StillInInbox(
            f"{name} is still in the inbox {settings.inbox}: move it out first, or the next run "
            "loads it again"
        )

    def forget(
        store: Store, _settings: Settings, _summary: RunSummary, _p: Progress | None
    ) -> None:
        if store.forget(name) == 0:
            close = difflib.get_close_matches(name, store.paths(), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise NotInStore(f"no file {name!r} in the store{hint}")

    return run_etl(
        settings,
        progress=progress,
        force_rebuild=True,
        step=forget,
        step_name=f"forgetting {name}",
    )


def rebuild(settings: Settings, *, progress: Progress | None = None) -> RunSummary:
    """Rebuild and republish the snapshot from the store alone; the inbox is not read.

    Args:
        settings: the warehouse (the inbox is ignored).
        progress: progress callback for the build.

    Returns:
        The run's summary (``files`` is empty).

    Raises:
        etl.lock.LockHeld: when another run holds the lock.
    """
    if not settings.store_path.is_file():
        raise FileNotFoundError(f"no store at {settings.store_path}: nothing to rebuild from")

    def nothing(
        _store: Store, _settings: Settings, _summary: RunSummary, _p: Progress | None
    ) -> None:
        return None

    return run_etl(
        settings,
        progress=progress,
        force_rebuild=True,
        step=nothing,
        step_name="reading the store",
    )
