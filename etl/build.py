"""Build the published snapshot from the store and publish it with an atomic rename.

The snapshot is written to a temporary file beside the published one, checkpointed, closed
and then moved into place with ``os.replace``: a reader sees the old file or the new one,
never a half-built one, and a run killed at any point leaves the old snapshot as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.faults import fault_point
from etl.pymodels import PYTHON_MODELS
from etl.sqlrunner import BuildReport, discover, run_models
from etl.store import attach_read_only
from skillboard import SCHEMA_VERSION
from skillboard.settings import SQL_DIR


def _build_memory_limit() -> str:
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(1, min(3, ram // 2**30 // 2))}GB"


BUILD_MEMORY_LIMIT = _build_memory_limit()
"""DuckDB's memory for the build: 3 GB, or half the machine's RAM when that is less; beyond it,
joins, sorts and the temporary tables spill to disk. At 500,000 employees / 5 million awards
DuckDB would otherwise take 8-9 GB (its default is 80 % of RAM), twice SPEC §7's 4 GB for the
whole run. Measured there on the same store: 2 GB built in 186 s (peak 2.29 GB), 3 GB in 131 s
(peak 3.28 GB). The loader processes have ended by the time the build starts, and the run
process holds no rows, so the build's peak is the run's."""

BUILD_WORKERS = 2
"""Models built at the same time, each on its own share of the cores (``BUILD_THREADS``)."""

BUILD_THREADS = max(1, (os.cpu_count() or 2) // BUILD_WORKERS)
"""DuckDB threads for the build: on 2 cores, one per model. Spreading one query over both cores
cost more CPU than it saved on these plans (parts of most models run on one core anyway: a
global sort, a recursive walk, planning a small query, the Cox fit in numpy), so whole models
run side by side instead. With the same SQL at 50,000 employees on a busy 2-core machine, one
model at a time on two threads took 11-13 s and two models on one thread each 8.5-10 s, with
less CPU in total. Two models, not more: they share the memory limit, and at 5 million awards
each big one needs most of it."""


@dataclass(frozen=True)
class BuildResult:
    """A published snapshot."""

    path: Path
    fingerprint: str
    report: BuildReport


def sql_fingerprint(sql_dir: Path = SQL_DIR) -> str:
    """A hash of every SQL model and the schema version: a rebuild is needed when it changes."""
    digest = hashlib.sha256(f"schema:{SCHEMA_VERSION}".encode())
    for path in sorted(sql_dir.rglob("*.sql")):
        digest.update(str(path.relative_to(sql_dir)).encode())
        digest.update(path.read_bytes())
    for module in ("etl/pymodels.py", "etl/stats.py"):
        code = sql_dir.parent / module
        if code.is_file():
            digest.update(code.read_bytes())
    return digest.hexdigest()


def _published_info(snapshot: Path) -> tuple[str, int] | None:
    """(fingerprint, run_id) recorded in a published snapshot; None when absent or unreadable."""
    if not snapshot.is_file():
        return None
    try:
        con = duckdb.connect(str(snapshot), read_only=True)
    except duckdb.Error:
        return None
    try:
        rows = con.execute("select fingerprint, run_id from snapshot_info").fetchall()
    except duckdb.Error:
        return None
    finally:
        con.close()
    return (str(rows[0][0]), int(rows[0][1])) if rows else None


def published_fingerprint(snapshot: Path) -> str | None:
    """The fingerprint recorded in a published snapshot, or None when there is none."""
    info = _published_info(snapshot)
    return info[0] if info else None


def published_run_id(snapshot: Path) -> int | None:
    """The run that built the published snapshot, or None when there is none (or unreadable)."""
    info = _published_info(snapshot)
    return info[1] if info else None


def build_snapshot(
    store_path: Path,
    snapshot_path: Path,
    *,
    run_id: int,
    fingerprint: str,
    as_of: dt.date | None = None,
    on_model: Callable[[str, int, int], None] | None = None,
    before_publish: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Run every model into a temporary file and move it over the published snapshot.

    Args:
        store_path: the store to read (attached read-only as ``store``; the rows of its
            current files as views in ``raw``, see :func:`etl.segments.attach_raw`).
        snapshot_path: where the snapshot is published.
        run_id: the run building it (recorded in ``snapshot_info``).
        fingerprint: identifies the inputs (store content + SQL); recorded for no-op detection.
        as_of: the analysis date; default the latest roster snapshot date.
        on_model: progress callback.
        before_publish: called with the finished temporary file just before the rename (tests
            and fault injection use it).

    Returns:
        The published path and build report.
    """
    snapshot_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = snapshot_path.with_name(f".{snapshot_path.stem}.run{run_id}.tmp.duckdb")
    _remove(tmp)

    def model_done(name: str, index: int, total: int) -> None:
        # Called as model `index` starts; models are built side by side, so the `index - 1`
        # before it have started, and not all of them need have finished.
        if index > 1:
            fault_point("after_model")
        if on_model is not None:
            on_model(name, index, total)

    spill = snapshot_path.with_name(f".{snapshot_path.stem}.spill")
    con = duckdb.connect(
        str(tmp),
        config={
            "memory_limit": BUILD_MEMORY_LIMIT,
            "temp_directory": str(spill),
            "threads": BUILD_THREADS,
        },
    )
    try:
        attach_read_only(con, store_path)
        report = run_models(
            con,
            discover(SQL_DIR, PYTHON_MODELS),
            on_model=model_done,
            variables={"as_of": as_of, "run_id": run_id},
            workers=BUILD_WORKERS,
        )
        if report.order:
            fault_point("after_model")
        con.execute(
            "create or replace table snapshot_info as select ? as schema_version, ? as run_id, "
            "? as built_at, ? as fingerprint",
            [SCHEMA_VERSION, run_id, dt.datetime.now(dt.UTC).replace(tzinfo=None), fingerprint],
        )
        con.execute("detach store")
        con.execute("detach raw")
        _mark_published(con, run_id)
        fault_point("before_checkpoint")
        con.execute("checkpoint")
    except BaseException:
        con.close()
        _remove(tmp)
        shutil.rmtree(spill, ignore_errors=True)
        raise
    con.close()
    shutil.rmtree(spill, ignore_errors=True)
    if before_publish is not None:
        before_publish(tmp)
    _fsync(tmp)
    fault_point("before_rename")
    os.replace(tmp, snapshot_path)
    _fsync(snapshot_path.parent)
    fault_point("after_rename")
    return BuildResult(snapshot_path, fingerprint, report)


def _mark_published(con: duckdb.DuckDBPyConnection, run_id: int) -> None:
    # The snapshot's copy of the run log was taken while this run was still publishing.
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    if "etl_runs" in tables:
        con.execute(
            "update etl_runs set status = 'published', finished_at = ? where run_id = ?",
            [dt.datetime.now(dt.UTC).replace(tzinfo=None), run_id],
        )


def remove_leftovers(snapshot_path: Path) -> list[Path]:
    """Delete temporary snapshots left by killed runs; return what was removed."""
    removed = []
    for leftover in snapshot_path.parent.glob(f".{snapshot_path.stem}.run*.tmp.duckdb*"):
        _remove(leftover)
        removed.append(leftover)
    return removed


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
