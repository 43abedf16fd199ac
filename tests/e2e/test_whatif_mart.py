"""The ROI what-if against the real training_roi mart (built by the real pipeline).

whatif.recompute_roi rescales the mart's costs and benefit instead of re-running the SQL; these
tests pin it to sql/marts/training_roi.sql: at the mart's own assumptions it gives back the
mart's roi_pct (and interval ends) exactly, and under other assumptions it matches the mart's
formulas evaluated by hand from the mart's own columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from dashboard import whatif
from dashboard.snapshot import Snapshot


@pytest.fixture(scope="module")
def mart(real_warehouse: Path) -> Iterator[pl.DataFrame]:
    snapshot = Snapshot(real_warehouse / "skillboard.duckdb")
    try:
        frame = snapshot.query("select * from training_roi order by program_id")
    finally:
        snapshot.close()
    yield frame.filter(pl.col("roi_pct").is_not_null())


def test_the_mart_has_programmes_with_an_roi(mart: pl.DataFrame) -> None:
    assert mart.height > 0


def test_what_if_at_the_mart_assumptions_gives_the_mart_roi(mart: pl.DataFrame) -> None:
    base = whatif.assumptions(mart)
    out = whatif.recompute_roi(mart, base[whatif.SHARE], base[whatif.RATE])
    for column in ("costs", "benefit", "roi_pct", "roi_pct_low", "roi_pct_high"):
        # the interval ends are null where the mart has no interval (no leavers on a side)
        assert out[column].is_null().to_list() == mart[column].is_null().to_list(), column
        want, got = mart[column].drop_nulls().to_list(), out[column].drop_nulls().to_list()
        assert got == pytest.approx(want, rel=1e-9), column


def test_what_if_matches_the_mart_formulas_by_hand(mart: pl.DataFrame) -> None:
    """SPEC §5 as in the mart: costs = learners × cost_per_learner + learners × learning_hours ×
    rate; benefit = avoided_leavers × share × mean_annual_salary; ROI = (benefit − costs) /
    costs × 100; the interval ends from the rate ratio's ends (roi_pct_low from rate_ratio_high);
    here with share 0.5 and rate 30."""
    out = whatif.recompute_roi(mart, 0.5, 30.0)
    for row, got in zip(mart.iter_rows(named=True), out.iter_rows(named=True), strict=True):
        costs = row["learners"] * row["cost_per_learner"] + (
            row["learners"] * row["learning_hours"] * 30.0
        )
        benefit = row["avoided_leavers"] * 0.5 * row["mean_annual_salary"]
        assert got["costs"] == pytest.approx(costs, rel=1e-9)
        assert got["benefit"] == pytest.approx(benefit, rel=1e-9)
        assert got["roi_pct"] == pytest.approx((benefit - costs) / costs * 100, rel=1e-9)
        for end, ratio in (("roi_pct_low", "rate_ratio_high"), ("roi_pct_high", "rate_ratio_low")):
            if row[ratio] is None:
                assert got[end] is None
                continue
            avoided = row["comparison_rate_per_py"] * (1 - row[ratio]) * row["person_years"]
            end_benefit = avoided * 0.5 * row["mean_annual_salary"]
            assert got[end] == pytest.approx((end_benefit - costs) / costs * 100, rel=1e-9)
