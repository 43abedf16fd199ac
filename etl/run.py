"""One ETL run: take the lock, load new inbox files into the store, rebuild and publish.

Per file: skipped when its content is already in the store (decided from path, size and
mtime without reading it, else from its sha256), otherwise recognised by content and loaded by
the first source that claims it. A file that cannot be read is recorded as rejected with its
reason and the run goes on. Whatever happens, the published snapshot is either the previous
one or a complete new one.

What a run does to the store before the build is a step (by default: load the inbox); forget
and rebuild (:mod:`etl.retention`) are runs with other steps, so they share the lock, the run
log and the publish. Files that left the inbox keep their rows: the store is the lineage of
everything ever loaded, and only ``skillboard etl forget`` removes a file's rows.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sys
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from etl import segments
from etl.build import (
    build_snapshot,
    published_fingerprint,
    published_run_id,
    remove_leftovers,
    sql_fingerprint,
)
from etl.faults import fault_point
from etl.lock import EtlLock
from etl.parallel import Parsed, Prefetcher, worker_count
from etl.sources import all_sources
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from etl.store import KnownFile, Store
from skillboard.settings import Settings

log = logging.getLogger(__name__)

PROBE_BYTES = 65536
IGNORED_PREFIXES = (".", "~$", "_")
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".swp", ".md")


@dataclass
class FileOutcome:
    """One inbox file's line in the run summary (SPEC §2)."""

    path: str
    loader: str | None
    status: str  # loaded / unchanged / rejected
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    error: str | None = None


@dataclass
class RunSummary:
    """What ``skillboard etl run --json`` prints."""

    run_id: int
    status: str  # published / failed
    snapshot: str | None
    files: list[FileOutcome] = field(default_factory=list)
    error: str | None = None
    rebuilt: bool = True

    def to_json(self) -> dict[str, Any]:
        """The summary as the SPEC's JSON object."""
        return asdict(self)


Progress = Callable[[str, int, int], None]
StoreStep = Callable[[Store, Settings, RunSummary, "Progress | None"], None]
"""What a run does to the store before the build: (store, settings, summary, progress)."""

