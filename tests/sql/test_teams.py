"""Manager orgs (recursive, history-aware) and the team a leaver is counted in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.sql.conftest import Snapshot, person

D = dt.date


def _org_rows(snapshot_date: str, w2_manager: str) -> list[dict[str, object]]:
    def p(employee_id: str, manager: str | None) -> dict[str, object]:
        return person(
            employee_id,
            "Eng",
            "2020-01-01",
            snapshot_date,
            manager_id=manager,
            full_name=f"Boss {employee_id}",
        )

    return [
        p("M1", None),
        p("M2", "M1"),
        p("M3", "M1"),
        p("W1", "M2"),
        p("W2", w2_manager),
        p("W3", "M3"),
        p("X1", "W1"),
    ]


ORG = {"raw_roster": _org_rows("2025-03-31", "M2") + _org_rows("2025-06-30", "M3")}


def _org_headcounts(snap: Snapshot, as_of: dt.date) -> dict[str, tuple[object, ...]]:
    rows = snap.rows(
        "select team, team_label, headcount from team_coverage_index "
        "where team_type = 'manager_org' and as_of = ?",
        [as_of],
    )
    return {r[0]: r[1:] for r in rows}


def test_manager_org_is_recursive_three_levels_deep(snapshot: Callable[..., Snapshot]) -> None:
    """M1 -> {M2, M3}; M2 -> {W1, W2}; M3 -> {W3}; W1 -> {X1}. On 2025-06-30 W2 moves to M3.

    As of 2025-06-30: M1's org = M1, M2, M3, W1, W2, W3, X1 = 7 (X1 is three levels down);
    M2's org = M2, W1, X1 = 3 (W2 has left it); M3's org = M3, W2, W3 = 3; W1's = W1, X1 = 2.
    The label is the manager's full name.
    """
    snap = snapshot(ORG)
    assert _org_headcounts(snap, D(2025, 6, 30)) == {
        "M1": ("Boss M1", 7),
        "M2": ("Boss M2", 3),
        "M3": ("Boss M3", 3),
        "W1": ("Boss W1", 2),
    }


def test_manager_org_as_of_before_the_move_is_the_old_org(
    snapshot: Callable[..., Snapshot],
) -> None:
    """As of 2025-05-31 the move (dated by the 2025-06-30 snapshot) has not happened:
    M2's org = M2, W1, W2, X1 = 4 and M3's = M3, W3 = 2."""
    snap = snapshot(ORG, as_of=D(2025, 5, 31))
    counts = _org_headcounts(snap, D(2025, 5, 31))
    assert counts["M2"] == ("Boss M2", 4)
    assert counts["M3"] == ("Boss M3", 2)
    assert counts["M1"] == ("Boss M1", 7)


def test_manager_org_membership_is_kept_as_intervals(snapshot: Callable[..., Snapshot]) -> None:
    """W2 is in M2's org from hire (2020-01-01) to the move (2025-06-30), then in M3's; in M1's
    org throughout (both lines run through M1, one interval each)."""
    snap = snapshot(ORG)
    rows = snap.rows(
        "select org_manager_id, valid_from, valid_to from manager_org_members "
        "where employee_id = 'W2' order by org_manager_id, valid_from"
    )
    assert rows == [
        ("M1", D(2020, 1, 1), D(2025, 6, 30)),
        ("M1", D(2025, 6, 30), None),
        ("M2", D(2020, 1, 1), D(2025, 6, 30)),
        ("M3", D(2025, 6, 30), None),
    ]


def test_manager_cycle_in_bad_data_terminates(snapshot: Callable[..., Snapshot]) -> None:
    """A reports to B and B to A: each is in the other's org, never their own ancestor, and the
    build finishes. Both orgs = {A, B} = 2 people."""
    rows = {
        "raw_roster": [
            person("A", "Eng", "2020-01-01", "2025-06-30", manager_id="B"),
            person("B", "Eng", "2020-01-01", "2025-06-30", manager_id="A"),
        ]
    }
    snap = snapshot(rows)
    counts = {k: v[1] for k, v in _org_headcounts(snap, D(2025, 6, 30)).items()}
    assert counts == {"A": 2, "B": 2}


def test_leaver_counts_in_the_team_of_the_day_before_leaving(
    snapshot: Callable[..., Snapshot],
) -> None:
    """Q1 is in Sales on the 2024-12-31 snapshot and in Support on 2025-03-31 (the move is dated
    2025-03-31), and leaves on 2025-05-10 (2025-06-30 snapshot). On 2025-05-09 Q1 was in
    Support, so May 2025 has one Support leaver and none in Sales."""
    rows = {
        "raw_roster": [
            person("Q1", "Sales", "2020-01-01", "2024-12-31"),
            person("Q1", "Support", "2020-01-01", "2025-03-31"),
            person("Q1", "Support", "2020-01-01", "2025-06-30", termination_date="2025-05-10"),
            person("K1", "Sales", "2020-01-01", "2024-12-31"),
            person("K1", "Sales", "2020-01-01", "2025-03-31"),
            person("K1", "Sales", "2020-01-01", "2025-06-30"),
        ]
    }
    snap = snapshot(rows)
    leavers = snap.rows(
        "select team, leavers from attrition_monthly where team_type = 'department' "
        "and month = ? order by team",
        [D(2025, 5, 1)],
    )
    assert leavers == [("Sales", 0), ("Support", 1)]
