"""Cross-checks on a generated data set run through the whole pipeline (loaders + build)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from etl.generate import generate
from etl.run import run_etl
from skillboard.settings import load_settings

PY = 365.25


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("generated")
    generate(base / "inbox", employees=300, seed=11)
    settings = load_settings(None, inbox=base / "inbox", warehouse=base / "warehouse")
    summary = run_etl(settings)
    assert summary.status == "published", summary.error
    return settings.snapshot_path


def _days(start: dt.date, end: dt.date) -> int:
    return max((end - start).days, 0)


def test_person_years_by_exposure_add_up_to_total_person_time(warehouse: Path) -> None:
    """Independently of the segment SQL: for every employee, window person-time is
    min(termination, as_of) - max(hire, window_start) days; the badged part starts at the first
    valid award's valid_from. The mart's badged + not-badged person-years must equal the total,
    badged alone must equal the Python badged sum, and leavers must equal the employees whose
    termination falls in (window_start, as_of]."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        params = con.execute("select as_of, window_start from stg_params").fetchall()
        as_of, window_start = params[0]
        people = con.execute(
            "select employee_id, hire_date, termination_date from employees"
        ).fetchall()
        first_badge: dict[str, dt.date] = {}
        for employee_id, valid_from in con.execute(
            "select employee_id, valid_from from badge_awards "
            "where employee_id is not null and ever_valid and valid_from <= ?",
            [as_of],
        ).fetchall():
            if employee_id not in first_badge or valid_from < first_badge[employee_id]:
                first_badge[employee_id] = valid_from
        mart = dict(
            con.execute(
                "select exposure, person_years from retention_exposure where team_type = 'all'"
            ).fetchall()
        )
        mart_leavers = con.execute(
            "select sum(leavers) from retention_exposure where team_type = 'all'"
        ).fetchall()[0][0]
        by_department = con.execute(
            "select sum(person_years) from retention_exposure where team_type = 'department'"
        ).fetchall()[0][0]
    finally:
        con.close()

    total_days = 0
    badged_days = 0
    leavers = 0
    per_person: dict[str, int] = defaultdict(int)
    for employee_id, hire, termination in people:
        start = max(hire, window_start)
        end = min(termination, as_of) if termination else as_of
        total_days += _days(start, end)
        per_person[employee_id] += _days(start, end)
        if employee_id in first_badge:
            badged_days += _days(max(start, first_badge[employee_id]), end)
        if termination and window_start < termination <= as_of:
            leavers += 1

    assert total_days > 100 * 365  # a real data set, not an empty one
    assert mart["badged"] + mart["not_badged"] == pytest.approx(total_days / PY)
    assert mart["badged"] == pytest.approx(badged_days / PY)
    assert by_department == pytest.approx(total_days / PY)
    assert mart_leavers == leavers


def test_every_award_is_kept_and_matched_or_listed(warehouse: Path) -> None:
    """No award is dropped: badge_awards = matched + unmatched_awards, and each unmatched one
    says which identity failed."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        total, matched = con.execute(
            "select count(*), count(employee_id) from badge_awards"
        ).fetchall()[0]
        unmatched = con.execute(
            "select count(*), count(identity_type) from unmatched_awards"
        ).fetchall()[0]
    finally:
        con.close()
    assert total == matched + unmatched[0]
    assert unmatched[0] == unmatched[1]


def test_interval_counts_agree_with_person_level_counts_on_the_as_of_date(
    warehouse: Path,
) -> None:
    """Coverage and inventory for departments are counted from intervals (+1/-1 events); on
    the as-of date they must equal the person-level tables (requirement_people,
    skill_holdings_on_as_of, people_on_as_of) aggregated directly."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        mismatches = con.execute(
            """
            with person_level as (
                select department as team, skill_id, count(*) as required,
                    count(*) filter (where holds) as holders
                from requirement_people group by all
            ),
            marts as (
                select team, skill_id, required, holders from team_skill_coverage
                where team_type = 'department' and as_of = (select as_of from stg_params)
            )
            select count(*) from person_level full join marts using (team, skill_id)
            where person_level.required is distinct from marts.required
               or person_level.holders is distinct from marts.holders
            """
        ).fetchall()[0][0]
        inventory_mismatches = con.execute(
            """
            with person_level as (
                select department as team, skill_id, count(*) as holders
                from skill_holdings_on_as_of group by all
            ),
            marts as (
                select team, skill_id, holders from skill_inventory
                where team_type = 'department' and as_of = (select as_of from stg_params)
            )
            select count(*) from person_level full join marts using (team, skill_id)
            where person_level.holders is distinct from marts.holders
            """
        ).fetchall()[0][0]
        headcount_mismatches = con.execute(
            """
            with person_level as (
                select department as team, count(*) as headcount from people_on_as_of group by all
            ),
            marts as (
                select team, headcount from team_headcounts
                where team_type = 'department' and as_of = (select as_of from stg_params)
            )
            select count(*) from person_level full join marts using (team)
            where person_level.headcount is distinct from marts.headcount
            """
        ).fetchall()[0][0]
        rows = con.execute("select count(*) from requirement_people").fetchall()[0][0]
    finally:
        con.close()
    assert rows > 100
    assert (mismatches, inventory_mismatches, headcount_mismatches) == (0, 0, 0)
