"""Coverage, coverage index, single points of failure and skill inventory, worked by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.sql.conftest import Snapshot, award, person

D = dt.date
SNAP = "2025-06-30"


def _eng(employee_id: str) -> dict[str, object]:
    return person(employee_id, "Eng", "2020-01-01", SNAP, job_title="Dev", job_family="ENG")


def _ops(employee_id: str) -> dict[str, object]:
    return person(employee_id, "Ops", "2020-01-01", SNAP, job_title="Op", job_family="OPS")


ROWS = {
    "raw_roster": [*(_eng(f"E{i}") for i in range(1, 6)), *(_ops(f"O{i}") for i in range(1, 4))],
    "raw_skills_map": [
        {"badge_class_id": "py1", "skill_id": "PY", "skill_name": "Python", "level": 1},
        {"badge_class_id": "py2", "skill_id": "PY", "skill_name": "Python", "level": 2},
        {"badge_class_id": "sql", "skill_id": "SQL", "skill_name": "SQL"},
        {"badge_class_id": "safe", "skill_id": "SAFE", "skill_name": "Safety"},
    ],
    "raw_role_requirements": [
        {"job_title": "Dev", "skill_id": "PY", "required_level": 2, "target": 0.8, "weight": 2},
        # The family row for the same skill loses to the job-title row above.
        {"job_family": "ENG", "skill_id": "PY", "required_level": 1},
        {"job_family": "ENG", "skill_id": "SQL"},
        {"job_title": "Op", "skill_id": "SAFE", "target": 0.5},
    ],
    "raw_badge_awards": [
        award("a1", "E1", "py2", "2024-01-01"),
        award("a2", "E2", "py2", "2024-01-01"),
        award("a3", "E3", "py1", "2024-01-01"),
        award("a4", "E4", "py2", "2023-01-01", expires_on="2025-06-01"),
        award("s1", "E1", "sql", "2024-01-01"),
        award("s2", "E2", "sql", "2024-01-01"),
        award("s3", "E3", "sql", "2024-01-01"),
        award("s4", "E4", "sql", "2024-01-01"),
        award("f1", "O1", "safe", "2024-01-01"),
    ],
}


@pytest.fixture
def snap(snapshot: Callable[..., Snapshot]) -> Snapshot:
    return snapshot(ROWS)


def _coverage(snap: Snapshot, team_type: str, team: str) -> dict[str, tuple[object, ...]]:
    rows = snap.rows(
        "select skill_id, required, holders, coverage, target, gap_people from team_skill_coverage"
        " where as_of = ? and team_type = ? and team = ?",
        [D(2025, 6, 30), team_type, team],
    )
    return {r[0]: r[1:] for r in rows}


def test_coverage_respects_required_level_and_target(snap: Snapshot) -> None:
    """Eng (E1..E5, all job title Dev in family ENG), as of 2025-06-30.

    PY: the Dev row (level 2, target 0.8, weight 2) beats the ENG family row (level 1).
        required = 5; holders at level >= 2: E1, E2 (E3's py1 is level 1, E4's py2 expired on
        2025-06-01, E5 has none) = 2; coverage = 2/5 = 0.4; gap = ceil(0.8 x 5) - 2 = 2.
    SQL: ENG family row, no level, target 1.0: required 5, holders E1..E4 = 4, coverage 0.8,
        gap = ceil(1.0 x 5) - 4 = 1.
    Ops (O1..O3), SAFE target 0.5: required 3, holders 1 (O1), coverage 1/3,
        gap = ceil(0.5 x 3) - 1 = ceil(1.5) - 1 = 1.
    """
    assert _coverage(snap, "department", "Eng") == {
        "PY": (5, 2, pytest.approx(0.4), pytest.approx(0.8), 2),
        "SQL": (5, 4, pytest.approx(0.8), pytest.approx(1.0), 1),
    }
    assert _coverage(snap, "department", "Ops") == {
        "SAFE": (3, 1, pytest.approx(1 / 3), pytest.approx(0.5), 1),
    }


def test_coverage_index_is_weighted_mean_of_capped_ratios(snap: Snapshot) -> None:
    """Coverage index = sum(w x min(coverage/target, 1)) / sum(w).

    Eng: PY w=2, 0.4/0.8 = 0.5; SQL w=1, 0.8/1.0 = 0.8 -> (2 x 0.5 + 0.8) / 3 = 0.6.
    Ops: SAFE w=1, (1/3)/0.5 = 2/3 -> 2/3; its one holder is a single point of failure.
    All: PY (w 2, 0.5), SQL (w 1, 0.8), SAFE (w 1, 2/3) -> (1 + 0.8 + 2/3) / 4 = 0.616667;
         headcount 8, SAFE held by exactly one person -> 1 single point of failure.
    """
    rows = {
        (r[0], r[1]): r[2:]
        for r in snap.rows(
            "select team_type, team, headcount, required_skills, coverage_index, "
            "single_points_of_failure from team_coverage_index where as_of = ?",
            [D(2025, 6, 30)],
        )
    }
    assert rows[("department", "Eng")] == (5, 2, pytest.approx(0.6), 0)
    assert rows[("department", "Ops")] == (3, 1, pytest.approx(2 / 3), 1)
    assert rows[("all", "all")] == (8, 3, pytest.approx((1 + 0.8 + 2 / 3) / 4), 1)
    assert rows[("job_family", "OPS")] == (3, 1, pytest.approx(2 / 3), 1)


def test_single_point_of_failure_names_the_only_holder(snap: Snapshot) -> None:
    """SAFE in Ops has exactly one holder, O1; it is listed for every team O1 belongs to."""
    rows = snap.rows(
        "select team_type, team, skill_id, employee_id from single_points_of_failure "
        "order by team_type, team"
    )
    assert rows == [
        ("all", "all", "SAFE", "O1"),
        ("department", "Ops", "SAFE", "O1"),
        ("job_family", "OPS", "SAFE", "O1"),
        ("location", "(not set)", "SAFE", "O1"),
    ]


def test_skill_inventory_counts_any_valid_holding(snap: Snapshot) -> None:
    """Inventory ignores requirements and levels: Eng holds PY via E1, E2 (py2) and E3 (py1);
    E4's py2 expired -> 3 of 5 = 0.6. SQL 4 of 5 = 0.8. Ops: SAFE 1 of 3."""
    rows = snap.rows(
        "select team, skill_id, headcount, holders, share from skill_inventory "
        "where as_of = ? and team_type = 'department' order by team, skill_id",
        [D(2025, 6, 30)],
    )
    assert rows == [
        ("Eng", "PY", 5, 3, pytest.approx(0.6)),
        ("Eng", "SQL", 5, 4, pytest.approx(0.8)),
        ("Ops", "SAFE", 3, 1, pytest.approx(1 / 3)),
    ]


