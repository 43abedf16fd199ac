"""Margins worked out on the server from a figure's tick labels (``dashboard.margins``).

The constants: 7 px per character of a label, 14 px of ticks, 16 px a line, 40 px a numeric
label, 28 px an axis title, 145 px a colour bar, 30 degrees of slant, 440 px of upright labels.
"""

from __future__ import annotations

import datetime as dt
import math

import plotly.graph_objects as go
import polars as pl

from dashboard import figures
from dashboard.margins import fit_margins


def test_horizontal_bars_get_a_left_margin_for_their_longest_category() -> None:
    """gap_bars' labels are "team · skill". The longest, "Customer Support · Python" (25
    characters), needs 25 × 7 + 14 = 189 px on the left. The bottom holds numbers and the
    title "people": 16 + 14 + 28 = 58 px. The right keeps the 10 px it was given."""
    frame = pl.DataFrame(
        {
            "team_type": ["department", "department"],
            "team": ["CS", "Eng"],
            "team_label": ["Customer Support", "Eng"],
            "skill_id": ["SK1", "SK2"],
            "skill_name": ["Python", "SQL"],
            "required": [10, 5],
            "holders": [2, 1],
            "target": [0.8, 0.8],
            "coverage": [0.2, 0.2],
            "gap_people": [6, 3],
        }
    )
    margin = figures.gap_bars(frame).layout.margin
    assert (margin.l, margin.b, margin.r, margin.t) == (189, 58, 10, 48)


def test_numeric_left_axis_with_a_title_and_dates_below() -> None:
    """attrition_trend: numbers with the title "leavers (people)" on the left, 40 + 14 + 28 =
    82 px; months ("2025-01", read as dates) below, one line and ticks: 16 + 14 = 30 px."""
    frame = pl.DataFrame(
        {
            "month": [dt.date(2025, 1, 1), dt.date(2025, 2, 1)],
            "team": ["Eng", "Eng"],
            "headcount_start": [10, 10],
            "headcount_end": [10, 9],
            "leavers": [0, 1],
            "voluntary_leavers": [0, 1],
            "regrettable_leavers": [0, 0],
            "suppressed": [False, False],
        }
    )
    fig = figures.attrition_trend(frame, k=1)
    assert fig.layout.xaxis.tickangle is None  # dates: plotly's own choice, nothing slanted
    assert (fig.layout.margin.l, fig.layout.margin.b) == (82, 30)


def test_long_categories_below_are_slanted_and_reach_past_the_right_edge() -> None:
    """Four 30-character labels upright take 4 × (30 × 7 + 10) = 880 px > 440 px, so they are
    slanted 30°. Bottom: sin 30° × 210 + cos 30° × 16 + 14 = 105 + 13.86 + 14 = 132.86 → 133.
    The last label starts at its tick and runs right: cos 30° × 210 = 181.87 → 182."""
    labels = [f"{i} " + "x" * 28 for i in range(4)]
    fig = fit_margins(go.Figure(go.Bar(x=labels, y=[1, 2, 3, 4])))
    assert fig.layout.xaxis.tickangle == 30
    assert math.isclose(math.sin(math.radians(30)) * 210, 105)
    assert (fig.layout.margin.b, fig.layout.margin.r) == (133, 182)
    # the left holds numbers without a title: 40 + 14
    assert fig.layout.margin.l == 54


def test_short_categories_below_stay_upright() -> None:
    """Two labels, "email" and "hashed_email": 5 × 7 + 10 + 12 × 7 + 10 = 139 px ≤ 440: upright,
    bottom 16 + 14 = 30 px, nothing past the right edge (the right stays unset)."""
    fig = fit_margins(go.Figure(go.Bar(x=["email", "hashed_email"], y=[3, 4])))
    assert fig.layout.xaxis.tickangle == 0
    assert (fig.layout.margin.b, fig.layout.margin.r) == (30, None)


def test_heatmap_keeps_its_angle_and_makes_room_for_the_colour_bar() -> None:
    """The heatmap's skills are slanted at -35° (down to the left: nothing past the right edge
    but the colour bar, 145 px). Bottom for "Python" (6 characters, 42 px): sin 35° × 42 +
    cos 35° × 16 + 14 = 24.09 + 13.11 + 14 = 51.20 → 52. Left for "Legal" / "Sales" (5
    characters): 5 × 7 + 14 = 49."""
    cells = pl.DataFrame(
        {
            "team_type": ["department"] * 2,
            "team": ["Sales", "Legal"],
            "team_label": ["Sales", "Legal"],
            "skill_id": ["SK1", "SK1"],
            "skill_name": ["Python", "Python"],
            "required": [7, 6],
            "holders": [4, 6],
            "coverage": [4 / 7, 1.0],
            "target": [0.8, 0.8],
            "gap_people": [2, 0],
            "suppressed": [False, False],
        }
    )
    margin = figures.coverage_heatmap(cells, k=5).layout.margin
    assert (margin.l, margin.r, margin.b) == (49, 145, 52)


def test_margins_are_never_narrowed_and_hidden_axes_take_none() -> None:
    """A margin already wider than the labels need stays; the empty figure (axes hidden) keeps
    the 10 px it was drawn with."""
    fig = go.Figure(go.Bar(y=["a", "b"], x=[1, 2], orientation="h"))
    fig.layout.margin = {"l": 300}
    assert fit_margins(fig).layout.margin.l == 300
    empty = figures.empty_figure()
    assert (empty.layout.margin.l, empty.layout.margin.b) == (10, 10)


def test_a_very_long_label_is_left_to_plotly_beyond_400_px() -> None:
    """A 100-character category needs 100 × 7 + 14 = 714 px on the left, more than a half-width
    chart is wide: 400 px are given and plotly's automargin, which keeps some plot area, does
    the rest. A 50-character one (364 px) gets its estimate."""
    long_fig = go.Figure(go.Bar(y=["x" * 100], x=[1], orientation="h"))
    assert fit_margins(long_fig).layout.margin.l == 400
    fits = go.Figure(go.Bar(y=["x" * 50], x=[1], orientation="h"))
    assert fit_margins(fits).layout.margin.l == 364
