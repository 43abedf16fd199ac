"""Type-2 employee history and terminations from successive roster snapshots, worked by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from etl.run import run_etl
from skillboard.settings import Settings
from tests.conftest import workday_row
from tests.etl.snapshots import query

D = dt.date


def _history(settings: Settings) -> list[tuple[object, ...]]:
    return query(
        settings.snapshot_path,
        "select employee_id, valid_from, valid_to, department, manager_id, "
        "termination_date, termination_reason from employee_history "
        "order by employee_id, valid_from",
    )


def test_moves_and_terminations_become_type2_history(
    tmp_path: Path,
    write_roster: Callable[[Path, Sequence[str]], Path],
    settings_for: Callable[..., Settings],
) -> None:
    """Three quarterly snapshots, four people.

    roster_2026-03-31: E1 (Eng, hired 2020-01-15), E2 (Eng, manager E1, hired 2021-02-01),
                       E3 (Sales, manager E1, hired 2022-03-01), E4 (Sales, hired 2026-01-10)
    roster_2026-06-30: E1 unchanged; E2 moved to Sales (manager E3); E3 listed as a leaver
                       with termination 2026-05-20 (voluntary); E4 unchanged
    roster_2026-09-30: E1 and E2 unchanged; E4 no longer listed, no termination date

    Expected history:
    - E1: one version 2020-01-15 -> open (never changed, still employed).
    - E2: Eng 2021-02-01 -> 2026-06-30 (the change is dated by the first snapshot showing it),
          then Sales 2026-06-30 -> open.
    - E3: one version 2022-03-01 -> 2026-05-20, terminated 2026-05-20 with the roster's reason.
    - E4: one version 2026-01-10 -> 2026-09-30: vanished between 06-30 and 09-30, so the leaving
          date is the later snapshot's date, reason "absent from roster".
    """
    settings = settings_for()
    write_roster(
        settings.inbox / "roster_2026-03-31.csv",
        [
            workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
            workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
            workday_row("E3", "Cy Dao", "Sales", "2022-03-01", manager="E1"),
            workday_row("E4", "Di Fox", "Sales", "2026-01-10", manager="E3"),
        ],
    )
    write_roster(
        settings.inbox / "roster_2026-06-30.csv",
        [
            workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
            workday_row("E2", "Bob Ray", "Sales", "2021-02-01", manager="E3"),
            workday_row(
                "E3",
                "Cy Dao",
                "Sales",
                "2022-03-01",
                manager="E1",
                termination_date="2026-05-20",
                reason="Resigned",
                voluntary="Y",
            ),
            workday_row("E4", "Di Fox", "Sales", "2026-01-10", manager="E3"),
        ],
    )
    write_roster(
        settings.inbox / "roster_2026-09-30.csv",
        [
            workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
            workday_row("E2", "Bob Ray", "Sales", "2021-02-01", manager="E3"),
        ],
    )
    summary = run_etl(settings)
    assert summary.status == "published", summary
    assert _history(settings) == [
        ("E1", D(2020, 1, 15), None, "Eng", None, None, None),
        ("E2", D(2021, 2, 1), D(2026, 6, 30), "Eng", "E1", None, None),
        ("E2", D(2026, 6, 30), None, "Sales", "E3", None, None),
        ("E3", D(2022, 3, 1), D(2026, 5, 20), "Sales", "E1", D(2026, 5, 20), "Resigned"),
        ("E4", D(2026, 1, 10), D(2026, 9, 30), "Sales", "E3", D(2026, 9, 30), "absent from roster"),
    ]
    employees = query(
        settings.snapshot_path,
        "select employee_id, department, active, termination_voluntary, as_of "
        "from employees order by employee_id",
    )
    # as_of defaults to the latest snapshot date, 2026-09-30: only E1 and E2 are active.
    assert employees == [
        ("E1", "Eng", True, None, D(2026, 9, 30)),
        ("E2", "Sales", True, None, D(2026, 9, 30)),
        ("E3", "Sales", False, True, D(2026, 9, 30)),
        ("E4", "Sales", False, None, D(2026, 9, 30)),
    ]


def test_a_version_keeps_the_latest_stated_name_email_and_salary(
    tmp_path: Path,
    write_roster: Callable[[Path, Sequence[str]], Path],
    settings_for: Callable[..., Settings],
) -> None:
    """Name, email and salary are not tracked: a change in them starts no version, and the
    version holds the latest value stated, even when the last snapshot leaves one empty.

    roster_2026-03-31: E1 Ann Lee, ann.lee@example.com, salary 50000
    roster_2026-06-30: E1 Ann Berg, ann.berg@example.com, salary 55000 (same department, team,
                       manager, job, location, cost centre)
    roster_2026-09-30: E1 Ann Berg, salary left empty

    Expected: one version from the hire date, open, named Ann Berg, ann.berg@example.com, with
    the salary 55000 of 2026-06-30 (the latest stated; 2026-09-30 states none).
    """
    settings = settings_for()
    for date, name, salary in (
        ("2026-03-31", "Ann Lee", "50000"),
        ("2026-06-30", "Ann Berg", "55000"),
        ("2026-09-30", "Ann Berg", ""),
    ):
        write_roster(
            settings.inbox / f"roster_{date}.csv",
            [workday_row("E1", name, "Eng", "2020-01-15", salary=salary)],
        )
    summary = run_etl(settings)
    assert summary.status == "published", summary
    rows = query(
        settings.snapshot_path,
        "select version, valid_from, valid_to, full_name, email, annual_salary "
        "from employee_history",
    )
    assert rows == [(1, D(2020, 1, 15), None, "Ann Berg", "ann.berg@example.com", 55000)]
