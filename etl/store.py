"""The store: the ETL's own DuckDB file of loaded files, the run log and the quarantine.

Only the ETL writes it. A loaded file's raw rows are Parquet segments beside the store
(:mod:`etl.segments`), staged where the file was parsed and moved into place in the same
transaction that records the file, so a file is in the store whole or not at all. A file whose
content (sha256) is already there is not loaded again; a new version of a path supersedes the
old one (its rows are removed, its ``files`` record stays with ``superseded_by`` set, for
lineage).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import orjson
import polars as pl

from etl import segments
from etl.faults import fault_point
from etl.sources.base import LoadResult
from skillboard.settings import SQL_DIR

LOADED_FILES_SQL = SQL_DIR / "store" / "loaded_files.sql"


@dataclass(frozen=True)
class KnownFile:
    """What the store remembers of a file it has seen."""

    file_id: int
    path: str
    sha256: str
    size_bytes: int
    mtime_ns: int | None
    loader: str | None
    status: str
    error: str | None


class Store:
    """A read-write connection to the store, with the operations the run needs."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path
        self.segments = segments.segments_root(path)

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the store, apply its schema and tidy its segments.

        Rows kept in DuckDB tables by stores written before segments are moved out first; then
        every segment folder no current loaded file owns (see :mod:`etl.segments`) is deleted.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(path))
        con.execute((SQL_DIR / "store" / "schema.sql").read_text(encoding="utf-8"))
        store = cls(con, path)
        store._move_table_rows_to_segments()
        segments.prune(store.segments, store.loaded_file_ids())
        return store

    def close(self) -> None:
        """Checkpoint and close."""
        self.con.execute("checkpoint")
        self.con.close()

    # -- runs -------------------------------------------------------------------------------

    def start_run(self, pid: int) -> int:
        """Record a new run as ``running`` and return its id."""
        rows = self.con.execute(
            "insert into etl_runs (run_id, started_at, status, pid) "
            "values (nextval('run_id_seq'), ?, 'running', ?) returning run_id",
            [_now(), pid],
        ).fetchall()
        return int(rows[0][0])

    def finish_run(
        self, run_id: int, status: str, *, snapshot: str | None, error: str | None
    ) -> None:
        """Close a run with its final status and the per-file totals of this run."""
        self.con.execute(
            """
            update etl_runs set
                finished_at = ?, status = ?, snapshot = ?, error = ?,
                files_loaded = (select count(*) from files where run_id = ? and status = 'loaded'),
                files_rejected = (select count(*) from files
                                  where run_id = ? and status = 'rejected'),
                rows_read = (select coalesce(sum(rows_read), 0) from files where run_id = ?),
                rows_loaded = (select coalesce(sum(rows_loaded), 0) from files where run_id = ?),
                rows_quarantined = (select coalesce(sum(rows_quarantined), 0) from files
                                    where run_id = ?)
            where run_id = ?
            """,
            [_now(), status, snapshot, error, run_id, run_id, run_id, run_id, run_id, run_id],
        )

    def set_unchanged_count(self, run_id: int, count: int) -> None:
        """Record how many inbox files were skipped as already loaded."""
        self.con.execute(
            "update etl_runs set files_unchanged = ? where run_id = ?", [count, run_id]
        )

    def fail_abandoned_runs(self) -> list[int]:
        """Mark runs left ``running`` by a killed process as failed; return their ids."""
        rows = self.con.execute(
            "update etl_runs set status = 'failed', finished_at = ?, "
            "error = 'the run was interrupted (process killed); nothing it did was published' "
            "where status in ('running', 'publishing') returning run_id",
            [_now()],
        ).fetchall()
        return [int(r[0]) for r in rows]

    # -- files ------------------------------------------------------------------------------

    def current_file(self, path: str) -> KnownFile | None:
        """The latest, not superseded, record of an inbox path."""
        rows = self.con.execute(
            "select file_id, path, sha256, size_bytes, mtime_ns, loader, status, error from files "
            "where path = ? and superseded_by is null order by file_id desc limit 1",
            [path],
        ).fetchall()
        return KnownFile(*rows[0]) if rows else None

    def has_content(self, sha256: str) -> KnownFile | None:
        """A current file record with this content, under any path."""
        rows = self.con.execute(
            "select file_id, path, sha256, size_bytes, mtime_ns, loader, status, error from files "
            "where sha256 = ? and superseded_by is null order by file_id desc limit 1",
            [sha256],
        ).fetchall()
        return KnownFile(*rows[0]) if rows else None

    def loaded_file_ids(self) -> list[int]:
        """The files whose rows count: loaded and not superseded by a later version."""
        return loaded_file_ids(self.con)

    def current_contents(self) -> frozenset[str]:
        """The content hashes (sha256) of every current file record, loaded or rejected."""
        rows = self.con.execute(
            "select distinct sha256 from files where superseded_by is null"
        ).fetchall()
        return frozenset(str(r[0]) for r in rows)

    def touch(self, file_id: int, mtime_ns: int) -> None:
        """Remember a new mtime for unchanged content, so the next run need not hash it."""
        self.con.execute("update files set mtime_ns = ? where file_id = ?", [mtime_ns, file_id])

    def write_file(
        self,
        *,
        run_id: int,
        path: str,
        sha256: str,
        size_bytes: int,
        mtime_ns: int,
        result: LoadResult | None,
        staged: Path | None,
        error: str | None,
    ) -> int:
        """Record one file's outcome in a single transaction and return its file id.

        Args:
            run_id: the current run.
            path: the file's path relative to the inbox.
            sha256: its content hash.
            size_bytes: its size.
            mtime_ns: its modification time (lets the next run skip hashing it).
            result: the loader's counts and quarantine, or ``None`` when the file was rejected.
            staged: the folder :func:`etl.segments.stage` wrote the file's rows to; it is
                moved into place (or deleted, when the record cannot be written).
            error: why the file was rejected.
        """
        con = self.con
        placed: Path | None = None
        con.execute("begin transaction")
        try:
            file_id = int(con.execute("select nextval('file_id_seq')").fetchall()[0][0])
            previous = self.current_file(path)
            if previous is not None:
                # A changed file supersedes its earlier version: its rows go, its record stays.
                con.execute(
                    "update files set superseded_by = ? where path = ? and superseded_by is null",
                    [file_id, path],
                )
            status = "loaded" if result is not None else "rejected"
            rows_read = result.rows_read if result else 0
            rows_loaded = result.loaded if result else 0
            rows_quarantined = len(result.quarantine) if result else 0
            con.execute(
                "insert into files (file_id, path, sha256, size_bytes, mtime_ns, loader, run_id, "
                "loaded_at, status, rows_read, rows_loaded, rows_quarantined, error) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    file_id,
                    path,
                    sha256,
                    size_bytes,
                    mtime_ns,
                    result.loader if result else None,
                    run_id,
                    _now(),
                    status,
                    rows_read,
                    rows_loaded,
                    rows_quarantined,
                    error,
                ],
            )
            if result is not None:
                self._insert_quarantine(result, run_id, file_id, path)
                if staged is not None:
                    placed = segments.commit(staged, self.segments, file_id)
                fault_point("mid_file")
            con.execute("commit")
        except BaseException:
            _rollback(con)
            segments.discard(placed or staged)
            raise
        if previous is not None:
            segments.discard(segments.folder_of(self.segments, previous.file_id))
        return file_id

    def _insert_quarantine(self, result: LoadResult, run_id: int, file_id: int, path: str) -> None:
        if not result.quarantine:
            return
        frame = pl.DataFrame(
            {
                "run_id": [run_id] * len(result.quarantine),
                "file_id": [file_id] * len(result.quarantine),
                "path": [path] * len(result.quarantine),
                "row_number": [q.row_number for q in result.quarantine],
                "raw": [orjson.dumps(q.raw, default=str).decode() for q in result.quarantine],
                "reason": [q.reason for q in result.quarantine],
            },
            schema={
                "run_id": pl.Int64,
                "file_id": pl.Int64,
                "path": pl.String,
                "row_number": pl.Int64,
                "raw": pl.String,
                "reason": pl.String,
            },
        )
        self.con.register("incoming_q", frame)
        try:
            self.con.execute("insert into quarantine by name select * from incoming_q")
        finally:
            self.con.unregister("incoming_q")

    def forget(self, path: str) -> int:
        """Remove every version of an inbox path: its raw rows, quarantine and file records.

        Returns:
            How many file versions were removed.
        """
        ids = [
            r[0]
            for r in self.con.execute("select file_id from files where path = ?", [path]).fetchall()
        ]
        self.con.execute("begin transaction")
        try:
            for file_id in ids:
                self.con.execute("delete from quarantine where file_id = ?", [file_id])
                self.con.execute("delete from files where file_id = ?", [file_id])
            self.con.execute("commit")
        except BaseException:
            _rollback(self.con)
            raise
        # Once the records are gone the rows no longer count; a folder a crash leaves behind
        # here is pruned at the next open.
        for file_id in ids:
            segments.discard(segments.folder_of(self.segments, file_id))
        return len(ids)

    def _move_table_rows_to_segments(self) -> None:
        # Stores written before segments kept raw rows in tables named like the segments'.
        listed = self.con.execute("select table_name from duckdb_tables()").fetchall()
        old = sorted({r[0] for r in listed} & set(segments.raw_tables()))
        if not old:
            return
        self.con.execute("begin transaction")
        try:
            for table in old:
                ids = self.con.execute(f"select distinct file_id from {table}").fetchall()
                for (file_id,) in ids:
                    frame = self.con.sql(
                        f"select * exclude (file_id) from {table} where file_id = ?",
                        params=[file_id],
                    ).pl()
                    folder = segments.folder_of(self.segments, int(file_id))
                    folder.mkdir(parents=True, exist_ok=True)
                    segments.write(folder, table, frame)
                self.con.execute(f"drop table {table}")
            self.con.execute("commit")
        except BaseException:
            _rollback(self.con)
            raise
        self.con.execute("checkpoint")

    def paths(self) -> list[str]:
        """Every inbox path the store holds a record of, sorted."""
        rows = self.con.execute("select distinct path from files order by path").fetchall()
        return [str(r[0]) for r in rows]

    def content_fingerprint(self) -> str:
        """A value that changes whenever the set of current files changes."""
        rows = self.con.execute(
            "select coalesce(string_agg(file_id::varchar || ':' || sha256, ',' "
            "order by file_id), '') "
            "from files where superseded_by is null"
        ).fetchall()
        return str(rows[0][0])


def attach_read_only(con: duckdb.DuckDBPyConnection, store_path: Path) -> None:
    """Attach the store read-only as ``store`` and its current files' rows as ``raw``."""
    con.execute("attach ? as store (read_only)", [str(store_path)])
    cursor = con.cursor()
    try:
        cursor.execute("use store")
        ids = loaded_file_ids(cursor)
    finally:
        cursor.close()
    segments.attach_raw(con, segments.segments_root(store_path), ids)


def loaded_file_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The ids of the files whose rows count, read from the store ``con`` is using."""
    sql = LOADED_FILES_SQL.read_text(encoding="utf-8")
    return [int(r[0]) for r in con.execute(sql).fetchall()]


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    # A failed commit (e.g. disk full) has already ended the transaction; the original error,
    # not "no transaction is active", is what the person needs to see.
    with contextlib.suppress(duckdb.Error):
        con.execute("rollback")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
