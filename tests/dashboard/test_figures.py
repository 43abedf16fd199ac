"""Figures built from small polars frames: their data, text and suppressed marks."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
import pytest

from dashboard import figures


def _cells() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "team_type": ["department"] * 3,
            "team": ["Eng", "Sales", "Legal"],
            "team_label": ["Eng", "Sales", "Legal"],
            "skill_id": ["SK1", "SK1", "SK1"],
            "skill_name": ["Python"] * 3,
            "required": [7, 6, None],
            "holders": [4, 6, None],
            "coverage": [4 / 7, 1.0, None],
            "target": [0.8, 0.8, 1.0],
            "gap_people": [2, 0, None],
            "suppressed": [False, False, True],
        }
    )


def test_heatmap_sorts_teams_by_gap_and_marks_target_and_suppressed_cells() -> None:
    fig = figures.coverage_heatmap(_cells(), k=5)
    coverage, hidden = fig.data
    assert list(coverage.y) == ["Eng", "Legal", "Sales"]  # Eng has the biggest gap (2)
    assert [row[0] for row in coverage.z] == [57.1, None, 100.0]
    assert coverage.text[0][0] == "57% / 80% ▼"  # below target
    assert coverage.text[2][0] == "100% / 80%"
    assert hidden.text[1][0].replace("<br>", " ") == "fewer than 5"  # never a 0
    assert "fewer than 5 people" in hidden.hovertext[1][0]
    assert hidden.z[1][0] == 1.0 and hidden.z[0][0] is None
    assert list(coverage.customdata[0][0]) == ["department", "Eng", "SK1", "Python"]
    assert "4 holders / 7 required" in coverage.hovertext[0][0]


def test_empty_frame_shows_no_employees_match_instead_of_an_axis() -> None:
    fig = figures.coverage_heatmap(_cells().head(0), k=5)
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == figures.NO_MATCH
    assert fig.layout.xaxis.visible is False


def test_headcount_bars_hide_small_departments_behind_a_label() -> None:
    frame = pl.DataFrame(
        {
            "department": ["Eng", "Sales", "Legal"],
            "headcount": [7, 12, None],
            "suppressed": [False, False, True],
        }
    )
    fig = figures.headcount_bars(frame, k=5, as_of="2026-10-31")
    bars, marks = fig.data
    assert list(bars.y) == ["Legal", "Eng", "Sales"]
    assert list(bars.x) == [None, 7, 12]
    assert list(marks.text) == ["fewer than 5"] and list(marks.y) == ["Legal"]
    assert "2026-10-31" in fig.layout.title.text


def test_gap_bars_carry_the_drill_down_key() -> None:
    fig = figures.gap_bars(_cells().filter(pl.col("gap_people") > 0))
    (bars,) = fig.data
    assert list(bars.x) == [2]
    assert list(bars.y) == ["Eng · Python"]
    assert list(bars.customdata[0])[:3] == ["department", "Eng", "SK1"]


def test_expiring_bars_keep_horizon_order_with_hidden_counts() -> None:
    frame = pl.DataFrame(
        {
            "horizon_days": [30, 60, 90],
            "holdings": [None, None, 6],
            "people": [None, None, 6],
            "suppressed": [True, True, False],
        }
    )
    fig = figures.expiring_bars(frame, k=5)
    bars, marks = fig.data
    assert list(bars.x) == ["≤ 30 days", "≤ 60 days", "≤ 90 days"]
    assert list(bars.y) == [None, None, 6]
    assert list(marks.x) == ["≤ 30 days", "≤ 60 days"]


def test_forest_plot_draws_intervals_on_a_log_axis_and_says_association() -> None:
    frame = pl.DataFrame(
        {
            "team_label": ["All"],
            "rate_ratio": [0.5],
            "rate_ratio_low": [0.2],
            "rate_ratio_high": [1.5],
            "hazard_ratio": [0.6],
            "hazard_ratio_low": [0.3],
            "hazard_ratio_high": [1.2],
            "suppressed": [False],
        }
    )
    fig = figures.forest_plot(frame, k=5)
    rate, hazard = fig.data
    assert list(rate.x) == [0.5]
    assert list(rate.error_x.array) == [pytest.approx(1.0)]
    assert list(rate.error_x.arrayminus) == [pytest.approx(0.3)]
    assert list(hazard.x) == [0.6]
    assert fig.layout.xaxis.type == "log"
    assert "Association, not causation" in fig.layout.title.text


def test_km_curves_are_steps_per_exposure_in_percent() -> None:
    frame = pl.DataFrame(
        {
            "exposure": ["badged", "badged", "not_badged"],
            "month_of_tenure": [0, 1, 0],
            "at_risk": [8, 8, 12],
            "leavers": [0, 1, 2],
            "retained_share": [1.0, 0.875, 0.8],
        }
    )
    fig = figures.km_curves(frame)
    assert [t.name for t in fig.data] == ["badged", "not badged"]
    assert list(fig.data[0].y) == [100.0, 87.5]
    assert fig.data[0].line.shape == "hv"


def test_roi_chart_bars_with_interval_and_hidden_programmes() -> None:
    frame = pl.DataFrame(
        {
            "program_name": ["A", "B"],
            "roi_pct": [250.0, None],
            "roi_pct_low": [50.0, None],
            "roi_pct_high": [400.0, None],
            "benefit": [59400.0, None],
            "costs": [17000.0, 2400.0],
            "learners": [10, None],
            "suppressed": [False, True],
        }
    )
    fig = figures.roi_chart(frame, k=5)
    bars, marks = fig.data
    assert list(bars.y) == [250.0]
    assert list(bars.error_y.array) == [150.0] and list(bars.error_y.arrayminus) == [200.0]
    assert [t.replace("<br>", " ") for t in marks.text] == ["fewer than 5"]


def test_attrition_trend_sums_teams_per_month() -> None:
    frame = pl.DataFrame(
        {
            "month": [dt.date(2026, 5, 1), dt.date(2026, 6, 1)] * 2,
            "team": ["A", "A", "B", "B"],
            "headcount_start": [10, 10, 6, 6],
            "headcount_end": [10, 9, 6, 6],
            "leavers": [0, 1, 0, 2],
            "voluntary_leavers": [0, 1, 0, 0],
            "suppressed": [False] * 4,
        }
    )
    fig = figures.attrition_trend(frame, k=5)
    assert list(fig.data[0].x) == ["2026-05", "2026-06"]
    assert list(fig.data[0].y) == [0, 3]


def test_overview_report_copies_the_panels_into_one_page() -> None:
    panel = go.Figure(go.Bar(x=[1], y=["a"], orientation="h"))
    panel.update_layout(title="Headcount")
    fig = figures.overview_report([("Headcount", "15 people")], [panel, panel], "Report")
    assert len(fig.data) == 2
    assert "15 people" in fig.layout.title.text


def test_set_layout_merges_into_what_the_layout_holds_like_update_layout() -> None:
    """The x axis already orders its categories; setting its title (``xaxis_title``) and the
    margin keeps that order, replaces only the margin's named sides and leaves the rest alone:
    exactly what plotly's own update_layout gives, in a fifth of the time."""
    props = {
        "xaxis_title": "people",
        "margin": {"l": 10, "t": 48},
        "showlegend": False,
        "paper_bgcolor": "white",  # a property whose name has an underscore
    }

    def base() -> go.Figure:
        fig = go.Figure(go.Bar(x=["b", "a"], y=[1, 2]))
        fig.update_xaxes(categoryorder="array", categoryarray=["a", "b"])
        fig.update_layout(margin={"r": 30})
        return fig

    fig = figures.set_layout(base(), **props)
    assert fig.layout.xaxis.categoryarray == ("a", "b")
    assert fig.layout.xaxis.title.text == "people"
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.t) == (10, 30, 48)
    assert fig.layout.paper_bgcolor == "white"
    assert fig.to_plotly_json() == base().update_layout(**props).to_plotly_json()


def test_figures_are_drawn_on_the_plotly_white_layout_without_trace_defaults() -> None:
    """The template is plotly_white's layout (white plot, its grid colours) and nothing for the
    ~40 trace types the app never draws."""
    fig = figures.empty_figure("nothing")
    assert fig.layout.template.layout.plot_bgcolor == "white"
    assert fig.layout.template.layout == pio.templates["plotly_white"].layout
    assert fig.layout.template.data == go.layout.template.Data()
