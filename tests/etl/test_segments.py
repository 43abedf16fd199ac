"""Raw rows as Parquet segments: conforming, staging, pruning, the views and older stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import polars as pl
import pytest

from etl import segments
from etl.run import run_etl
from etl.store import Store, attach_read_only
from skillboard.settings import SQL_DIR, Settings
from tests.conftest import workday_row

Writer = Callable[[Path, Sequence[str]], Path]


def _award(award_id: str, **extra: object) -> dict[str, object]:
    return {"row_number": 1, "award_id": award_id, "source_format": "ob2", **extra}


def test_conform_orders_casts_and_fills_the_declared_columns() -> None:
    """An award frame with award_id, source_format, row_number (Int32) and issued_on comes out
    with all 20 declared columns in raw_tables.sql's order: row_number as Int64, `revoked`
    False (its declared default), every other missing column null."""
    frame = pl.DataFrame(
        {
            "source_format": ["ob3"],
            "award_id": ["a1"],
            "row_number": pl.Series([7], dtype=pl.Int32),
            "issued_on": [dt.date(2025, 3, 1)],
        }
    )
    rows = segments.conform("raw_badge_awards", frame)
    assert rows.columns == list(segments.raw_tables()["raw_badge_awards"].schema)
    assert len(rows.columns) == 20
    assert rows.schema["row_number"] == pl.Int64
    record = rows.row(0, named=True)
    assert (record["row_number"], record["award_id"], record["source_format"]) == (7, "a1", "ob3")
    assert record["issued_on"] == dt.date(2025, 3, 1)
    assert record["revoked"] is False
    assert record["badge_name"] is None and record["expires_on"] is None


@pytest.mark.parametrize(
    ("table", "frame", "message"),
    [
        ("raw_badges", pl.DataFrame({"row_number": [1]}), "unknown table 'raw_badges'"),
        (
            "raw_badge_awards",
            pl.DataFrame([_award("a1", colour="red")]),
            r"columns \['colour'\] that raw_badge_awards does not have",
        ),
        (
            "raw_badge_awards",
            pl.DataFrame([_award("a1"), {"row_number": 2, "award_id": None, "source_format": "x"}]),
            "left award_id empty in raw_badge_awards",
        ),
    ],
)
def test_conform_refuses_what_the_table_cannot_hold(
    table: str, frame: pl.DataFrame, message: str
) -> None:
    """An unknown table, an undeclared column and a null in a `not null` column (award_id) are
    loader bugs: each raises, naming the table and column."""
    with pytest.raises(ValueError, match=message):
        segments.conform(table, frame)


def test_views_read_only_the_given_files_and_empty_tables_keep_their_columns(
    tmp_path: Path,
) -> None:
    """Files 1 and 2 each stage one award (a1, a2), file 3 stages a1-again. Viewing files 1 and
    2: raw_badge_awards has a1 (file_id 1) and a2 (file_id 2) and not file 3's row;
    raw_roster, for which no file has rows, is an empty table with its 20 declared columns
    (file_id first)."""
    root = tmp_path / "store-raw"
    for file_id, award in ((1, "a1"), (2, "a2"), (3, "a1-again")):
        staged = segments.stage(root, {"raw_badge_awards": pl.DataFrame([_award(award)])})
        segments.commit(staged, root, file_id)
    con = duckdb.connect()
    segments.attach_raw(con, root, [2, 1])
    awards = con.execute("select file_id, award_id from raw.raw_badge_awards order by 1").fetchall()
    assert awards == [(1, "a1"), (2, "a2")]
    roster = con.execute("select * from raw.raw_roster")
    assert roster.fetchall() == []
    names = [d[0] for d in roster.description]
    assert names[0] == "file_id" and len(names) == 20


def test_open_prunes_every_folder_no_current_loaded_file_owns(tmp_path: Path) -> None:
    """The store records file 1 loaded, file 2 loaded but superseded by 3, file 3 loaded and
    file 4 rejected. Folders exist for 1, 2, 4, 9 (unknown), an abandoned staging folder and a
    stray file. Opening the store keeps file_id=1 only (3 has no folder: it had no rows)."""
    store_path = tmp_path / "store.duckdb"
    store = Store.open(store_path)
    records = [(1, "a", "loaded", None), (2, "b", "loaded", 3), (3, "b", "loaded", None)]
    records.append((4, "c", "rejected", None))
    for file_id, path, status, superseded in records:
        store.con.execute(
            "insert into files (file_id, path, sha256, run_id, loaded_at, status, superseded_by) "
            "values (?, ?, ?, 1, now(), ?, ?)",
            [file_id, path, f"sha{file_id}", status, superseded],
        )
    store.close()
    root = segments.segments_root(store_path)
    for file_id in (1, 2, 4, 9):
        revocation = pl.DataFrame([{"row_number": 1, "award_id": f"x{file_id}"}])
        segments.commit(segments.stage(root, {"raw_revocations": revocation}), root, file_id)
    abandoned = segments.stage(root, {})
    (root / "notes.txt").write_text("left here by hand")

    Store.open(store_path).close()

    assert sorted(p.name for p in root.iterdir()) == ["file_id=1"]
    assert not abandoned.exists()


def test_a_store_from_before_segments_moves_its_rows_out_and_builds_the_same(
    tmp_path: Path,
) -> None:
    """A store written by the previous version kept rows in DuckDB tables: file 1 has two
    roster rows (E1 Eng, E2 Sales), file 2 one revocation. Opening it writes them as segments
    file_id=1/raw_roster.parquet and file_id=2/raw_revocations.parquet, drops the tables, and
    the views return the same three rows."""
    store_path = tmp_path / "store.duckdb"
    con = duckdb.connect(str(store_path))
    con.execute((SQL_DIR / "store" / "schema.sql").read_text(encoding="utf-8"))
    con.execute((SQL_DIR / "store" / "raw_tables.sql").read_text(encoding="utf-8"))
    for file_id in (1, 2):
        con.execute(
            "insert into files (file_id, path, sha256, run_id, loaded_at, status) "
            "values (?, ?, ?, 1, now(), 'loaded')",
            [file_id, f"f{file_id}", f"sha{file_id}"],
        )
    con.execute(
        "insert into raw_roster (file_id, row_number, snapshot_date, employee_id, department, "
        "hire_date) values (1, 1, date '2026-06-30', 'E1', 'Eng', date '2020-01-01'), "
        "(1, 2, date '2026-06-30', 'E2', 'Sales', date '2021-05-01')"
    )
    con.execute(
        "insert into raw_revocations (file_id, row_number, award_id, reason) "
        "values (2, 1, 'a9', 'issued in error')"
    )
    con.close()

    Store.open(store_path).close()

    root = segments.segments_root(store_path)
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*.parquet")) == [
        "file_id=1/raw_roster.parquet",
        "file_id=2/raw_revocations.parquet",
    ]
    check = duckdb.connect()
    try:
        attach_read_only(check, store_path)
        left = check.execute("select count(*) from duckdb_tables() where database_name = 'store'")
        assert left.fetchall() == [(3,)]  # etl_runs, files, quarantine
        roster = "select file_id, employee_id, department from raw.raw_roster order by 2"
        assert check.execute(roster).fetchall() == [(1, "E1", "Eng"), (1, "E2", "Sales")]
        revoked = "select file_id, award_id, reason from raw.raw_revocations"
        assert check.execute(revoked).fetchall() == [(2, "a9", "issued in error")]
    finally:
        check.close()


def test_a_new_version_of_a_file_replaces_its_segment(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """roster_2026-06-30.csv is loaded with 1 row (file 1), then rewritten with 2 rows (file 2):
    the store's folders are file_id=2 only, and it holds the 2 new rows."""
    settings = settings_for()
    path = settings.inbox / "roster_2026-06-30.csv"
    write_roster(path, [workday_row("E1", "Ann One", "Eng", "2020-01-01")])
    assert run_etl(settings).status == "published"
    write_roster(
        path,
        [
            workday_row("E1", "Ann One", "Eng", "2020-01-01"),
            workday_row("E2", "Bo Two", "Sales", "2021-01-01"),
        ],
    )
    assert run_etl(settings).status == "published"
    root = segments.segments_root(settings.store_path)
    assert sorted(p.name for p in root.iterdir()) == ["file_id=2"]
    rows = pl.read_parquet(root / "file_id=2" / "raw_roster.parquet")
    assert rows["employee_id"].to_list() == ["E1", "E2"]
