"""Overview (``/``): headcount, coverage index, biggest gaps, expiring credentials, attrition,
the ROI headline and data freshness, plus a one-page PNG/PDF report for a board deck."""

from __future__ import annotations

import base64
from typing import Any

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import audit, components, data, figures, filters, ids, shell
from dashboard.snapshot import current_snapshot

PATH = "/"
KPIS = (
    (ids.KPI_HEADCOUNT, "Headcount"),
    (ids.KPI_COVERAGE, "Coverage index"),
    (ids.KPI_EXPIRING, "Expiring in 90 days"),
    (ids.KPI_ATTRITION, "Attrition"),
    (ids.KPI_ROI, "Training ROI"),
    (ids.KPI_FRESHNESS, "Data freshness"),
)


def layout(**query: Any) -> Component:
    """The Overview page, drawn for the filters its query names (the first view; the callbacks
    redraw it when the filters change)."""
    if not components.snapshot_ready():
        return components.no_data_alert()
    store = shell.first_store(query)
    head = components.first_view(headcount, store)
    expiry = components.first_view(expiring, store)
    cards = {
        ids.KPI_HEADCOUNT: head[1] if head else None,
        ids.KPI_COVERAGE: components.first_view(coverage_kpi, store),
        ids.KPI_EXPIRING: expiry[1] if expiry else None,
        ids.KPI_ATTRITION: components.first_view(attrition_kpi, store),
        ids.KPI_ROI: components.first_view(roi_kpi, store),
        ids.KPI_FRESHNESS: components.first_view(freshness_kpi, store),
    }
    return html.Div(
        [
            html.Div(
                [
                    html.H2("Overview", className="page-title"),
                    html.Div(
                        [
                            dbc.Button(
                                "Report PNG",
                                id=ids.OVERVIEW_REPORT_PNG,
                                size="sm",
                                color="primary",
                                outline=True,
                            ),
                            dbc.Button(
                                "Report PDF",
                                id=ids.OVERVIEW_REPORT_PDF,
                                size="sm",
                                color="primary",
                                outline=True,
                            ),
                            dcc.Loading(
                                dcc.Download(id=ids.OVERVIEW_REPORT_DOWNLOAD), type="circle"
                            ),
                        ],
                        className="d-flex gap-2 ms-auto",
                    ),
                ],
                className="d-flex align-items-center mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        html.Div(cards[kpi_id] or components.kpi_card(label, "…"), id=kpi_id),
                        md=2,
                        sm=4,
                    )
                    for kpi_id, label in KPIS
                ],
                className="g-3 mb-3",
                id=ids.OVERVIEW_KPIS,
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.chart_card(
                            ids.OVERVIEW_HEADCOUNT,
                            subtitle="Active people per department on the as-of date",
                            figure=head[0] if head else None,
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        components.chart_card(
                            ids.OVERVIEW_GAPS,
                            subtitle="People short of each skill target",
                            figure=components.first_view(gaps, store),
                        ),
                        lg=6,
                    ),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.chart_card(
                            ids.OVERVIEW_EXPIRING,
                            subtitle="Valid credentials that lapse soon",
                            figure=expiry[0] if expiry else None,
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        components.chart_card(
                            ids.OVERVIEW_ATTRITION,
                            subtitle="Leavers per month, last 24 months",
                            figure=components.first_view(attrition, store),
                        ),
                        lg=6,
                    ),
                ],
                className="g-3",
            ),
        ]
    )


# -- callbacks: plain functions of the filter store ------------------------------------------


def _context(store: dict[str, Any] | None) -> tuple[Any, data.Scope, filters.Filters]:
    if store is None:
        raise PreventUpdate  # the shell has not read the URL yet
    return current_snapshot(), data.current_scope(), filters.from_store(store)


def headcount(store: dict[str, Any] | None) -> tuple[go.Figure, Component]:
    """Headcount by department (chart) and in total (headline)."""
    db, scope, chosen = _context(store)
    frame = data.headcount_by_department(db, scope, chosen)
    k = data.k_anonymity(db)
    as_of = data.resolve_as_of(db, chosen).isoformat()
    total = data.headcount_total(frame)
    value = f"{total:,} people" if total is not None else "hidden"
    detail = (
        f"active on {as_of}" if total is not None else f"a department has {figures.fewer_than(k)}"
    )
    card = components.kpi_card(
        "Headcount",
        value,
        detail,
        tooltip=("People hired on or before the as-of date and not left by it, inside the filters"),
    )
    return figures.headcount_bars(frame, k, as_of), card


