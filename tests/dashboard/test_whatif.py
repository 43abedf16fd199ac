"""The ROI what-if: the SPEC formulas recomputed from the training_roi mart's columns."""

from __future__ import annotations

import polars as pl
import pytest

from dashboard.whatif import assumptions, recompute_roi


def _mart() -> pl.DataFrame:
    """P1: 10 learners × 500 + 10 × 20 h × 60 = 17,000 costs; benefit 3 avoided leavers ×
    0.33 × 60,000 = 59,400; ROI (59,400 − 17,000) / 17,000 = 249.41 %; interval 50 % to 400 %."""
    return pl.DataFrame(
        {
            "program_id": ["P1"],
            "learners": [10],
            "costs": [17000.0],
            "benefit": [59400.0],
            "roi_pct": [249.41176470588235],
            "roi_pct_low": [50.0],
            "roi_pct_high": [400.0],
            "cost_per_learner": [500.0],
            "learning_hours": [20.0],
            "replacement_cost_share": [0.33],
            "loaded_hourly_rate": [60.0],
        }
    )


def test_same_assumptions_give_the_same_roi() -> None:
    out = recompute_roi(_mart(), 0.33, 60.0)
    assert out["roi_pct"][0] == pytest.approx(249.41176, rel=1e-6)
    assert out["costs"][0] == pytest.approx(17000)


def test_higher_replacement_share_scales_the_benefit() -> None:
    """Share 0.5: benefit 59,400 × 0.5 / 0.33 = 90,000; ROI (90,000 − 17,000) / 17,000 =
    429.41 %. Low end: benefit 17,000 × 1.5 = 25,500 → 38,636.36; ROI 127.27 %."""
    out = recompute_roi(_mart(), 0.5, 60.0)
    assert out["benefit"][0] == pytest.approx(90000)
    assert out["roi_pct"][0] == pytest.approx(429.41176, rel=1e-6)
    assert out["roi_pct_low"][0] == pytest.approx((25500 * 0.5 / 0.33 - 17000) / 170)
    assert out["replacement_cost_share"][0] == 0.5


def test_lower_hourly_rate_lowers_the_time_cost_only() -> None:
    """Rate 30: 200 learning hours cost 6,000 instead of 12,000; costs 11,000;
    ROI (59,400 − 11,000) / 11,000 = 440 %."""
    out = recompute_roi(_mart(), 0.33, 30.0)
    assert out["costs"][0] == pytest.approx(11000)
    assert out["roi_pct"][0] == pytest.approx(440.0)


def test_assumptions_read_from_the_mart() -> None:
    assert assumptions(_mart()) == {"replacement_cost_share": 0.33, "loaded_hourly_rate": 60.0}
