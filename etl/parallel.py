"""Parse inbox files in worker processes while the run writes the previous ones to the store.

Loaders are pure Python and polars over one file at a time, and a big inbox is a few dozen files
of tens of megabytes each (50,000 credentials per NDJSON file, a roster per month): parsing
them one after another leaves all but one core idle while the store sits waiting. A
:class:`Prefetcher` hands each file to a small process pool as soon as the run knows it may
have to be loaded, and gives the results back **in inbox order**, so the store is written, the
summary is listed and the fault points fire exactly as in a one-file-at-a-time run.

A worker also hashes the file it reads (the run needs every new file's sha256) and skips
parsing when that content is already in the store: the run then decides, as before, whether
the file is unchanged (a touch, a rename) or must be loaded after all (identical bytes under a
second path), and parses it itself in that rare case. The rows themselves never come back to
the run: the process that parsed a file writes them as a staged Parquet segment
(:mod:`etl.segments`), and the writer, the one serial step, is left with recording the file.

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

import dataclasses
import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from etl import segments
from etl.sources.base import FileRejected, LoadContext, LoadResult
from skillboard.settings import Settings

PARALLEL_MIN_BYTES = 64 * 1024 * 1024
"""Below this many bytes to load, files are parsed in the run's own process."""
MAX_WORKERS = 4
AHEAD_PER_WORKER = 4
"""Files queued or parsed ahead of the writer, per worker. Results are small (counts and the
quarantine: the rows are on disk), so a worker can run well ahead of one slow file (an XLSX
roster takes 2 s at 50,000 employees, 13 s at 500,000); the bound keeps the quarantines of bad
files waiting in memory few."""

_worker_context: LoadContext | None = None
_worker_known: frozenset[str] = frozenset()
_worker_root: Path | None = None


@dataclass
class Parsed:
    """A file's content hash and its load result, or why it was rejected.

    ``result`` carries the counts and the quarantine; its rows are in the ``staged`` segment
    folder. ``skipped`` is true when the content was already in the store and was not parsed.
    """

    sha256: str
    result: LoadResult | None
    rejected: str | None
    skipped: bool = False
    staged: Path | None = None


def worker_count(total_bytes: int, cores: int | None = None) -> int:
    """How many worker processes to use for ``total_bytes`` of files (0: parse in process)."""
    available = cores if cores is not None else (os.cpu_count() or 1)
    if total_bytes < PARALLEL_MIN_BYTES or available < 2:
        return 0
    return min(available, MAX_WORKERS)


def sha256_of(path: Path) -> str:
    """The file's content hash, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def parse_and_stage(
    path: Path, sha256: str, parse: Callable[[Path], LoadResult], root: Path
) -> Parsed:
    """Parse a file and stage its rows under ``root``.

    Raises nothing for a bad file: a :class:`FileRejected` becomes ``Parsed.rejected``.
    """
    try:
        result = parse(path)
    except FileRejected as exc:
        return Parsed(sha256, None, str(exc))
    staged = segments.stage(root, result.tables)
    return Parsed(sha256, dataclasses.replace(result, tables={}), None, staged=staged)


def hash_and_parse(
    path: Path, known: frozenset[str], parse: Callable[[Path], LoadResult], root: Path
) -> Parsed:
    """Hash a file and, unless its content is in ``known``, parse it and stage its rows."""
    sha = sha256_of(path)
    if sha in known:
        return Parsed(sha, None, None, skipped=True)
    return parse_and_stage(path, sha, parse, root)


def _init_worker(settings: Settings, inbox: Path, known: frozenset[str]) -> None:
    global _worker_context, _worker_known, _worker_root
    _worker_context = LoadContext(settings=settings, inbox=inbox)
    _worker_known = known
    _worker_root = segments.segments_root(settings.store_path)


def _parse_in_worker(path: Path) -> Parsed:
    from etl.run import load_file  # the worker imports the run lazily, like the run itself
    from etl.sources import all_sources

    context = _worker_context
    assert context is not None and _worker_root is not None
    sources = all_sources()
    return hash_and_parse(
        path, _worker_known, lambda p: load_file(p, context, sources), _worker_root
    )


class Prefetcher:
    """Hashes and loads files ahead of the writer, up to :data:`AHEAD_PER_WORKER` per worker.

    Args:
        settings: the run's settings (sent once to each worker).
        inbox: the inbox root.
        workers: worker processes; 0 hashes and parses each file in this process when taken.
        known: content hashes already in the store (not parsed again).
        parse_here: how this process parses a file (when ``workers`` is 0, and for the rare
            file whose known content must be loaded after all).
    """

    def __init__(
        self,
        settings: Settings,
        inbox: Path,
        workers: int,
        known: frozenset[str],
        parse_here: Callable[[Path], LoadResult],
    ) -> None:
        self._parse_here = parse_here
        self._known = known
        self._root = segments.segments_root(settings.store_path)
        self._workers = workers
        self._queue: deque[tuple[Path, Future[Parsed] | None]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_init_worker,
                initargs=(settings, inbox, known),
            )

    def submit(self, path: Path) -> None:
        """Queue a file; a worker starts on it at once when there is a pool."""
        future = self._pool.submit(_parse_in_worker, path) if self._pool else None
        self._queue.append((path, future))

    def full(self) -> bool:
        """Whether the writer should take a result before more files are queued."""
        if self._pool is None:
            return len(self._queue) > 0
        return len(self._queue) >= AHEAD_PER_WORKER * self._workers

    def __len__(self) -> int:
        return len(self._queue)

    def take(self) -> tuple[Path, Parsed]:
        """The oldest queued file and its result (waiting for it if needed)."""
        path, future = self._queue.popleft()
        if future is None:
            try:
                return path, hash_and_parse(path, self._known, self._parse_here, self._root)
            except Exception as exc:  # e.g. disk full while staging: say which file
                raise RuntimeError(f"{path.name}: {exc}") from exc
        try:
            return path, future.result()
        except Exception as exc:
            # A worker that died (out of memory, killed) says nothing about the file: the run
            # fails, as it would had it parsed the file itself, and the next run tries again.
            raise RuntimeError(f"{path.name}: the loader process failed: {exc!r}") from exc

    def parse_now(self, path: Path, sha256: str) -> Parsed:
        """Parse a file in this process (its content was known, yet it must be loaded)."""
        return parse_and_stage(path, sha256, self._parse_here, self._root)

    def close(self) -> None:
        """Stop the workers (queued work that was not taken is abandoned; its staged rows are
        pruned when the store is next opened)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
