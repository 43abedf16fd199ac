"""k-anonymity suppression for aggregates shown on the read side (SPEC §5, Privacy).

Pure functions on polars frames: a cell (row) that aggregates fewer than k people has its
values replaced by null and ``suppressed`` set, never by 0 (a 0 would be a false number). When
the parent total of a group of sibling cells is shown, one suppressed cell could be recovered
by subtracting the visible siblings from the total, so the next-smallest sibling is suppressed
too (complementary suppression). Two or more hidden cells reveal only their sum.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

MIN_K = 3
"""The SPEC never allows k below 3, whatever the configuration says."""

PRIMARY = "fewer than k"
COMPLEMENTARY = "complementary"


def check_k(k: int) -> int:
    """Return k, or raise when it is below the floor of 3.

    Raises:
        ValueError: when k < 3.
    """
    if k < MIN_K:
        raise ValueError(f"k-anonymity threshold {k} is below the minimum of {MIN_K}")
    return k


def suppression_label(k: int) -> str:
    """What the dashboard shows instead of a suppressed number, e.g. "fewer than 5"."""
    return f"fewer than {check_k(k)}"


def suppress(
    frame: pl.DataFrame,
    *,
    people: str,
    values: Sequence[str],
    k: int = 5,
    siblings_by: Sequence[str] = (),
    total_shown: bool = True,
) -> pl.DataFrame:
    """Suppress cells over fewer than k people, and their next-smallest sibling when needed.

    Args:
        frame: one row per cell.
        people: the column counting the distinct people the cell aggregates over (for coverage
            this is ``required``, for a headcount the headcount itself).
        values: the columns to blank in a suppressed cell (``people`` is always blanked).
        k: the threshold (at least 3).
        siblings_by: the columns naming a cell's parent (cells with equal values are siblings
            under one total); empty = all rows are siblings of one total.
        total_shown: whether the parent total is shown beside the cells; when false no
            complementary suppression is needed.

    Returns:
        The frame with ``values`` and ``people`` null where suppressed, plus ``suppressed``
        (bool) and ``suppression_reason`` ("fewer than k", "complementary" or null).
    """
    check_k(k)
    group = list(siblings_by) or ["__all"]
    marked = frame.with_row_index("__row").with_columns(
        pl.lit(1).alias("__all"),
        (pl.col(people).is_null() | (pl.col(people) < k)).alias("__primary"),
    )
    complementary = pl.Series("__row", [], dtype=pl.UInt32)
    if total_shown:
        lonely = (
            marked.group_by(group)
            .agg(pl.col("__primary").sum().alias("__hidden"))
            .filter(pl.col("__hidden") == 1)
            .select(group)
        )
        # The smallest visible sibling is the one whose value would give the hidden cell away
        # with the least information lost when hidden; ties go to the first row.
        complementary = (
            marked.filter(~pl.col("__primary"))
            .join(lonely, on=group, how="inner")
            .sort([people, "__row"])
            .group_by(group, maintain_order=True)
            .first()
            .get_column("__row")
        )
    marked = marked.with_columns(
        pl.col("__row").is_in(complementary.implode()).alias("__complementary")
    )
    hidden = pl.col("__primary") | pl.col("__complementary")
    blanked = [
        pl.when(hidden).then(None).otherwise(pl.col(c)).alias(c)
        for c in dict.fromkeys([*values, people])
    ]
    return (
        marked.with_columns(
            *blanked,
            hidden.alias("suppressed"),
            pl.when(pl.col("__primary"))
            .then(pl.lit(PRIMARY))
            .when(pl.col("__complementary"))
            .then(pl.lit(COMPLEMENTARY))
            .otherwise(None)
            .alias("suppression_reason"),
        )
        .sort("__row")
        .drop("__row", "__all", "__primary", "__complementary")
    )