def test_coverage_trend_has_a_row_per_month_end(snapshot: Callable[..., Snapshot]) -> None:
    """The same people are also listed on an earlier snapshot, 2025-03-31, so the history has
    the month-ends 2025-03-31, 04-30, 05-31 and the as-of date 2025-06-30.
    Eng PY holders: E1, E2 and E4 until E4's py2 expires on 2025-06-01 -> 3 at each month-end
    through 05-31 (coverage 0.6, gap ceil(4) - 3 = 1), then 2 on 06-30 (coverage 0.4, gap 2).
    """
    earlier = [{**row, "snapshot_date": "2025-03-31"} for row in ROWS["raw_roster"]]
    snap = snapshot({**ROWS, "raw_roster": [*earlier, *ROWS["raw_roster"]]})
    assert snap.rows("select as_of, is_snapshot_date from analysis_dates order by as_of") == [
        (D(2025, 3, 31), False),
        (D(2025, 4, 30), False),
        (D(2025, 5, 31), False),
        (D(2025, 6, 30), True),
    ]
    trend = snap.rows(
        "select as_of, holders, coverage, gap_people from team_skill_coverage "
        "where team_type = 'department' and team = 'Eng' and skill_id = 'PY' order by as_of"
    )
    assert trend == [
        (D(2025, 3, 31), 3, pytest.approx(0.6), 1),
        (D(2025, 4, 30), 3, pytest.approx(0.6), 1),
        (D(2025, 5, 31), 3, pytest.approx(0.6), 1),
        (D(2025, 6, 30), 2, pytest.approx(0.4), 2),
    ]
    index = snap.rows(
        "select as_of, coverage_index from team_coverage_index "
        "where team_type = 'department' and team = 'Eng' order by as_of"
    )
    # Before June: PY 0.6 / 0.8 = 0.75 (w 2), SQL 0.8 (w 1) -> (1.5 + 0.8) / 3 = 0.766667.
    assert index[2] == (D(2025, 5, 31), pytest.approx(2.3 / 3))
    assert index[3] == (D(2025, 6, 30), pytest.approx(0.6))
    # Inventory counts any level: E1, E2, E3 (py1) and E4 -> 4 of 5 through 05-31, then 3.
    inventory = snap.rows(
        "select as_of, holders, share from skill_inventory "
        "where team_type = 'department' and team = 'Eng' and skill_id = 'PY' order by as_of"
    )
    assert inventory == [
        (D(2025, 3, 31), 4, pytest.approx(0.8)),
        (D(2025, 4, 30), 4, pytest.approx(0.8)),
        (D(2025, 5, 31), 4, pytest.approx(0.8)),
        (D(2025, 6, 30), 3, pytest.approx(0.6)),
    ]


