"""Retention (``/retention``): attrition by group, badge holders' leaving rate compared with
not-yet-badged time (rate ratio and Cox hazard ratio, forest plot), Kaplan–Meier curves.

Badges are a time-varying exposure (time before a person's first badge counts as not badged),
which avoids crediting badges with the time people had to survive to earn them. Every figure
says what it is: an association, not a cause.
"""

from __future__ import annotations

from typing import Any, cast

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import components, data, figures, filters, ids, shell
from dashboard.snapshot import current_snapshot

PATH = "/retention"


def layout(**query: Any) -> Component:
    """The Retention page, drawn for the filters its query names (the first view; the
    callbacks redraw it when the filters change)."""
    if not components.snapshot_ready():
        return components.no_data_alert()
    store = shell.first_store(query)
    return html.Div(
        [
            html.H2("Retention", className="page-title mb-1"),
            dbc.Alert(
                [
                    html.Strong("Association, not causation. "),
                    "People who earn badges may differ from those who do not in ways the data "
                    "do not show. Time before a first badge counts as not badged, so badge "
                    "holders are not credited with the time they needed to earn one.",
                ],
                color="warning",
                className="py-2 small",
            ),
            html.Div(
                components.first_view(summary, store), id=ids.RETENTION_SUMMARY, className="mb-3"
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.chart_card(
                            ids.RETENTION_RATES,
                            subtitle="Annualised attrition, 24 months to the snapshot date",
                            figure=components.first_view(rates, store),
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        components.chart_card(
                            ids.RETENTION_FOREST,
                            subtitle="Below 1: badge holders left less often",
                            figure=components.first_view(forest, store),
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
                            ids.RETENTION_KM,
                            subtitle="Share still employed by months of tenure",
                            figure=components.first_view(curves, store),
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        components.chart_card(
                            ids.RETENTION_ATTRITION,
                            subtitle="Leavers per month",
                            figure=components.first_view(monthly, store),
                        ),
                        lg=6,
                    ),
                ],
                className="g-3",
            ),
        ]
    )


def _context(store: dict[str, Any] | None) -> tuple[Any, data.Scope, filters.Filters]:
    if store is None:
        raise PreventUpdate
    return current_snapshot(), data.current_scope(), filters.from_store(store)


def rates(store: dict[str, Any] | None) -> go.Figure:
    """Annualised attrition by group (departments when unfiltered)."""
    db, scope, chosen = _context(store)
    return figures.attrition_rates(data.attrition_by_group(db, scope, chosen), data.k_anonymity(db))


def forest(store: dict[str, Any] | None) -> go.Figure:
    """Rate ratio and hazard ratio per group with 95% intervals."""
    db, scope, chosen = _context(store)
    frame = data.retention_summary(db, scope, chosen, group_by_default="department")
    return figures.forest_plot(frame, data.k_anonymity(db))


def curves(store: dict[str, Any] | None) -> go.Figure:
    """Kaplan–Meier curves by exposure for the selection."""
    db, scope, chosen = _context(store)
    frame = data.retention_curve(db, scope, chosen)
    if frame.height and frame["team"].n_unique() > 1:
        first = frame["team"][0]
        frame = frame.filter(frame["team"] == first)
    return figures.km_curves(frame)


def monthly(store: dict[str, Any] | None) -> go.Figure:
    """Leavers per month for the selection."""
    db, scope, chosen = _context(store)
    return figures.attrition_trend(data.attrition_trend(db, scope, chosen), data.k_anonymity(db))


def summary(store: dict[str, Any] | None) -> Component:
    """Headline cards: rate ratio and Cox hazard ratio of the selection."""
    db, scope, chosen = _context(store)
    frame = data.retention_summary(db, scope, chosen, group_by_default="all")
    k = data.k_anonymity(db)
    if frame.height != 1:
        return html.Div(
            f"{frame.height} groups selected: see the forest plot.", className="page-note"
        )
    row = frame.row(0, named=True)

    def ratio(name: str) -> str:
        if row["suppressed"]:
            return figures.fewer_than(k)
        if row[name] is None:
            return "—"
        low, high = row[f"{name}_low"], row[f"{name}_high"]
        interval = f" (95% CI {low:.2f}–{high:.2f})" if low is not None and high else ""
        return f"{row[name]:.2f}×{interval}"

    return cast(
        Component,
        dbc.Row(
            [
                dbc.Col(
                    components.kpi_card(
                        "Rate ratio, badged / not badged",
                        ratio("rate_ratio"),
                        f"{row['team_label']}; association, not causation",
                        tooltip="Leavers per person-year while badged ÷ while not yet badged; "
                        "95% CI exp(ln RR ± 1.96 √(1/a + 1/b))",
                    ),
                    md=4,
                ),
                dbc.Col(
                    components.kpi_card(
                        "Cox hazard ratio",
                        ratio("hazard_ratio"),
                        row.get("hazard_ratio_note") or "adjusted for department and tenure band",
                        tooltip="Cox proportional hazards, badge as a time-varying exposure",
                    ),
                    md=4,
                ),
            ],
            className="g-3",
        ),
    )


def register(app: dash.Dash) -> None:
    """Register the page and wire its callbacks to ``app``."""
    components.register_page(
        __name__,
        path=PATH,
        name="Retention",
        title="Skillboard · Retention",
        layout=layout,
        order=3,
    )
    # The layout draws the first view: these run when the filters change.
    store = Input(ids.FILTERS_STORE, "data")
    later = {"prevent_initial_call": True}
    for output, function in (
        (Output(ids.RETENTION_RATES, "figure"), rates),
        (Output(ids.RETENTION_FOREST, "figure"), forest),
        (Output(ids.RETENTION_KM, "figure"), curves),
        (Output(ids.RETENTION_ATTRITION, "figure"), monthly),
        (Output(ids.RETENTION_SUMMARY, "children"), summary),
    ):
        app.callback(output, store, **later)(components.guarded(function))
