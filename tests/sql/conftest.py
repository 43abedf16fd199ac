"""Build a snapshot from raw store rows written by hand, and query it.

``snapshot(rows, as_of=...)`` writes the given rows into a fresh store (``files`` records are
created for every file_id used, status 'loaded', not superseded), runs the real build over
``sql/`` and returns a read-only query helper on the snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from etl import segments
from etl.build import build_snapshot
from etl.store import Store

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


class Snapshot:
    """A read-only connection to a built snapshot with small query helpers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con = duckdb.connect(str(path), read_only=True)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of a query."""
        return self.con.execute(sql, list(params)).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
        """The single row of a query."""
        rows = self.rows(sql, params)
        assert len(rows) == 1, rows
        return rows[0]

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts keyed by column name."""
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self.con.close()


def write_store(path: Path, rows: Rows) -> None:
    """Write raw rows (table -> list of column dicts) as a new store at ``path``.

    A row may name its ``file_id`` (default 1); each file's rows of each table become that
    file's segment, as a loader's would.
    """
    store = Store.open(path)
    try:
        by_file: dict[int, dict[str, list[dict[str, Any]]]] = {}
        for table, table_rows in rows.items():
            for index, row in enumerate(table_rows, start=1):
                values = {"row_number": index, **row}
                file_id = int(values.pop("file_id", 1))
                by_file.setdefault(file_id, {}).setdefault(table, []).append(values)
        for file_id, tables in sorted(by_file.items()):
            frames = {
                table: _dates_parsed(table, pl.DataFrame(table_rows, infer_schema_length=None))
                for table, table_rows in tables.items()
            }
            segments.commit(segments.stage(store.segments, frames), store.segments, file_id)
            store.con.execute(
                "insert into files (file_id, path, sha256, run_id, loaded_at, status) "
                "values (?, ?, ?, 1, now(), 'loaded')",
                [file_id, f"file{file_id}", f"sha{file_id}"],
            )
    finally:
        store.close()


def _dates_parsed(table: str, frame: pl.DataFrame) -> pl.DataFrame:
    # Tests write dates as ISO strings; a loader hands over real dates.
    schema = segments.raw_tables()[table].schema
    return frame.with_columns(
        pl.col(name).str.to_date()
        for name, dtype in frame.schema.items()
        if dtype == pl.String and schema.get(name) == pl.Date
    )


@pytest.fixture
def snapshot(tmp_path: Path) -> Iterator[Callable[..., Snapshot]]:
    """Build a snapshot from raw rows; ``as_of`` defaults to the latest roster snapshot."""
    opened: list[Snapshot] = []

    def build(rows: Rows, as_of: dt.date | None = None) -> Snapshot:
        index = len(opened)
        store_path = tmp_path / f"store{index}.duckdb"
        snap_path = tmp_path / f"snap{index}.duckdb"
        write_store(store_path, rows)
        build_snapshot(store_path, snap_path, run_id=1, fingerprint="t", as_of=as_of)
        snap = Snapshot(snap_path)
        opened.append(snap)
        return snap

    yield build
    for snap in opened:
        snap.close()


def person(
    employee_id: str,
    department: str,
    hire_date: str,
    snapshot_date: str,
    **extra: Any,
) -> dict[str, Any]:
    """One raw_roster row (dates as ISO strings)."""
    row: dict[str, Any] = {
        "snapshot_date": snapshot_date,
        "employee_id": employee_id,
        "email": f"{employee_id.lower()}@corp.example.com",
        "full_name": f"Person {employee_id}",
        "department": department,
        "hire_date": hire_date,
    }
    row.update(extra)
    return row


def award(
    award_id: str, employee_id: str | None, badge_class_id: str, issued_on: str, **extra: Any
) -> dict[str, Any]:
    """One raw_badge_awards row matched by explicit employee id unless overridden."""
    row: dict[str, Any] = {
        "award_id": award_id,
        "source_format": "ob2",
        "badge_class_id": badge_class_id,
        "badge_name": badge_class_id,
        "recipient_employee_id": employee_id,
        "issued_on": issued_on,
    }
    row.update(extra)
    return row