_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_DISK_FULL_TEXTS = ("no space left on device", "file too large", "disk quota exceeded")


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error (OS or DuckDB I/O) means the disk or the file-size limit is full."""
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
        return True
    text = str(exc).lower()
    return any(marker in text for marker in _DISK_FULL_TEXTS)


def failure_text(stage: str, exc: BaseException) -> str:
    """One line for the run log and stderr: ``disk full while <stage>: ...`` when it is that."""
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if is_disk_full(exc):
        return f"disk full while {stage}: {first_line}"
    return f"{stage} failed: {first_line}"


def inbox_files(inbox: Path) -> list[Path]:
    """Every file of the inbox (recursively) that is not hidden, partial or a note."""
    if not inbox.is_dir():
        return []
    found = []
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox)
        if any(part.startswith(IGNORED_PREFIXES) for part in rel.parts):
            continue
        if path.is_file() and not path.name.lower().endswith(IGNORED_SUFFIXES):
            found.append(path)
    return found


def choose_source(probe: Probe, sources: list[ModuleType]) -> ModuleType | None:
    """The first source that claims the file."""
    for source in sources:
        try:
            if source.detect(probe):
                return source
        except Exception:  # a detector must never stop the run; treat as "not mine"
            continue
    return None


def load_file(path: Path, ctx: LoadContext, sources: list[ModuleType]) -> LoadResult:
    """Recognise and load one file.

    Raises:
        FileRejected: when no source reads it or its source cannot.
    """
    with path.open("rb") as handle:
        head = handle.read(PROBE_BYTES)
    probe = Probe(path=path, head=head, settings=ctx.settings)
    source = choose_source(probe, sources)
    if source is None:
        raise FileRejected(
            f"{path.name}: not a format Skillboard reads (expected a roster CSV/XLSX, an Open "
            "Badges 2.0/3.0 JSON or JWT, a badge-platform CSV, a baked badge image or a "
            "reference file such as skills_map.csv)"
        )
    try:
        result: LoadResult = source.load(path, ctx)
    except FileRejected:
        raise
    except Exception as exc:  # no input may crash the run: record it against the file
        raise FileRejected(f"{path.name}: {source.NAME} could not read it: {exc}") from exc
    if result.rows_read != result.loaded + len(result.quarantine):
        raise FileRejected(
            f"{path.name}: {source.NAME} counted {result.rows_read} rows read but "
            f"{result.loaded} loaded + {len(result.quarantine)} quarantined"
        )
    return result


def run_etl(
    settings: Settings,
    *,
    progress: Progress | None = None,
    force_rebuild: bool = False,
    before_publish: Callable[[Path], None] | None = None,
    step: StoreStep | None = None,
    step_name: str = "loading the inbox",
) -> RunSummary:
    """Run the ETL once.

    Args:
        settings: inbox, warehouse and loader options.
        progress: called as (stage text, done, total) for a progress bar.
        force_rebuild: rebuild the snapshot even when nothing changed.
        before_publish: fault-injection hook, called with the finished temporary snapshot.
        step: what to do to the store before the build; default: load the inbox.
        step_name: the step in error messages ("disk full while loading the inbox: ...").

    Returns:
        The run summary; ``status`` is ``failed`` when no snapshot could be published (the
        reason, one line, in ``error``).

    Raises:
        etl.lock.LockHeld: when another run holds the lock.
    """
    with EtlLock(settings.lock_path) as lock:
        if lock.cleared_stale:
            stale = lock.cleared_stale
            log.warning(
                "cleared a stale ETL lock left by pid %s (started %s)",
                stale.get("pid"),
                stale.get("started"),
            )
        remove_leftovers(settings.snapshot_path)
        store = Store.open(settings.store_path)
        _close_abandoned_runs(store, settings.snapshot_path)
        run_id = store.start_run(os.getpid())
        summary = RunSummary(run_id=run_id, status="failed", snapshot=None)
        fault_point("load_start")
        try:
            (step or _load_inbox)(store, settings, summary, progress)
            fingerprint = sql_fingerprint() + ":" + store.content_fingerprint()
            # Counts are final now; the snapshot copies this row, so it says "publishing" there
            # until build_snapshot marks it published inside the new file.
            store.finish_run(run_id, "publishing", snapshot=None, error=None)
            store.close()
        except BaseException as exc:
            summary.error = failure_text(step_name, exc)
            _record_failure(store, run_id, summary.error)
            if not isinstance(exc, Exception):  # interrupted: let KeyboardInterrupt/exit through
                raise
            log.error("run %s failed: %s", run_id, summary.error)
            return summary
        return _publish(settings, summary, fingerprint, force_rebuild, progress, before_publish)


def _close_abandoned_runs(store: Store, snapshot: Path) -> None:
    abandoned = store.fail_abandoned_runs()
    published = published_run_id(snapshot)
    if published is not None and published in abandoned:
        # Killed between the rename and telling the store: its snapshot is the published one.
        store.finish_run(published, "published", snapshot=str(snapshot), error=None)
        abandoned.remove(published)
    if abandoned:
        log.warning("marked interrupted run(s) %s as failed", ", ".join(map(str, abandoned)))


def _record_failure(store: Store, run_id: int, error: str) -> None:
    # On a full disk even this small write may fail; the next run then marks the run failed.
    try:
        store.finish_run(run_id, "failed", snapshot=None, error=error)
        store.close()
    except Exception as exc:
        log.error("could not record the failure of run %s in the store: %s", run_id, exc)
        with contextlib.suppress(Exception):
            store.con.close()


def _load_inbox(
    store: Store, settings: Settings, summary: RunSummary, progress: Progress | None
) -> None:
    inbox = settings.inbox
    files = inbox_files(inbox)
    ctx = LoadContext(settings=settings, inbox=inbox)
    sources: list[ModuleType] | None = None

    def parse_here(path: Path) -> LoadResult:
        nonlocal sources
        if sources is None:
            sources = all_sources()
        return load_file(path, ctx, sources)

    # Files whose path, size and mtime match the store are skipped without reading them; the
    # bytes of the rest decide whether worker processes are worth starting.
    known = {path: store.current_file(path.relative_to(inbox).as_posix()) for path in files}
    to_read = sum(
        path.stat().st_size for path, k in known.items() if k is None or not _same_stat(k, path)
    )
    prefetcher = Prefetcher(
        settings, inbox, worker_count(to_read), store.current_contents(), parse_here
    )
    # Entries in inbox order: an outcome already decided, or a file being hashed/parsed ahead.
    queue: deque[FileOutcome | _Pending] = deque()
    unchanged = 0

    def settle_oldest() -> None:
        nonlocal unchanged
        entry = queue.popleft()
        if isinstance(entry, FileOutcome):
            summary.files.append(entry)
            return
        _, parsed = prefetcher.take()
        same = store.has_content(parsed.sha256)
        # Identical bytes under another path that is still in the inbox are a different file
        # (a roster's snapshot date may come from its name); under a vanished path, a rename.
        if same is not None and (same.path == entry.rel or not (inbox / same.path).exists()):
            segments.discard(parsed.staged)
            if same.path == entry.rel:
                store.touch(same.file_id, entry.mtime_ns)
            summary.files.append(FileOutcome(entry.rel, same.loader, "unchanged", error=same.error))
            unchanged += 1
            return
        if parsed.skipped:
            parsed = prefetcher.parse_now(inbox / entry.rel, parsed.sha256)
        _write_parsed(store, summary, entry, parsed)

    try:
        for index, path in enumerate(files, start=1):
            rel = path.relative_to(inbox).as_posix()
            if progress:
                progress(f"loading {rel}", index, len(files))
            previous = known[path]
            if previous is not None and _same_stat(previous, path):
                queue.append(FileOutcome(rel, previous.loader, "unchanged", error=previous.error))
                unchanged += 1
                continue
            stat = path.stat()
            prefetcher.submit(path)
            queue.append(_Pending(rel, stat.st_size, stat.st_mtime_ns))
            while prefetcher.full():
                settle_oldest()
        while queue:
            settle_oldest()
    finally:
        prefetcher.close()
    store.set_unchanged_count(summary.run_id, unchanged)


def _same_stat(known: KnownFile, path: Path) -> bool:
    stat = path.stat()
    return known.size_bytes == stat.st_size and known.mtime_ns == stat.st_mtime_ns


@dataclass(frozen=True)
class _Pending:
    """A file handed to the prefetcher, with what the store records about it."""

    rel: str
    size_bytes: int
    mtime_ns: int


def _write_parsed(store: Store, summary: RunSummary, pending: _Pending, parsed: Parsed) -> None:
    """Write a parsed file (or its rejection) to the store and list it in the summary."""
    fault_point("before_file")
    result = parsed.result
    try:
        store.write_file(
            run_id=summary.run_id,
            path=pending.rel,
            sha256=parsed.sha256,
            size_bytes=pending.size_bytes,
            mtime_ns=pending.mtime_ns,
            result=result,
            staged=parsed.staged,
            error=parsed.rejected,
        )
    except Exception as exc:  # e.g. disk full: say which file was being written
        raise RuntimeError(f"{pending.rel}: {exc}") from exc
    if result is None:
        summary.files.append(FileOutcome(pending.rel, None, "rejected", error=parsed.rejected))
        return
    fault_point("after_file")
    summary.files.append(
        FileOutcome(
            pending.rel,
            result.loader,
            "loaded",
            result.rows_read,
            result.loaded,
            len(result.quarantine),
        )
    )


def _publish(
    settings: Settings,
    summary: RunSummary,
    fingerprint: str,
    force_rebuild: bool,
    progress: Progress | None,
    before_publish: Callable[[Path], None] | None,
) -> RunSummary:
    snapshot = settings.snapshot_path
    try:
        fault_point("before_build")
        if not force_rebuild and published_fingerprint(snapshot) == fingerprint:
            # Nothing new: the published snapshot already holds exactly these inputs.
            summary.rebuilt = False
        else:
            build_snapshot(
                settings.store_path,
                snapshot,
                run_id=summary.run_id,
                fingerprint=fingerprint,
                on_model=(lambda n, i, t: progress(f"building {n}", i, t)) if progress else None,
                before_publish=before_publish,
            )
        summary.status = "published"
        summary.snapshot = str(snapshot)
    except Exception as exc:
        summary.error = failure_text("building the snapshot", exc)
        log.error("run %s failed: %s", summary.run_id, summary.error)
    try:
        store = Store.open(settings.store_path)
        try:
            store.finish_run(
                summary.run_id, summary.status, snapshot=summary.snapshot, error=summary.error
            )
        finally:
            store.close()
    except Exception as exc:
        # The snapshot (old or new) is in place either way; the next run fixes the run log.
        log.error(
            "could not record run %s in the store: %s",
            summary.run_id,
            failure_text("recording the run", exc),
        )
    return summary


def print_progress(stage: str, done: int, total: int) -> None:
    """A one-line progress bar on stderr (only when it is a terminal)."""
    if not sys.stderr.isatty() or total <= 0:
        return
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {stage[:60]:<60}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
