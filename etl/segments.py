"""Raw rows as Parquet segments: one file per loaded inbox file and raw table, beside the store.

A loader's rows are written where the file was parsed, by the worker process that parsed it,
as ``<segments>/.staging-*/<table>.parquet``; the store's writer then only records the file
and moves its staged folder to ``<segments>/file_id=<id>/``. Writing the same rows into DuckDB
tables cost the one serial step of a run about 6 s of CPU per 500,000 awards and 600,000 roster
rows; Parquet with LZ4 costs about 1 s, spread over the workers, and the build reads it back
about as fast as a DuckDB table.

The store's ``files`` table stays the catalogue: a segment counts only while its file's record
is ``loaded`` and not superseded. The folder is moved into place before that record commits,
so a committed record always has its rows; a folder without such a record (a run killed in
between, a superseded or forgotten file whose folder was not yet removed, an abandoned staging
folder) is deleted by :func:`prune` when the store is next opened.

The columns and types of each raw table are declared in ``sql/store/raw_tables.sql``; every
segment is cast to them before it is written, so all segments of a table read back alike.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from skillboard.settings import SQL_DIR

RAW_TABLES_SQL = SQL_DIR / "store" / "raw_tables.sql"
STAGING_PREFIX = ".staging-"
_SEGMENT_DIR = re.compile(r"file_id=(\d+)")
# Column defaults of raw_tables.sql that the loaders may leave out (DuckDB's `default`).
_DEFAULTS: dict[tuple[str, str], object] = {("raw_badge_awards", "revoked"): False}


def segments_root(store_path: Path) -> Path:
    """The folder holding a store's segments (``store.duckdb`` -> ``store-raw/``)."""
    return store_path.with_name(f"{store_path.stem}-raw")


@dataclass(frozen=True)
class RawTable:
    """A raw table's declared columns (without ``file_id``, which the folder name carries)."""

    schema: pl.Schema
    required: tuple[str, ...]
    """The ``not null`` columns: a null there is a loader bug, as it was for DuckDB."""


@functools.cache
def raw_tables() -> dict[str, RawTable]:
    """Raw table name -> its declaration in ``raw_tables.sql``."""
    con = duckdb.connect()
    try:
        con.execute(RAW_TABLES_SQL.read_text(encoding="utf-8"))
        names = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
        required = con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where not is_nullable and column_name <> 'file_id' order by column_index"
        ).fetchall()
        return {
            name: RawTable(
                con.sql(f"select * exclude (file_id) from {name}").pl().schema,
                tuple(column for table, column in required if table == name),
            )
            for name in names
        }
    finally:
        con.close()


def conform(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The loader's rows with exactly the raw table's columns, in order and cast to its types.

    Raises:
        ValueError: for an unknown table, a column the table does not have, or a null where
            the table needs a value (each a loader bug).
    """
    declared = raw_tables().get(table)
    if declared is None:
        raise ValueError(f"loader produced rows for unknown table {table!r}")
    schema = declared.schema
    unknown = [c for c in frame.columns if c not in schema]
    if unknown:
        raise ValueError(f"loader produced columns {unknown} that {table} does not have")
    rows = frame.select(
        pl.col(name).cast(dtype)
        if name in frame.columns
        else pl.lit(_DEFAULTS.get((table, name)), dtype=dtype).alias(name)
        for name, dtype in schema.items()
    )
    missing = [name for name in declared.required if rows[name].null_count()]
    if missing:
        raise ValueError(f"loader left {', '.join(missing)} empty in {table}, which needs them")
    return rows


def write(folder: Path, table: str, frame: pl.DataFrame) -> None:
    """Write one table's rows of a file into ``folder`` (no segment when there are none)."""
    rows = conform(table, frame)
    if rows.height:
        rows.write_parquet(folder / f"{table}.parquet", compression="lz4")


def stage(root: Path, tables: Mapping[str, pl.DataFrame]) -> Path:
    """Write a file's rows into a new staging folder under ``root`` and return the folder.

    Tables without rows get no segment. The folder is not read by anything until
    :func:`commit` moves it into place.
    """
    root.mkdir(parents=True, exist_ok=True)
    # A plain mkdir (not mkdtemp's private 0700) so the rows get the store's usual permissions.
    folder = root / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex}"
    folder.mkdir()
    try:
        for table, frame in tables.items():
            write(folder, table, frame)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def folder_of(root: Path, file_id: int) -> Path:
    """Where the rows of the store's file ``file_id`` live."""
    return root / f"file_id={file_id}"


def commit(staged: Path, root: Path, file_id: int) -> Path:
    """Move a staged folder to the file's place (call before the file's record commits)."""
    target = folder_of(root, file_id)
    # A folder left here by a killed run under a reused id holds rows nothing recorded.
    shutil.rmtree(target, ignore_errors=True)
    os.replace(staged, target)
    return target


def discard(folder: Path | None) -> None:
    """Delete a staged or committed folder (and its rows); a stray file there goes too."""
    if folder is None:
        return
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
    else:
        folder.unlink(missing_ok=True)


def prune(root: Path, keep: Iterable[int]) -> list[Path]:
    """Delete every folder under ``root`` that is not the segment of a file in ``keep``."""
    if not root.is_dir():
        return []
    wanted = set(keep)
    removed = []
    for entry in root.iterdir():
        match = _SEGMENT_DIR.fullmatch(entry.name)
        if match is None or int(match.group(1)) not in wanted:
            discard(entry)
            removed.append(entry)
    return removed


def attach_raw(
    con: duckdb.DuckDBPyConnection, root: Path, file_ids: Iterable[int], name: str = "raw"
) -> None:
    """Attach an in-memory database ``name`` with one view per raw table over the given files.

    A table none of the files has rows for is an empty table with the declared columns, so the
    build's SQL reads ``raw.raw_roster`` the same way whether or not a roster was ever loaded.
    ``raw.loaded_files`` lists the files themselves (``file_id``), for the build's file list.
    """
    if not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(f"bad database name {name!r}")
    ids = sorted(set(file_ids))
    con.execute(f"attach ':memory:' as {name}")
    cursor = con.cursor()
    try:
        cursor.execute(f"use {name}")
        cursor.execute("create table loaded_files as select unnest(?::bigint[]) as file_id", [ids])
        cursor.execute(RAW_TABLES_SQL.read_text(encoding="utf-8"))
        for table in raw_tables():
            paths = [
                str(path)
                for path in (folder_of(root, i) / f"{table}.parquet" for i in ids)
                if path.is_file()
            ]
            if not paths:
                continue
            cursor.execute(f"drop table {table}")
            # A view's text cannot hold parameters: the paths (made here from root and file
            # ids) are quoted as literals.
            listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
            cursor.execute(
                f"create view {table} as select file_id, * exclude (file_id) "
                f"from read_parquet([{listed}], hive_partitioning = true, "
                "hive_types = {'file_id': bigint})"
            )
    finally:
        cursor.close()
