"""Pure functions from polars frames to plotly figures: no I/O, no Dash, testable as data.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies) and the
sequential scale is cividis. Every hover text says how its number is computed. Suppressed
values (fewer than k people) are drawn as a grey "fewer than k" mark, never as a zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly.subplots import make_subplots

from dashboard.margins import fit_margins

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, BLACK = OKABE_ITO
GREY = "#BBBBBB"
SEQUENTIAL = "Cividis"
ASSOCIATION = "Association, not causation"
NO_MATCH = "No employees match these filters"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# Every figure of the process starts from plotly_white's layout (plotly's documented way to
# theme an app). Naming the template in each figure's layout instead made plotly.py validate and
# deep-copy the whole template on every figure: about half the server time of a chart callback.
# Its per-trace defaults (4 KB for some 40 trace types, sent with every figure and merged by
# plotly.js) are left out: the app sets the few it uses on its traces.
pio.templates["skillboard"] = go.layout.Template(layout=pio.templates["plotly_white"].layout)
pio.templates.default = "skillboard"


def fewer_than(k: int) -> str:
    """The label of a suppressed value."""
    return f"fewer than {k}"


def _layout(fig: go.Figure, title: str, *, height: int = 360, **axes: object) -> go.Figure:
    set_layout(
        fig,
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 10},
            "font": {"size": 15},
        },
        font={"family": FONT, "size": 12},
        colorway=list(OKABE_ITO),
        height=height,
        # A chart with a legend gets a taller top margin: the legend sits between the title and
        # the plot instead of over a long title.
        margin={"l": 10, "r": 10, "t": 48 if axes.get("showlegend") is False else 104, "b": 10},
        hoverlabel={"align": "left"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        **axes,
    )
    return fit_margins(fig)


def set_layout(fig: go.Figure, **props: object) -> go.Figure:
    """``fig.update_layout(**props)``, the same result in a fifth of the time.

    update_layout goes through plotly.py's batch-update machinery (about 8 ms a chart, a good
    part of a callback's server time); assigning each top-level property is plain validation.
    Like update_layout, a dict is merged into what the property already holds, and
    ``xaxis_title="people"`` means ``xaxis={"title": "people"}``.
    """
    nested: dict[str, object] = {}
    for name, value in props.items():
        parent, _, child = name.partition("_")
        if child and name not in _LAYOUT_PROPERTIES:  # xaxis_title, not paper_bgcolor
            name, value = parent, {child: value}
        nested = _merged(nested, {name: value})
    for name, value in nested.items():
        if isinstance(value, dict):
            value = _merged(fig.layout[name].to_plotly_json(), value)
        fig.layout[name] = value
    return fig


_LAYOUT_PROPERTIES = frozenset(
    name for name in dir(go.Layout) if isinstance(getattr(go.Layout, name, None), property)
)


def _merged(base: dict[str, object], extra: dict[str, object]) -> dict[str, object]:
    merged = dict(base)
    for key, value in extra.items():
        current = merged.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merged[key] = _merged(current, value)
        else:
            merged[key] = value
    return merged


def empty_figure(message: str = NO_MATCH, title: str = "", height: int = 360) -> go.Figure:
    """A figure with no axes and one message in the middle (no empty axis shown)."""
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": "#555"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=height)


def _suppressed_marks(labels: Sequence[str], k: int, *, horizontal: bool) -> go.Scatter:
    text = [fewer_than(k)] * len(labels)
    if horizontal:
        return go.Scatter(
            x=[0] * len(labels),
            y=list(labels),
            mode="text",
            text=text,
            textposition="middle right",
            textfont={"color": "#666"},
            name=fewer_than(k),
            hovertemplate="%{y}: " + fewer_than(k) + " people, hidden for privacy<extra></extra>",
            showlegend=False,
        )
    # Under a narrow column the label is broken in two so neighbouring labels do not overlap.
    return go.Scatter(
        x=list(labels),
        y=[0] * len(labels),
        mode="text",
        text=[label.replace(" than", "<br>than") for label in text],
        textposition="top center",
        textfont={"color": "#666"},
        name=fewer_than(k),
        hovertemplate="%{x}: " + fewer_than(k) + " people, hidden for privacy<extra></extra>",
        showlegend=False,
    )


# -- Overview --------------------------------------------------------------------------------


def headcount_bars(frame: pl.DataFrame, k: int, as_of: str = "") -> go.Figure:
    """Headcount per department as horizontal bars, largest on top.

    Args:
        frame: department, headcount, suppressed.
        k: the suppression threshold (for the "fewer than k" label).
        as_of: the date shown in the title.
    """
    title = f"Headcount by department{' on ' + as_of if as_of else ''}"
    if frame.height == 0:
        return empty_figure(title=title)
    # hidden departments first (bottom), then the largest on top; one trace keeps the order
    ordered = frame.with_columns(pl.col("headcount").fill_null(-1).alias("_order")).sort("_order")
    fig = go.Figure(
        go.Bar(
            x=ordered["headcount"].to_list(),
            y=ordered["department"].to_list(),
            orientation="h",
            marker_color=BLUE,
            name="headcount",
            text=ordered["headcount"].to_list(),
            textposition="auto",
            hovertemplate="%{y}: %{x} people<br>active on the as-of date: hired on or before it, "
            "not left by it<extra></extra>",
        )
    )
    hidden = frame.filter(pl.col("suppressed"))
    if hidden.height:
        fig.add_trace(_suppressed_marks(hidden["department"].to_list(), k, horizontal=True))
    return _layout(
        fig, title, height=max(260, 60 + 28 * frame.height), xaxis_title="people", showlegend=False
    )


def gap_bars(frame: pl.DataFrame, title: str = "Biggest skill gaps") -> go.Figure:
    """Gap in people per (team, skill), biggest on top; customdata carries the drill-down key.

    Args:
        frame: team_type, team, team_label, skill_id, skill_name, required, holders, target,
            coverage, gap_people (already filtered to gaps > 0, suppressed rows removed).
        title: the chart title.
    """
    if frame.height == 0:
        return empty_figure("No gaps: every target is met for these filters", title=title)
    ordered = frame.sort("gap_people")
    labels = [
        f"{t} · {s}" for t, s in zip(ordered["team_label"], ordered["skill_name"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=ordered["gap_people"].to_list(),
            y=labels,
            orientation="h",
            marker_color=VERMILLION,
            text=[f"{g} people" for g in ordered["gap_people"]],
            textposition="auto",
            customdata=ordered.select(
                "team_type", "team", "skill_id", "required", "holders", "target", "skill_name"
            ).rows(),
            hovertemplate="%{y}<br>gap: %{x} people = ceil(target %{customdata[5]:.0%} × "
            "%{customdata[3]} required) − %{customdata[4]} holders"
            "<br>click for who holds it and who is missing it<extra></extra>",
        )
    )
    return _layout(
        fig, title, height=max(260, 60 + 26 * frame.height), xaxis_title="people", showlegend=False
    )


def expiring_bars(frame: pl.DataFrame, k: int) -> go.Figure:
    """Credentials expiring within 30 / 60 / 90 days (cumulative).

    Args:
        frame: horizon_days, holdings, people, suppressed.
        k: the suppression threshold.
    """
    title = "Credentials expiring soon"
    if frame.height == 0:
        return empty_figure(title=title)
    labels = [f"≤ {h} days" for h in frame["horizon_days"]]
    hidden = [lab for lab, s in zip(labels, frame["suppressed"], strict=True) if s]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=frame["holdings"].to_list(),
            marker_color=ORANGE,
            text=[f"{v} credentials" if v is not None else "" for v in frame["holdings"]],
            textposition="auto",
            customdata=frame["people"].to_list(),
            hovertemplate="%{x}: %{y} valid credentials held by %{customdata} people stop being "
            "valid (expires_on within the horizon of the snapshot date)<extra></extra>",
        )
    )
    if hidden:
        fig.add_trace(_suppressed_marks(hidden, k, horizontal=False))
    fig.update_xaxes(categoryorder="array", categoryarray=labels)
    return _layout(fig, title, yaxis_title="credentials", showlegend=False)


def attrition_trend(frame: pl.DataFrame, k: int, title: str = "Leavers per month") -> go.Figure:
    """Monthly leavers (bars) with the month's average headcount in the hover.

    Args:
        frame: month, team, headcount_start, headcount_end, leavers, voluntary_leavers,
            regrettable_leavers, suppressed (one team, or summed over teams).
        k: the suppression threshold.
        title: the chart title.
    """
    if frame.height == 0:
        return empty_figure(title=title)
    monthly = (
        frame.group_by("month")
        .agg(
            pl.col("leavers").sum(),
            pl.col("voluntary_leavers").sum(),
            ((pl.col("headcount_start") + pl.col("headcount_end")) / 2)
            .sum()
            .alias("avg_headcount"),
            pl.col("suppressed").any(),
        )
        .sort("month")
    )
    shown = monthly.filter(~pl.col("suppressed"))
    hidden = monthly.filter(pl.col("suppressed"))
    months = [m.isoformat()[:7] for m in shown["month"]]
    rate = [
        (lv / hc * 1200) if hc else None
        for lv, hc in zip(shown["leavers"], shown["avg_headcount"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=months,
            y=shown["leavers"].to_list(),
            marker_color=BLUE,
            name="leavers",
            customdata=list(zip(shown["avg_headcount"].to_list(), rate, strict=True)),
            hovertemplate="%{x}: %{y} leavers<br>average headcount %{customdata[0]:.1f} "
            "= (active on the 1st + active on the last day) / 2<br>annualised "
            "%{customdata[1]:.1f}% = leavers / average headcount × 12<extra></extra>",
        )
    )
    if hidden.height:
        fig.add_trace(
            _suppressed_marks([m.isoformat()[:7] for m in hidden["month"]], k, horizontal=False)
        )
    return _layout(fig, title, yaxis_title="leavers (people)", showlegend=False)


# -- Coverage --------------------------------------------------------------------------------


def _order_by_gap(cells: pl.DataFrame, key: str, label: str) -> list[str]:
    gaps = (
        cells.group_by(key, label)
        .agg(pl.col("gap_people").fill_null(0).sum().alias("gap"))
        .sort(["gap", label], descending=[True, False])
    )
    return gaps[label].to_list()


def coverage_heatmap(
    cells: pl.DataFrame, k: int, title: str = "Coverage by team and skill"
) -> go.Figure:
    """Team × skill heatmap of coverage %, target marked, teams and skills sorted by gap.

    Each cell's text is its coverage and target ("67% / 90%"); cells below target get a ▼.
    Suppressed cells (fewer than k required people) are drawn grey with "fewer than k".

    Args:
        cells: team_type, team, team_label, skill_id, skill_name, required, holders, coverage,
            target, gap_people, suppressed.
        k: the suppression threshold.
        title: the chart title.
    """
    if cells.height == 0:
        return empty_figure(title=title)
    teams = _order_by_gap(cells, "team", "team_label")
    skills = _order_by_gap(cells, "skill_id", "skill_name")
    index = {(r["team_label"], r["skill_name"]): r for r in cells.iter_rows(named=True)}
    z: list[list[float | None]] = []
    grey: list[list[float | None]] = []
    text: list[list[str]] = []
    hover: list[list[str]] = []
    custom: list[list[list[str]]] = []
    for team in teams:
        z_row: list[float | None] = []
        grey_row: list[float | None] = []
        text_row: list[str] = []
        hover_row: list[str] = []
        custom_row: list[list[str]] = []
        for skill in skills:
            cell = index.get((team, skill))
            if cell is None:
                z_row.append(None)
                grey_row.append(None)
                text_row.append("")
                hover_row.append(f"{team} · {skill}: not required by any role in this team")
                custom_row.append(["", "", "", ""])
                continue
            custom_row.append([cell["team_type"], cell["team"], cell["skill_id"], skill])
            target = cell["target"] if cell["target"] is not None else 1.0
            if cell["suppressed"]:
                z_row.append(None)
                grey_row.append(1.0)
                text_row.append(fewer_than(k).replace(" than ", "<br>than "))
                hover_row.append(
                    f"{team} · {skill}: {fewer_than(k)} people require it; hidden for privacy"
                )
                continue
            coverage = float(cell["coverage"] or 0.0)
            z_row.append(round(coverage * 100, 1))
            grey_row.append(None)
            mark = " ▼" if coverage < target else ""
            text_row.append(f"{coverage:.0%} / {target:.0%}{mark}")
            hover_row.append(
                f"{team} · {skill}<br>coverage {coverage:.0%} = {cell['holders']} holders / "
                f"{cell['required']} required<br>target {target:.0%}; gap "
                f"{cell['gap_people'] or 0} people = ceil(target × required) − holders"
                "<br>click for the people"
            )
        z.append(z_row)
        grey.append(grey_row)
        text.append(text_row)
        hover.append(hover_row)
        custom.append(custom_row)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=skills,
            y=teams,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            customdata=custom,
            colorscale=SEQUENTIAL,
            zmin=0,
            zmax=100,
            xgap=2,
            ygap=2,
            name="coverage",
            colorbar={"title": {"text": "coverage %"}, "ticksuffix": "%"},
        )
    )
    if any(v is not None for row in grey for v in row):
        fig.add_trace(
            go.Heatmap(
                z=grey,
                x=skills,
                y=teams,
                text=[
                    [t if g else "" for t, g in zip(tr, gr, strict=True)]
                    for tr, gr in zip(text, grey, strict=True)
                ],
                texttemplate="%{text}",
                textfont={"size": 9},
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                colorscale=[[0, GREY], [1, GREY]],
                showscale=False,
                xgap=2,
                ygap=2,
                name=fewer_than(k),
                customdata=custom,
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="bottom", tickangle=-35)
    height = max(300, 120 + 34 * len(teams))
    return _layout(fig, title, height=height)


def coverage_trend(frame: pl.DataFrame, title: str = "Coverage index by month") -> go.Figure:
    """Coverage index (%) per team over the month-ends; suppressed points are left out.

    Args:
        frame: as_of, team, team_label, headcount, coverage_index, suppressed.
        title: the chart title.
    """
    if frame.height == 0:
        return empty_figure(
            "No history for this team type: trends exist for the whole "
            "organisation and departments",
            title=title,
        )
    fig = go.Figure()
    for (label,), group in frame.sort("as_of").group_by("team_label", maintain_order=True):
        shown = group.filter(~pl.col("suppressed"))
        fig.add_trace(
            go.Scatter(
                x=[d.isoformat() for d in shown["as_of"]],
                y=[None if v is None else round(v * 100, 1) for v in shown["coverage_index"]],
                mode="lines+markers",
                name=str(label),
                customdata=shown["headcount"].to_list(),
                hovertemplate=f"{label}" + " %{x}: %{y:.1f}%<br>importance-weighted mean of "
                "min(coverage / target, 1) over required skills; headcount "
                "%{customdata}<extra></extra>",
            )
        )
    return _layout(fig, title, yaxis={"title": "coverage index %", "range": [0, 105]})


# -- Retention -------------------------------------------------------------------------------


def attrition_rates(
    frame: pl.DataFrame, k: int, title: str = "Annualised attrition by group (24 months)"
) -> go.Figure:
    """Annualised attrition % per team: all, voluntary and regrettable side by side.

    Args:
        frame: team_label, attrition_pct, voluntary_pct, regrettable_pct, leavers,
            average_headcount, suppressed.
        k: the suppression threshold.
        title: the chart title.
    """
    if frame.height == 0:
        return empty_figure(title=title)
    shown = frame.filter(~pl.col("suppressed"))
    hidden = frame.filter(pl.col("suppressed"))
    fig = go.Figure()
    how = (
        "<br>= leavers / average headcount × 12 / months; average headcount = mean of "
        "monthly (start + end) / 2<extra></extra>"
    )
    series = (
        ("attrition_pct", "all leavers", BLUE),
        ("voluntary_pct", "voluntary", ORANGE),
        ("regrettable_pct", "regrettable", VERMILLION),
    )
    for column, name, colour in series:
        if column not in shown.columns or shown[column].null_count() == shown.height:
            continue
        fig.add_trace(
            go.Bar(
                x=shown["team_label"].to_list(),
                y=shown[column].to_list(),
                name=name,
                marker_color=colour,
                customdata=shown.select("leavers", "average_headcount").rows(),
                hovertemplate="%{x} " + name + ": %{y:.1f}% a year (%{customdata[0]} leavers, "
                "average headcount %{customdata[1]:.1f})" + how,
            )
        )
    if hidden.height:
        fig.add_trace(_suppressed_marks(hidden["team_label"].to_list(), k, horizontal=False))
    return _layout(fig, title, barmode="group", yaxis_title="% per year")


def forest_plot(
    summary: pl.DataFrame,
    k: int,
    title: str = f"Badge holders' leaving rate vs not yet badged ({ASSOCIATION})",
) -> go.Figure:
    """Rate ratio and Cox hazard ratio with 95% intervals per team, on a log axis with a line at 1.

    Args:
        summary: team_label, rate_ratio(_low/_high), hazard_ratio(_low/_high), suppressed.
        k: the suppression threshold.
        title: the chart title (always says association, not causation).
    """
    if summary.height == 0:
        return empty_figure(title=title)
    shown = summary.filter(~pl.col("suppressed"))
    hidden = summary.filter(pl.col("suppressed"))
    fig = go.Figure()
    specs = (
        (
            "rate_ratio",
            "rate ratio (leavers per person-year)",
            BLUE,
            "circle",
            "exp(ln RR ± 1.96 √(1/a + 1/b)), a, b = leavers badged / not badged",
        ),
        (
            "hazard_ratio",
            "Cox hazard ratio (adjusted for department, tenure band)",
            ORANGE,
            "diamond",
            "Cox proportional hazards, badge as time-varying exposure",
        ),
    )
    for column, name, colour, symbol, how in specs:
        if column not in shown.columns:
            continue
        rows = shown.filter(pl.col(column).is_not_null())
        if rows.height == 0:
            continue
        value, low, high = rows[column], rows[f"{column}_low"], rows[f"{column}_high"]
        fig.add_trace(
            go.Scatter(
                x=value.to_list(),
                y=rows["team_label"].to_list(),
                mode="markers",
                name=name,
                marker={"color": colour, "symbol": symbol, "size": 10},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [
                        (h - v) if h is not None else None for v, h in zip(value, high, strict=True)
                    ],
                    "arrayminus": [
                        (v - lo) if lo is not None else None
                        for v, lo in zip(value, low, strict=True)
                    ],
                },
                customdata=list(zip(low.to_list(), high.to_list(), strict=True)),
                hovertemplate="%{y}: %{x:.2f} (95% CI %{customdata[0]:.2f}–%{customdata[1]:.2f})"
                f"<br>{how}<br>below 1: badge holders left less often. "
                f"{ASSOCIATION}.<extra></extra>",
            )
        )
    if hidden.height:
        fig.add_trace(
            go.Scatter(
                x=[1] * hidden.height,
                y=hidden["team_label"].to_list(),
                mode="text",
                text=[fewer_than(k)] * hidden.height,
                showlegend=False,
                hovertemplate="%{y}: " + fewer_than(k) + " people in a group<extra></extra>",
            )
        )
    if not fig.data:
        return empty_figure("No ratio can be computed: a group has no leavers", title=title)
    fig.add_vline(x=1, line_dash="dash", line_color="#555")
    return _layout(
        fig,
        title,
        height=max(260, 110 + 34 * summary.height),
        xaxis={"type": "log", "title": "ratio (log scale; 1 = no difference)"},
    )


def km_curves(
    curve: pl.DataFrame, title: str = f"Kaplan–Meier retention ({ASSOCIATION})"
) -> go.Figure:
    """Step curves of the share still employed by month of tenure, one per exposure group.

    Args:
        curve: exposure, month_of_tenure, at_risk, leavers, retained_share (one team).
        title: the chart title.
    """
    if curve.height == 0:
        return empty_figure(title=title)
    fig = go.Figure()
    colours = {"badged": BLUE, "not_badged": ORANGE}
    for (exposure,), group in curve.sort("month_of_tenure").group_by(
        "exposure", maintain_order=True
    ):
        fig.add_trace(
            go.Scatter(
                x=group["month_of_tenure"].to_list(),
                y=[v * 100 for v in group["retained_share"]],
                mode="lines",
                line_shape="hv",
                name=str(exposure).replace("_", " "),
                line={"color": colours.get(str(exposure))},
                customdata=group.select("at_risk", "leavers").rows(),
                hovertemplate="month %{x}: %{y:.1f}% still employed<br>%{customdata[0]} at risk, "
                "%{customdata[1]} left; Kaplan–Meier product of (1 − leavers / at "
                "risk)<extra></extra>",
            )
        )
    return _layout(
        fig,
        title,
        xaxis_title="months of tenure",
        yaxis={"title": "still employed %", "range": [0, 101]},
    )


def roi_chart(frame: pl.DataFrame, k: int, title: str = "Training ROI by programme") -> go.Figure:
    """ROI % per programme with its 95% interval, zero line marked.

    Args:
        frame: program_name, roi_pct, roi_pct_low, roi_pct_high, costs, benefit, learners,
            suppressed.
        k: the suppression threshold.
        title: the chart title.
    """
    if frame.height == 0:
        return empty_figure("No training programmes in the snapshot", title=title)
    shown = frame.filter(~pl.col("suppressed") & pl.col("roi_pct").is_not_null())
    hidden = frame.filter(pl.col("suppressed") | pl.col("roi_pct").is_null())
    roi = shown["roi_pct"]
    fig = go.Figure(
        go.Bar(
            x=shown["program_name"].to_list(),
            y=roi.to_list(),
            name="ROI %",
            marker_color=[GREEN if v >= 0 else VERMILLION for v in roi],
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [
                    (h - v) if h is not None else None
                    for v, h in zip(roi, shown["roi_pct_high"], strict=True)
                ],
                "arrayminus": [
                    (v - lo) if lo is not None else None
                    for v, lo in zip(roi, shown["roi_pct_low"], strict=True)
                ],
            },
            customdata=shown.select(
                "roi_pct_low", "roi_pct_high", "benefit", "costs", "learners"
            ).rows(),
            hovertemplate="%{x}: ROI %{y:.0f}% (95% CI %{customdata[0]:.0f}% to "
            "%{customdata[1]:.0f}%)<br>= (benefit %{customdata[2]:,.0f} − costs "
            "%{customdata[3]:,.0f}) / costs × 100; %{customdata[4]} learners"
            "<extra></extra>",
        )
    )
    if hidden.height:
        fig.add_trace(_suppressed_marks(hidden["program_name"].to_list(), k, horizontal=False))
    fig.add_hline(y=0, line_color="#555")
    return _layout(fig, title, yaxis_title="ROI %", showlegend=False)


# -- Data quality ----------------------------------------------------------------------------


def unmatched_bars(frame: pl.DataFrame) -> go.Figure:
    """Unmatched badge awards by recipient identity type.

    Args:
        frame: identity_type, awards.
    """
    title = "Unmatched badge awards by identity type"
    if frame.height == 0:
        return empty_figure("Every badge award matched an employee", title=title)
    fig = go.Figure(
        go.Bar(
            x=frame["identity_type"].to_list(),
            y=frame["awards"].to_list(),
            marker_color=PURPLE,
            hovertemplate="%{x}: %{y} awards whose recipient matched no employee by id, email or "
            "hashed email<extra></extra>",
        )
    )
    return _layout(fig, title, yaxis_title="awards", showlegend=False)


# -- The one-page board report ---------------------------------------------------------------


def overview_report(
    kpis: Sequence[tuple[str, str]], panels: Sequence[go.Figure], title: str
) -> go.Figure:
    """The Overview as one landscape page: a row of headline numbers, then four charts.

    Args:
        kpis: (label, value with unit) pairs for the headline row.
        panels: up to four of the Overview's figures; their traces are copied.
        title: the page title (with the as-of date and filters).
    """
    titles = [str(p.layout.title.text or "") for p in panels][:4]
    fig = make_subplots(
        rows=2,
        cols=2,
        subplot_titles=titles + [""] * (4 - len(titles)),
        vertical_spacing=0.16,
        horizontal_spacing=0.12,
    )
    for position, panel in enumerate(panels[:4]):
        row, col = divmod(position, 2)
        for trace in panel.data:
            if isinstance(trace, go.Heatmap):
                continue
            fig.add_trace(trace, row=row + 1, col=col + 1)
        for annotation in panel.layout.annotations or ():
            if annotation.xref == "paper":  # an empty panel's message
                axis = position + 1
                fig.add_annotation(
                    text=annotation.text,
                    showarrow=False,
                    xref=f"x{axis if axis > 1 else ''} domain",
                    yref=f"y{axis if axis > 1 else ''} domain",
                    x=0.5,
                    y=0.5,
                )
    headline = "   ·   ".join(f"<b>{value}</b> {label}" for label, value in kpis)
    fig.update_layout(
        title={"text": f"{title}<br><span style='font-size:13px'>{headline}</span>", "x": 0.02},
        template="plotly_white",
        font={"family": FONT, "size": 11},
        showlegend=False,
        width=1600,
        height=1000,
        margin={"l": 40, "r": 40, "t": 120, "b": 40},
        colorway=list(OKABE_ITO),
    )
    return fig


def finite(value: float | None) -> bool:
    """True for a real, finite number."""
    return value is not None and not (isinstance(value, float) and math.isnan(value))
