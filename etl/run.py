"""One ETL run: take the lock, load new inbox files into the store, rebuild and publish.

Per file: skipped when its content is already in the store (decided from path, size and
mtime without reading it, else from its sha256), otherwise recognised by content and loaded by
the first source that claims it. A file that cannot be read is recorded as rejected with its
reason and the run goes on. Whatever happens, the published snapshot is either the previous
one or a complete new one.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from etl.build import build_snapshot, published_fingerprint, remove_leftovers, sql_fingerprint
from etl.lock import EtlLock
from etl.sources import all_sources
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from etl.store import Store
from skillboard.settings import Settings

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
        data = asdict(self)
        return data


Progress = Callable[[str, int, int], None]


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


def sha256_of(path: Path) -> str:
    """The file's content hash, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


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
    probe = Probe(path=path, head=head)
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
) -> RunSummary:
    """Run the ETL once.

    Args:
        settings: inbox, warehouse and loader options.
        progress: called as (stage text, done, total) for a progress bar.
        force_rebuild: rebuild the snapshot even when nothing changed.
        before_publish: fault-injection hook, called with the finished temporary snapshot.

    Returns:
        The run summary; ``status`` is ``failed`` when no snapshot could be published.

    Raises:
        etl.lock.LockHeld: when another run holds the lock.
    """
    with EtlLock(settings.lock_path):
        remove_leftovers(settings.snapshot_path)
        store = Store.open(settings.store_path)
        store.fail_abandoned_runs()
        run_id = store.start_run(os.getpid())
        summary = RunSummary(run_id=run_id, status="failed", snapshot=None)
        try:
            _load_inbox(store, settings, summary, progress)
            fingerprint = sql_fingerprint() + ":" + store.content_fingerprint()
        except BaseException as exc:
            store.finish_run(run_id, "failed", snapshot=None, error=f"load failed: {exc}")
            store.close()
            raise
        # Counts are final now; the snapshot copies this row, so it says "publishing" there
        # until build_snapshot marks it published inside the new file.
        store.finish_run(run_id, "publishing", snapshot=None, error=None)
        store.close()
        return _publish(settings, summary, fingerprint, force_rebuild, progress, before_publish)


def _load_inbox(
    store: Store, settings: Settings, summary: RunSummary, progress: Progress | None
) -> None:
    inbox = settings.inbox
    files = inbox_files(inbox)
    ctx = LoadContext(settings=settings, inbox=inbox)
    sources: list[ModuleType] | None = None
    unchanged = 0
    for index, path in enumerate(files, start=1):
        rel = path.relative_to(inbox).as_posix()
        if progress:
            progress(f"loading {rel}", index, len(files))
        stat = path.stat()
        known = store.current_file(rel)
        if known and known.size_bytes == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
            summary.files.append(FileOutcome(rel, known.loader, "unchanged", error=known.error))
            unchanged += 1
            continue
        sha = sha256_of(path)
        same = store.has_content(sha)
        if same is not None:
            if same.path == rel:
                store.touch(same.file_id, stat.st_mtime_ns)
            summary.files.append(FileOutcome(rel, same.loader, "unchanged", error=same.error))
            unchanged += 1
            continue
        if sources is None:
            sources = all_sources()
        try:
            result = load_file(path, ctx, sources)
        except FileRejected as exc:
            store.write_file(
                run_id=summary.run_id, path=rel, sha256=sha, size_bytes=stat.st_size,
                mtime_ns=stat.st_mtime_ns, result=None, error=str(exc),
            )
            summary.files.append(FileOutcome(rel, None, "rejected", error=str(exc)))
            continue
        store.write_file(
            run_id=summary.run_id, path=rel, sha256=sha, size_bytes=stat.st_size,
            mtime_ns=stat.st_mtime_ns, result=result, error=None,
        )
        summary.files.append(
            FileOutcome(
                rel, result.loader, "loaded", result.rows_read, result.loaded,
                len(result.quarantine),
            )
        )
    store.set_unchanged_count(summary.run_id, unchanged)


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
        if not force_rebuild and published_fingerprint(snapshot) == fingerprint:
            # Nothing new: the published snapshot already holds exactly these inputs.
            summary.rebuilt = False
        else:
            build_snapshot(
                settings.store_path, snapshot, run_id=summary.run_id, fingerprint=fingerprint,
                on_model=(lambda n, i, t: progress(f"building {n}", i, t)) if progress else None,
                before_publish=before_publish,
            )
        summary.status = "published"
        summary.snapshot = str(snapshot)
    except Exception as exc:
        summary.error = f"snapshot build failed: {exc}"
    store = Store.open(settings.store_path)
    try:
        store.finish_run(
            summary.run_id, summary.status, snapshot=summary.snapshot, error=summary.error
        )
    finally:
        store.close()
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