def test_as_of_in_the_past_sees_the_expired_badge_as_valid(
    snapshot: Callable[..., Snapshot],
) -> None:
    """As of 2025-05-31, E4's py2 (expires 2025-06-01) is still valid: PY holders in Eng are
    E1, E2, E4 = 3, coverage 3/5 = 0.6, gap = ceil(0.8 x 5) - 3 = 1."""
    snap = snapshot(ROWS, as_of=D(2025, 5, 31))
    assert _coverage_at(snap, D(2025, 5, 31))["PY"] == (5, 3, pytest.approx(0.6), 1)


def _coverage_at(snap: Snapshot, as_of: dt.date) -> dict[str, tuple[object, ...]]:
    rows = snap.rows(
        "select skill_id, required, holders, coverage, gap_people from team_skill_coverage"
        " where as_of = ? and team_type = 'department' and team = 'Eng'",
        [as_of],
    )
    return {r[0]: r[1:] for r in rows}


def test_targets_are_summed_exactly_so_a_met_target_counts(
    snapshot: Callable[..., Snapshot],
) -> None:
    """30 analysts need SQL at target 0.1; 3 of them hold it.

    required = 30, holders = 3, coverage = 3/30 = 0.1, and the target is 30 x 0.1 = 3 people:
    gap_people = ceil(3) - 3 = 0, and the skill meets its target (coverage >= target). Summed
    as doubles, thirty 0.1s make 3.0000000000000013, a target a hair above 0.1 that the
    coverage would miss. The same holds in the manager's org of the analysts' boss (B).
    """
    analysts = [
        person(f"A{i}", "Data", "2020-01-01", SNAP, job_title="Analyst", manager_id="B")
        for i in range(1, 31)
    ]
    rows = {
        "raw_roster": [*analysts, person("B", "Data", "2020-01-01", SNAP, job_title="Boss")],
        "raw_skills_map": [{"badge_class_id": "sql", "skill_id": "SQL", "skill_name": "SQL"}],
        "raw_role_requirements": [{"job_title": "Analyst", "skill_id": "SQL", "target": 0.1}],
        "raw_badge_awards": [award(f"s{i}", f"A{i}", "sql", "2024-01-01") for i in (1, 2, 3)],
    }
    snap = snapshot(rows)
    for team_type, team in (("department", "Data"), ("manager_org", "B")):
        required, holders, gap, target_people = snap.one(
            "select required, holders, gap_people, target * required from team_skill_coverage "
            "where as_of = ? and team_type = ? and team = ? and skill_id = 'SQL'",
            [D(2025, 6, 30), team_type, team],
        )
        assert (required, holders, gap) == (30, 3, 0)
        assert target_people == pytest.approx(3.0, abs=1e-12)
        assert snap.one(
            "select skills_meeting_target from team_coverage_index "
            "where as_of = ? and team_type = ? and team = ?",
            [D(2025, 6, 30), team_type, team],
        ) == (1,)
