"""Training ROI (Phillips level 5) with a comparison group worked out by hand."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from tests.sql.conftest import Snapshot, award, person

SNAP = "2025-12-31"
PY = 365.25


def _ops(employee_id: str, leaves: str | None = None) -> dict[str, object]:
    # Hired 2021-01-01: tenure band 2-5y from 2023-01-01 to 2026-01-01, i.e. the whole window.
    return person(
        employee_id, "Ops", "2021-01-01", SNAP, termination_date=leaves, annual_salary=60000.0
    )


ROWS = {
    "raw_roster": [
        _ops("L1"),
        _ops("L2"),
        _ops("L3"),
        _ops("L4", leaves="2025-06-30"),
        _ops("C1"),
        _ops("C2", leaves="2024-12-31"),
        _ops("C3", leaves="2025-06-30"),
        _ops("C4", leaves="2024-06-30"),
        _ops("C5", leaves="2025-03-31"),
        _ops("E1"),
        person("X1", "Sales", "2021-01-01", SNAP, termination_date="2024-06-01"),
    ],
    "raw_badge_awards": [
        *(award(f"l{i}", f"L{i}", "lead", "2024-12-31") for i in range(1, 5)),
        award("e1", "E1", "lead", "2023-06-01"),
    ],
    "raw_programs": [
        {
            "program_id": "P",
            "program_name": "Leadership",
            "badge_class_id": "lead",
            "cost_per_learner": 1000.0,
            "learning_hours": 10.0,
        },
    ],
}


def test_roi_against_same_department_and_tenure_band(snapshot: Callable[..., Snapshot]) -> None:
    """Window [2023-12-31, 2025-12-31); everyone in Ops is in tenure band 2-5y throughout.

    Learners L1..L4 earn the programme badge on 2024-12-31 (in the window); L4 leaves
    2025-06-30. Learner time: 3 x 365 + 181 = 1276 days = 3.493498 py, 1 leaver
    -> learner rate 0.286246 per py.
    Comparison (Ops, 2-5y, without the programme): L1..L4 before their badge 4 x 366 = 1464 d,
    C1 731 d, C2 366 d (leaves), C3 547 d (leaves), C4 182 d (leaves), C5 456 d (leaves)
    = 3746 days = 10.255989 py, 4 leavers -> 0.390016 per py; 9 people.
    E1 earned the badge before the window: in neither group. X1 (Sales) is not comparable.
    avoided = (0.390016 - 0.286246) x 3.493498 = 0.362520 leavers.
    replacement cost = 0.33 x 60000 = 19800; benefit = 0.362520 x 19800 = 7177.90.
    costs = 4 x 1000 + 4 x 10 h x 60 = 6400. ROI = (7177.90 - 6400) / 6400 x 100 = 12.155 %.
    RR = 0.286246 / 0.390016 = 0.733932, interval x exp(+/-1.96 sqrt(1/1 + 1/4)).
    """
    snap = snapshot(ROWS)
    roi = snap.dicts("select * from training_roi")[0]
    learner_py = 1276 / PY
    comparison_py = 3746 / PY
    learner_rate = 1 / learner_py
    comparison_rate = 4 / comparison_py
    avoided = (comparison_rate - learner_rate) * learner_py
    benefit = avoided * 0.33 * 60000
    costs = 4 * 1000 + 4 * 10 * 60.0
    ratio = learner_rate / comparison_rate
    half = 1.96 * math.sqrt(1 / 1 + 1 / 4)
    low, high = ratio * math.exp(-half), ratio * math.exp(half)

    def roi_at(rr: float) -> float:
        return (comparison_rate * (1 - rr) * learner_py * 19800 - costs) / costs * 100

    assert avoided == pytest.approx(0.362520, abs=1e-6)
    assert (benefit - costs) / costs * 100 == pytest.approx(12.155, abs=1e-3)
    assert roi["learners"] == 4
    assert roi["person_years"] == pytest.approx(learner_py)
    assert roi["learner_leavers"] == 1
    assert roi["comparison_people"] == 9
    assert roi["comparison_person_years"] == pytest.approx(comparison_py)
    assert roi["comparison_leavers"] == 4
    assert roi["comparison_rate_per_py"] == pytest.approx(comparison_rate)
    assert roi["avoided_leavers"] == pytest.approx(avoided)
    assert roi["costs"] == pytest.approx(6400.0)
    assert roi["benefit"] == pytest.approx(benefit)
    assert roi["roi_pct"] == pytest.approx((benefit - costs) / costs * 100)
    assert roi["rate_ratio"] == pytest.approx(ratio)
    assert (roi["rate_ratio_low"], roi["rate_ratio_high"]) == (
        pytest.approx(low),
        pytest.approx(high),
    )
    assert roi["roi_pct_low"] == pytest.approx(roi_at(high))
    assert roi["roi_pct_high"] == pytest.approx(roi_at(low))
    assert roi["roi_pct_low"] < roi["roi_pct"] < roi["roi_pct_high"]
    assert (roi["replacement_cost_share"], roi["loaded_hourly_rate"]) == (0.33, 60.0)


def test_roi_reads_assumptions_file(snapshot: Callable[..., Snapshot]) -> None:
    """With replacement_cost_share 0.5 and loaded_hourly_rate 100: costs = 4000 + 4 x 10 x 100
    = 8000; benefit = avoided x 0.5 x 60000."""
    rows = dict(ROWS)
    rows["raw_assumptions"] = [
        {"key": "replacement_cost_share", "value": 0.5},
        {"key": "loaded_hourly_rate", "value": 100.0},
    ]
    snap = snapshot(rows)
    costs, benefit, share = snap.one(
        "select costs, benefit, replacement_cost_share from training_roi"
    )
    assert costs == pytest.approx(8000.0)
    assert benefit == pytest.approx(0.362520 * 30000, abs=0.05)
    assert share == 0.5
