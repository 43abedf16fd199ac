"""k-suppression of small cells and complementary suppression, worked by hand (k = 5)."""

from __future__ import annotations

import polars as pl
import pytest

from dashboard.privacy import check_k, suppress, suppression_label


def _departments(counts: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "department": list(counts),
            "headcount": list(counts.values()),
            "leavers": [1] * len(counts),
        }
    )


def test_group_of_four_is_suppressed_and_group_of_five_is_shown() -> None:
    """k = 5: 4 people < 5 -> hidden (null, flagged, never 0); 5 people -> shown. No total is
    shown, so nothing else needs hiding."""
    out = suppress(
        _departments({"A": 4, "B": 5}),
        people="headcount",
        values=["leavers"],
        k=5,
        total_shown=False,
    )
    assert out.to_dicts() == [
        {
            "department": "A",
            "headcount": None,
            "leavers": None,
            "suppressed": True,
            "suppression_reason": "fewer than k",
        },
        {
            "department": "B",
            "headcount": 5,
            "leavers": 1,
            "suppressed": False,
            "suppression_reason": None,
        },
    ]


def test_next_smallest_sibling_is_suppressed_when_the_total_is_shown() -> None:
    """A = 4, B = 6, C = 9, total 19 shown. Hiding only A leaves 19 - 6 - 9 = 4: A is back.
    So the next-smallest sibling, B (6), is hidden too: 19 - 9 = 10 = A + B, which says
    nothing about A alone."""
    out = suppress(
        _departments({"C": 9, "A": 4, "B": 6}), people="headcount", values=["leavers"], k=5
    )
    shown = dict(zip(out["department"], out["headcount"], strict=True))
    assert shown == {"C": 9, "A": None, "B": None}
    assert out["suppression_reason"].to_list() == [None, "fewer than k", "complementary"]
    total = 19
    visible = sum(v for v in shown.values() if v is not None)
    hidden_cells = sum(1 for v in shown.values() if v is None)
    assert total - visible == 10 and hidden_cells == 2  # a sum of two cells, not A's value


def test_two_small_cells_protect_each_other() -> None:
    """A = 3 and B = 4 are both under k: their sum (7) is all a subtraction reveals, so no
    complementary cell is needed and C (12) stays visible."""
    out = suppress(
        _departments({"A": 3, "B": 4, "C": 12}), people="headcount", values=["leavers"], k=5
    )
    assert out["suppressed"].to_list() == [True, True, False]


def test_complementary_suppression_stays_inside_each_parent() -> None:
    """Two departments, each with skill cells under its own total: in Eng, PY (2 people) is
    hidden and SQL (7) is its next-smallest sibling; Ops has nothing small."""
    frame = pl.DataFrame(
        {
            "department": ["Eng", "Eng", "Eng", "Ops", "Ops"],
            "skill": ["PY", "SQL", "GIT", "SAFE", "FIRST"],
            "required": [2, 7, 11, 6, 8],
            "coverage": [0.5, 0.4, 0.9, 1.0, 0.25],
        }
    )
    out = suppress(frame, people="required", values=["coverage"], k=5, siblings_by=["department"])
    assert out["suppressed"].to_list() == [True, True, False, False, False]
    assert out["coverage"].to_list() == [None, None, 0.9, 1.0, 0.25]


def test_k_below_three_is_refused() -> None:
    """The SPEC's floor: k is never below 3."""
    with pytest.raises(ValueError, match="minimum of 3"):
        check_k(2)
    assert suppression_label(5) == "fewer than 5"
