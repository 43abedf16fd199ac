"""Helpers the ETL tests share: two small rosters to load, and reading a published snapshot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from skillboard.settings import Settings
from tests.conftest import workday_row

Writer = Callable[[Path, Sequence[str]], Path]

FIRST_ROSTER = (
    workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
    workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
    workday_row("E3", "Cy Dao", "Sales", "2022-03-01", manager="E1"),
)
"""roster_2026-06-30: E1 and E2 in Eng (E2 reports to E1), E3 in Sales (reports to E1)."""

SECOND_ROSTER = (*FIRST_ROSTER, workday_row("E5", "Eve Moe", "Sales", "2026-08-01", manager="E3"))
"""roster_2026-09-30: the same three and E5, hired 2026-08-01 into Sales (reports to E3)."""


def write_two_rosters(settings: Settings, write_roster: Writer, extra: Sequence[str] = ()) -> None:
    """Write roster_2026-06-30.csv and roster_2026-09-30.csv (with ``extra`` lines added to the
    second) into the settings' inbox."""
    write_roster(settings.inbox / "roster_2026-06-30.csv", FIRST_ROSTER)
    write_roster(settings.inbox / "roster_2026-09-30.csv", [*SECOND_ROSTER, *extra])


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Every row of ``sql`` on the DuckDB file at ``path``, opened read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def active_headcount(settings: Settings) -> list[tuple[object, ...]]:
    """(department, active employees) of the published snapshot, by department."""
    return query(
        settings.snapshot_path,
        "select department, count(*) from employees where active group by 1 order by 1",
    )