def coverage_kpi(store: dict[str, Any] | None) -> Component:
    """The coverage index headline."""
    db, scope, chosen = _context(store)
    headline = data.coverage_headline(data.coverage_index(db, scope, chosen))
    if headline.coverage_index is None:
        value, detail = (
            "—",
            ("hidden: too few people" if headline.suppressed else "no role requirements"),
        )
    else:
        value = f"{headline.coverage_index:.0%}"
        detail = (
            "1.0 = every target met"
            if headline.teams <= 1
            else f"headcount-weighted mean of {headline.teams} teams"
        )
    return components.kpi_card(
        "Coverage index",
        value,
        detail,
        tooltip=("Importance-weighted mean over required skills of min(coverage / target, 1)"),
    )


def gaps(store: dict[str, Any] | None) -> go.Figure:
    """The ten biggest gaps."""
    db, scope, chosen = _context(store)
    frame = data.biggest_gaps(db, scope, chosen)
    return figures.gap_bars(frame, title="Biggest skill gaps (people)")


def expiring(store: dict[str, Any] | None) -> tuple[go.Figure, Component]:
    """Credentials expiring within 30/60/90 days."""
    db, scope, chosen = _context(store)
    counts = data.expiring_counts(db, scope, chosen)
    k = data.k_anonymity(db)
    last = counts.row(-1, named=True) if counts.height else None
    if last is None:
        value, detail = "0 credentials", "none within 90 days"
    elif last["suppressed"]:
        value, detail = figures.fewer_than(k), "people's credentials"
    else:
        value, detail = f"{last['holdings']:,} credentials", f"held by {last['people']:,} people"
    card = components.kpi_card(
        "Expiring in 90 days",
        value,
        detail,
        tooltip=("Valid holdings whose expires_on falls within 90 days of the snapshot date"),
    )
    return figures.expiring_bars(counts, k), card


def attrition(store: dict[str, Any] | None) -> go.Figure:
    """Leavers per month over the last 24 months."""
    db, scope, chosen = _context(store)
    return figures.attrition_trend(data.attrition_trend(db, scope, chosen), data.k_anonymity(db))


def attrition_kpi(store: dict[str, Any] | None) -> Component:
    """Annualised attrition over 24 months."""
    db, scope, chosen = _context(store)
    frame = data.attrition_by_group(db, scope, chosen, group_by_default="all")
    shown = frame.filter(~frame["suppressed"]) if frame.height else frame
    if shown.height == 0 or shown["attrition_pct"].null_count() == shown.height:
        value, detail = "—", "hidden or no history"
    elif shown.height == 1:
        row = shown.row(0, named=True)
        value = f"{row['attrition_pct']:.1f}% / yr"
        detail = f"{row['leavers']:,} leavers in 24 months"
    else:
        pct = shown["attrition_pct"].cast(pl.Float64).drop_nulls().to_list()
        low, high = min(pct), max(pct)
        value, detail = f"{low:.1f}–{high:.1f}% / yr", f"across {shown.height} teams"
    return components.kpi_card(
        "Attrition",
        value,
        detail,
        tooltip=("Leavers / average headcount × 12 / months over the 24 months to the as-of date"),
    )


def roi_kpi(store: dict[str, Any] | None) -> Component:
    """Training ROI across all programmes."""
    db, scope, chosen = _context(store)
    try:
        frame = data.training_roi(db, scope, chosen)
    except data.NotAllowed:
        return components.kpi_card(
            "Training ROI", "—", "organisation-wide only", tooltip="Shown to admin and hr"
        )
    shown = frame.filter(~frame["suppressed"]) if frame.height else frame
    if shown.height == 0:
        return components.kpi_card("Training ROI", "—", "no programmes")
    costs, benefit = float(shown["costs"].sum()), float(shown["benefit"].fill_null(0).sum())
    value = f"{(benefit - costs) / costs * 100:+.0f}%" if costs else "—"
    return components.kpi_card(
        "Training ROI",
        value,
        f"{shown.height} programmes, all teams",
        tooltip="(Σ benefit − Σ costs) / Σ costs × 100",
    )


