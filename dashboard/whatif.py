"""Training ROI what-if: recompute ROI from the training_roi mart's own columns under other
assumptions, without an ETL run.

The SPEC formulas (§5, Phillips level 5):
    costs   = learners × cost_per_learner + learning_hours × loaded_hourly_rate
    benefit = avoided_leavers × replacement_cost_share × annual salary
    ROI %   = (benefit − costs) / costs × 100
The mart echoes the assumptions it used (``replacement_cost_share``, ``loaded_hourly_rate``), so
each part can be rescaled: the time cost (costs minus the per-learner fees) is linear in the
hourly rate and the benefit is linear in the replacement-cost share. The interval ends move the
same way: at fixed costs ROI is monotone in benefit, so each end's benefit is recovered from
its ROI, rescaled, and turned back into ROI with the new costs.
"""

from __future__ import annotations

import polars as pl

SHARE = "replacement_cost_share"
RATE = "loaded_hourly_rate"


def assumptions(frame: pl.DataFrame) -> dict[str, float]:
    """The assumptions the mart was computed with (first row; the SPEC defaults when absent)."""
    share = float(frame[SHARE][0]) if SHARE in frame.columns and frame.height else 0.33
    rate = float(frame[RATE][0]) if RATE in frame.columns and frame.height else 60.0
    return {SHARE: share, RATE: rate}


def recompute_roi(
    frame: pl.DataFrame, replacement_cost_share: float, loaded_hourly_rate: float
) -> pl.DataFrame:
    """ROI under another replacement-cost share and hourly rate.

    Args:
        frame: training_roi rows: learners, costs, benefit, roi_pct, roi_pct_low, roi_pct_high,
            and the echoed replacement_cost_share, loaded_hourly_rate; cost_per_learner and
            learning_hours when the mart has them.
        replacement_cost_share: the new share of annual salary a leaver costs (e.g. 0.5).
        loaded_hourly_rate: the new loaded cost of one learning hour.

    Returns:
        The frame with costs, benefit, roi_pct, roi_pct_low, roi_pct_high recomputed and the
        new assumptions in their columns.
    """
    if frame.height == 0:
        return frame
    old_share = pl.col(SHARE) if SHARE in frame.columns else pl.lit(0.33)
    old_rate = pl.col(RATE) if RATE in frame.columns else pl.lit(60.0)
    if "cost_per_learner" in frame.columns:
        fees = pl.col("learners") * pl.col("cost_per_learner").fill_null(0.0)
    else:
        fees = pl.lit(0.0)
    if "learning_hours" in frame.columns:
        # hours behind the time cost, recovered from the costs rather than assumed per learner
        hours = (
            pl.when(old_rate > 0)
            .then((pl.col("costs") - fees) / old_rate)
            .otherwise(pl.col("learning_hours") * pl.col("learners"))
        )
    else:
        hours = pl.when(old_rate > 0).then((pl.col("costs") - fees) / old_rate).otherwise(0.0)
    scale = pl.when(old_share > 0).then(replacement_cost_share / old_share).otherwise(None)
    new_costs = fees + hours * loaded_hourly_rate

    def end(column: str) -> pl.Expr:
        benefit = pl.col("costs") * (1 + pl.col(column) / 100)
        return ((benefit * scale - new_costs) / new_costs * 100).alias(column)

    out = (
        frame.with_columns(
            new_costs.alias("_new_costs"),
            (pl.col("benefit") * scale).alias("_new_benefit"),
            *(end(c) for c in ("roi_pct_low", "roi_pct_high") if c in frame.columns),
        )
        .with_columns(
            pl.col("_new_costs").alias("costs"),
            pl.col("_new_benefit").alias("benefit"),
            ((pl.col("_new_benefit") - pl.col("_new_costs")) / pl.col("_new_costs") * 100).alias(
                "roi_pct"
            ),
            pl.lit(replacement_cost_share).alias(SHARE),
            pl.lit(loaded_hourly_rate).alias(RATE),
        )
        .drop("_new_costs", "_new_benefit")
    )
    return out
