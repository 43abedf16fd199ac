"""Attrition, person-time split at the first badge, rate ratios and Kaplan-Meier, by hand.

Every case uses as_of 2025-12-31 and the default 24-month window, so window_start = 2023-12-31
and person-time runs over [2023-12-31, 2025-12-31): 731 days (2024 is a leap year).
One person-year = 365.25 days.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pytest

from tests.sql.conftest import Snapshot, award, person

D = dt.date
SNAP = "2025-12-31"
PY = 365.25


def test_attrition_across_the_window_edge(snapshot: Callable[..., Snapshot]) -> None:
    """Sales: S1..S4 hired 2020, S5 hired 2024-07-01. S1 leaves 2023-12-15 (before the window),
    S2 leaves 2024-01-01 (voluntary), S3 leaves 2025-12-31 (the as-of date, involuntary).

    Window months: Jan 2024 .. Dec 2025 (24). Active on day d = hired by d and not left by d.
      Jan 2024: start (Jan 1) S3, S4 = 2 (S2 leaves that day); end 2; leavers 1 (S2).
      Feb-Jun 2024: 2 / 2.  Jul 2024 - Nov 2025 (17 months): 3 / 3 (S5 hired Jul 1).
      Dec 2025: start 3, end (Dec 31) 2 (S3 leaves that day); leavers 1.
    Average headcount = (6 x 2 + 17 x 3 + 2.5) / 24 = 65.5 / 24 = 2.7291667.
    Annualised attrition = 2 / 2.7291667 x 12 / 24 = 0.3664122; voluntary 1 -> 0.1832061.
    S1's December 2023 leaving lies outside the window and is not counted.
    """
    rows = {
        "raw_roster": [
            person("S1", "Sales", "2020-01-01", SNAP, termination_date="2023-12-15"),
            person(
                "S2",
                "Sales",
                "2020-01-01",
                SNAP,
                termination_date="2024-01-01",
                termination_voluntary=True,
            ),
            person(
                "S3",
                "Sales",
                "2020-01-01",
                SNAP,
                termination_date="2025-12-31",
                termination_voluntary=False,
            ),
            person("S4", "Sales", "2020-01-01", SNAP),
            person("S5", "Sales", "2024-07-01", SNAP),
        ]
    }
    snap = snapshot(rows)
    monthly = {
        r[0]: r[1:]
        for r in snap.rows(
            "select month, headcount_start, headcount_end, leavers, voluntary_leavers "
            "from attrition_monthly where team_type = 'department' and team = 'Sales'"
        )
    }
    assert monthly[D(2024, 1, 1)] == (2, 2, 1, 1)
    assert monthly[D(2024, 6, 1)] == (2, 2, 0, 0)
    assert monthly[D(2024, 7, 1)] == (3, 3, 0, 0)
    assert monthly[D(2025, 12, 1)] == (3, 2, 1, 0)
    assert D(2023, 12, 1) not in monthly
    summary = snap.one(
        "select months, leavers, average_headcount, attrition_rate, voluntary_attrition_rate "
        "from attrition_summary where team_type = 'department' and team = 'Sales'"
    )
    assert summary == (
        24,
        2,
        pytest.approx(65.5 / 24),
        pytest.approx(2 / (65.5 / 24) * 12 / 24),
        pytest.approx(1 / (65.5 / 24) * 12 / 24),
    )
    # Person-time: S2 1 day, S3 731, S4 731, S5 548 (2024-07-01 .. 2025-12-31) = 2011 days.
    exposure = snap.one(
        "select person_years, leavers from retention_exposure "
        "where team_type = 'all' and exposure = 'not_badged'"
    )
    assert exposure == (pytest.approx(2011 / PY), 2)


# Time-varying exposure case. Everyone in Eng, hired 2020-01-01.
#   A: first badge 2024-12-31, stays.    unexposed 366 d, exposed 365 d.
#   B: no badge, leaves 2024-07-01.      unexposed 183 d, leaves unexposed.
#   C: badge 2025-06-30, leaves 2025-09-30.  unexposed 547 d, exposed 92 d, leaves exposed.
#   D: no badge, stays.                  unexposed 731 d.
#   E: badge 2021-05-01 (before window). exposed 731 d.
EXPOSURE_ROWS = {
    "raw_roster": [
        person("A", "Eng", "2020-01-01", SNAP),
        person("B", "Eng", "2020-01-01", SNAP, termination_date="2024-07-01"),
        person("C", "Eng", "2020-01-01", SNAP, termination_date="2025-09-30"),
        person("D", "Eng", "2020-01-01", SNAP),
        person("E", "Eng", "2020-01-01", SNAP),
    ],
    "raw_badge_awards": [
        award("a", "A", "b1", "2024-12-31"),
        award("c", "C", "b1", "2025-06-30"),
        award("e", "E", "b1", "2021-05-01", expires_on="2022-05-01"),
    ],
}
EXPOSED_DAYS = 365 + 92 + 731  # 1188
UNEXPOSED_DAYS = 366 + 183 + 547 + 731  # 1827


def test_person_time_is_split_at_the_first_badge(snapshot: Callable[..., Snapshot]) -> None:
    """Badged: 1188 days = 3.2526 py, 1 leaver (C) -> 30.745 per 100 py.
    Not badged: 1827 days = 5.0021 py, 1 leaver (B) -> 19.992 per 100 py.
    E's badge expired in 2022 but E stays exposed: exposure starts at the first badge ever.
    People: badged A, C, E = 3; not badged A, B, C, D = 4 (A and C are in both)."""
    snap = snapshot(EXPOSURE_ROWS)
    rows = {
        r[0]: r[1:]
        for r in snap.rows(
            "select exposure, people, person_years, leavers, leavers_per_100py "
            "from retention_exposure where team_type = 'department' and team = 'Eng'"
        )
    }
    assert rows["badged"] == (
        3,
        pytest.approx(EXPOSED_DAYS / PY),
        1,
        pytest.approx(100 / (EXPOSED_DAYS / PY)),
    )
    assert rows["not_badged"] == (
        4,
        pytest.approx(UNEXPOSED_DAYS / PY),
        1,
        pytest.approx(100 / (UNEXPOSED_DAYS / PY)),
    )


def test_rate_ratio_interval_and_why_the_naive_split_is_wrong(
    snapshot: Callable[..., Snapshot],
) -> None:
    """Rate ratio = (1 / 3.2526) / (1 / 5.0021) = 1827 / 1188 = 1.5379.
    95% interval: exp(ln 1.5379 +/- 1.96 x sqrt(1/1 + 1/1)) = 1.5379 x exp(+/-2.7719)
    = (0.09627, 24.568).

    Immortal-time bias: a naive split calls A, C, E "holders" for all their time:
    holders 731 + 639 + 731 = 2101 days, 1 leaver -> 17.38 per 100 py; non-holders B, D:
    183 + 731 = 914 days, 1 leaver -> 39.96 per 100 py; naive RR = 914 / 2101 = 0.435, which
    would say badges halve leaving. A's and C's pre-badge time (which they had to survive to
    earn the badge) is what the naive split wrongly credits to the badge.
    """
    snap = snapshot(EXPOSURE_ROWS)
    ratio, low, high = snap.one(
        "select rate_ratio, rate_ratio_low, rate_ratio_high from retention_summary "
        "where team_type = 'all'"
    )
    expected = UNEXPOSED_DAYS / EXPOSED_DAYS
    half = 1.96 * math.sqrt(2)
    assert ratio == pytest.approx(expected)
    assert (low, high) == (
        pytest.approx(expected * math.exp(-half)),
        pytest.approx(expected * math.exp(half)),
    )
    naive = (1 / (2101 / PY)) / (1 / (914 / PY))
    assert naive == pytest.approx(0.435, abs=1e-3)
    assert ratio > 1 > naive


def test_rate_ratio_interval_is_null_without_leavers_on_one_side(
    snapshot: Callable[..., Snapshot],
) -> None:
    """Only B (not badged) leaves: a = 0 badged leavers, so RR = 0 and the interval is null."""
    rows = dict(EXPOSURE_ROWS)
    rows["raw_roster"] = [r for r in EXPOSURE_ROWS["raw_roster"] if r["employee_id"] != "C"]
    snap = snapshot(rows)
    assert snap.one(
        "select rate_ratio, rate_ratio_low, rate_ratio_high, hazard_ratio, hazard_ratio_note "
        "from retention_summary where team_type = 'all'"
    ) == (0.0, None, None, None, "no leavers in badged time")


def test_kaplan_meier_with_censoring(snapshot: Callable[..., Snapshot]) -> None:
    """P1..P4 hired 2024-01-01, P5 hired 2024-10-01; no badges. Tenure month m covers tenure
    days [30.4375 m, 30.4375 (m + 1)); a leaver's month holds their last day worked.
      P1 leaves 2024-02-15: 45 days, last day 44 -> month 1.
      P2 leaves 2024-04-10: 100 days -> month 3.  P3 leaves 2024-04-20: 110 days -> month 3.
      P4 censored at 2025-12-31 (730 days, last month 23); P5 censored at 456 days (month 14).
    month 0: at risk 5, 0 leave -> S = 1.0
    month 1: at risk 5, 1 leaves -> S = 4/5 = 0.8
    month 2: at risk 4 -> 0.8
    month 3: at risk 4, 2 leave -> 0.8 x 2/4 = 0.4
    month 4: at risk 2 -> 0.4 ... month 15: at risk 1 (P5 censored) -> 0.4; after month 23 no
    one is at risk. Rows are written where the risk set changes or someone leaves.
    """
    rows = {
        "raw_roster": [
            person("P1", "Eng", "2024-01-01", SNAP, termination_date="2024-02-15"),
            person("P2", "Eng", "2024-01-01", SNAP, termination_date="2024-04-10"),
            person("P3", "Eng", "2024-01-01", SNAP, termination_date="2024-04-20"),
            person("P4", "Eng", "2024-01-01", SNAP),
            person("P5", "Eng", "2024-10-01", SNAP),
        ]
    }
    snap = snapshot(rows)
    curve = snap.rows(
        "select month_of_tenure, at_risk, leavers, retained_share from retention_curve "
        "where team_type = 'all' and exposure = 'not_badged' order by month_of_tenure"
    )
    assert curve == [
        (0, 5, 0, pytest.approx(1.0)),
        (1, 5, 1, pytest.approx(0.8)),
        (2, 4, 0, pytest.approx(0.8)),
        (3, 4, 2, pytest.approx(0.4)),
        (4, 2, 0, pytest.approx(0.4)),
        (15, 1, 0, pytest.approx(0.4)),
    ]
    assert snap.rows("select count(*) from retention_curve where exposure = 'badged'") == [(0,)]


def test_cox_hazard_ratio_is_fitted_with_enough_leavers(
    snapshot: Callable[..., Snapshot],
) -> None:
    """With leavers in both states the Cox model gives a finite hazard ratio with an interval
    around it; for team types other than all/department it says why there is none."""
    rows = {"raw_roster": [], "raw_badge_awards": []}
    for i in range(40):
        badge = i % 2 == 0
        leaves = i % 4 in (0, 1) and i < 30
        rows["raw_roster"].append(
            person(
                f"R{i}",
                "Eng" if i % 3 else "Ops",
                "2021-01-01",
                SNAP,
                termination_date=f"2025-0{1 + i % 9}-15" if leaves else None,
            )
        )
        if badge:
            rows["raw_badge_awards"].append(award(f"x{i}", f"R{i}", "b", f"2024-0{1 + i % 6}-01"))
    snap = snapshot(rows)
    ratio, low, high, note = snap.one(
        "select hazard_ratio, hazard_ratio_low, hazard_ratio_high, hazard_ratio_note "
        "from retention_summary where team_type = 'all'"
    )
    assert note is None
    assert 0 < low < ratio < high
    assert snap.one(
        "select hazard_ratio, hazard_ratio_note from retention_summary where team_type = 'location'"
    ) == (None, "fitted for all employees and per department only")