def freshness_kpi(store: dict[str, Any] | None) -> Component:
    """When the snapshot was built."""
    db, _, _ = _context(store)
    info = data.snapshot_info(db)
    age = info.age()
    value = shell.human_age(age) + " old" if age is not None else "—"
    detail = f"run {info.run_id}, data as of {info.as_of}" if info.as_of else ""
    return components.kpi_card(
        "Data freshness", value, detail, tooltip="Time since the ETL published this snapshot"
    )


def report(_png: int | None, _pdf: int | None, store: dict[str, Any] | None) -> dict[str, Any]:
    """The Overview as one page (PNG or PDF) for a board deck."""
    if not ctx.triggered_id:
        raise PreventUpdate
    fmt = "pdf" if ctx.triggered_id == ids.OVERVIEW_REPORT_PDF else "png"
    content = report_bytes(store, fmt)
    audit.record("download", what="overview_report", format=fmt)
    as_of = data.resolve_as_of(current_snapshot(), filters.from_store(store)).isoformat()
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "base64": True,
        "filename": f"skillboard_overview_{as_of}.{fmt}",
        "type": "application/pdf" if fmt == "pdf" else "image/png",
    }


def report_bytes(store: dict[str, Any] | None, fmt: str) -> bytes:
    """Render the one-page report with kaleido (it finds the system's Chromium itself)."""
    head_fig, head_card = headcount(store)
    exp_fig, exp_card = expiring(store)
    cards = [head_card, coverage_kpi(store), exp_card, attrition_kpi(store), roi_kpi(store)]
    kpis = [(_text(card, "kpi-label"), _text(card, "kpi-value")) for card in cards]
    chosen = filters.from_store(store)
    as_of = data.resolve_as_of(current_snapshot(), chosen).isoformat()
    title = f"Skillboard overview, as of {as_of}" + (
        f" ({filters.to_query(chosen).lstrip('?')})" if chosen.people_filtered else ""
    )
    fig = figures.overview_report(kpis, [head_fig, gaps(store), exp_fig, attrition(store)], title)
    return bytes(fig.to_image(format=fmt, width=1600, height=1000))


def _text(card: Component, class_name: str) -> str:
    for child in card.children.children.children:
        if getattr(child, "className", None) == class_name:
            return str(child.children)
    return ""


def register(app: dash.Dash) -> None:
    """Register the page and wire its callbacks to ``app``."""
    components.register_page(
        __name__, path=PATH, name="Overview", title="Skillboard · Overview", layout=layout, order=0
    )
    # The layout draws the first view: these run when the filters change.
    store = Input(ids.FILTERS_STORE, "data")
    later = {"prevent_initial_call": True}
    app.callback(
        Output(ids.OVERVIEW_HEADCOUNT, "figure"),
        Output(ids.KPI_HEADCOUNT, "children"),
        store,
        **later,
    )(components.guarded(headcount))
    app.callback(Output(ids.KPI_COVERAGE, "children"), store, **later)(
        components.guarded(coverage_kpi)
    )
    app.callback(Output(ids.OVERVIEW_GAPS, "figure"), store, **later)(components.guarded(gaps))
    app.callback(
        Output(ids.OVERVIEW_EXPIRING, "figure"),
        Output(ids.KPI_EXPIRING, "children"),
        store,
        **later,
    )(components.guarded(expiring))
    app.callback(Output(ids.OVERVIEW_ATTRITION, "figure"), store, **later)(
        components.guarded(attrition)
    )
    app.callback(Output(ids.KPI_ATTRITION, "children"), store, **later)(
        components.guarded(attrition_kpi)
    )
    app.callback(Output(ids.KPI_ROI, "children"), store, **later)(components.guarded(roi_kpi))
    app.callback(Output(ids.KPI_FRESHNESS, "children"), store, **later)(
        components.guarded(freshness_kpi)
    )
    app.callback(
        Output(ids.OVERVIEW_REPORT_DOWNLOAD, "data"),
        Input(ids.OVERVIEW_REPORT_PNG, "n_clicks"),
        Input(ids.OVERVIEW_REPORT_PDF, "n_clicks"),
        State(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )(components.guarded(report))
