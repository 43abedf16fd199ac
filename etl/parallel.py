"""Parse inbox files in worker processes while the run writes the previous ones to the store.

Loaders are pure Python and polars over one file at a time, and a big inbox is a few dozen files
of tens of megabytes each (50,000 credentials per NDJSON file, a roster per month): parsing
them one after another leaves all but one core idle while the store sits waiting. A
:class:`Prefetcher` hands each file to a small process pool as soon as the run knows it must
be loaded, and gives the results back **in inbox order**, so the store is written, the
summary is listed and the fault points fire exactly as in a one-file-at-a-time run.

Workers are started with ``forkserver``, never ``fork``: the run holds an open DuckDB
connection whose threads a forked child would inherit mid-flight. Each worker builds its own
:class:`~etl.sources.base.LoadContext` once, so the inbox's document index is built once per
worker rather than once per file. Small runs (tests, a daily delta) stay in process: starting
workers costs about a second, more than it saves below a few tens of megabytes.

As with any use of :mod:`multiprocessing`, a script that calls :func:`etl.run.run_etl` must do
so under ``if __name__ == "__main__":``: each worker imports the script's module again. The
``skillboard`` command, pytest and ``python -c`` are safe as they are.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from etl.sources.base import FileRejected, LoadContext, LoadResult
from skillboard.settings import Settings

PARALLEL_MIN_BYTES = 64 * 1024 * 1024
"""Below this many bytes to load, files are parsed in the run's own process."""
MAX_WORKERS = 4

_worker_context: LoadContext | None = None


@dataclass
class Parsed:
    """A file's load result, or why it was rejected."""

    result: LoadResult | None
    rejected: str | None


def worker_count(total_bytes: int, cores: int | None = None) -> int:
    """How many worker processes to use for ``total_bytes`` of files (0: parse in process)."""
    available = cores if cores is not None else (os.cpu_count() or 1)
    if total_bytes < PARALLEL_MIN_BYTES or available < 2:
        return 0
    return min(available, MAX_WORKERS)


def _init_worker(settings: Settings, inbox: Path) -> None:
    global _worker_context
    _worker_context = LoadContext(settings=settings, inbox=inbox)


def _parse_in_worker(path: Path) -> Parsed:
    from etl.run import load_file  # the worker imports the run lazily, like the run itself
    from etl.sources import all_sources

    assert _worker_context is not None
    try:
        return Parsed(load_file(path, _worker_context, all_sources()), None)
    except FileRejected as exc:
        return Parsed(None, str(exc))


class Prefetcher:
    """Loads files ahead of the writer, at most ``workers + 1`` results held at a time.

    Args:
        settings: the run's settings (sent once to each worker).
        inbox: the inbox root.
        workers: worker processes; 0 parses each file in this process when it is taken.
        parse_here: how this process parses a file when ``workers`` is 0.
    """

    def __init__(
        self,
        settings: Settings,
        inbox: Path,
        workers: int,
        parse_here: Callable[[Path], Parsed],
    ) -> None:
        self._parse_here = parse_here
        self._queue: deque[tuple[Path, Future[Parsed] | None]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(settings, inbox),
            )

    def submit(self, path: Path) -> None:
        """Queue a file; a worker starts on it at once when there is a pool."""
        future = self._pool.submit(_parse_in_worker, path) if self._pool else None
        self._queue.append((path, future))

    def __len__(self) -> int:
        return len(self._queue)

    def take(self) -> tuple[Path, Parsed]:
        """The oldest queued file and its result (waiting for it if needed)."""
        path, future = self._queue.popleft()
        if future is None:
            return path, self._parse_here(path)
        try:
            return path, future.result()
        except Exception as exc:
            # A worker that died (out of memory, killed) says nothing about the file: the run
            # fails, as it would had it parsed the file itself, and the next run tries again.
            raise RuntimeError(f"{path.name}: the loader process failed: {exc!r}") from exc

    def close(self) -> None:
        """Stop the workers (queued work that was not taken is abandoned)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
