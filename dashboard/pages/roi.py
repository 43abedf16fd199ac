"""Training ROI (``/roi``): per programme costs, benefit and ROI with its interval, the
assumptions beside them, and a what-if that moves ROI without an ETL run."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
import polars as pl
from dash import Input, Output, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import components, data, figures, filters, ids, shell, whatif
from dashboard.snapshot import current_snapshot

PATH = "/roi"
TABLE_COLUMNS = (
    "program_name",
    "learners",
    "person_years",
    "costs",
    "learner_leavers",
    "comparison_rate_per_py",
    "avoided_leavers",
    "benefit",
    "roi_pct",
    "roi_pct_low",
    "roi_pct_high",
    "suppressed",
)


def layout(**query: Any) -> Component:
    """The Training ROI page under the ETL's assumptions (the first view; the callbacks redraw
    it when the assumptions or the filters change)."""
    if not components.snapshot_ready():
        return components.no_data_alert()
    store = shell.first_store(query)
    assumed = components.first_view(defaults, store, None)
    share, rate = assumed if assumed else (None, None)
    drawn = components.first_view(update, share, rate, store)
    figure, rows, columns, text = drawn if drawn else (None, [], [], None)
    return html.Div(
        [
            html.H2("Training ROI", className="page-title mb-1"),
            html.P(
                "Phillips level 5, per programme, organisation-wide (the global filters do not "
                "narrow it). Association, not causation: learners may differ from the comparison "
                "group in ways the data do not show.",
                className="page-note",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.chart_card(
                            ids.ROI_CHART,
                            subtitle="ROI % with 95% interval; green ≥ 0",
                            figure=figure,
                        ),
                        lg=8,
                    ),
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader(
                                    html.Span("Assumptions (what-if)", className="fw-semibold")
                                ),
                                dbc.CardBody(
                                    [
                                        dbc.Label(
                                            "Replacement cost, share of annual salary",
                                            html_for=ids.ROI_SHARE,
                                        ),
                                        dbc.InputGroup(
                                            [
                                                dbc.Input(
                                                    id=ids.ROI_SHARE,
                                                    value=share,
                                                    type="number",
                                                    min=0,
                                                    max=3,
                                                    step=0.01,
                                                    debounce=True,
                                                ),
                                                dbc.InputGroupText("× salary"),
                                            ],
                                            className="mb-3",
                                        ),
                                        dbc.Label(
                                            "Loaded hourly rate of learning time",
                                            html_for=ids.ROI_RATE,
                                        ),
                                        dbc.InputGroup(
                                            [
                                                dbc.Input(
                                                    id=ids.ROI_RATE,
                                                    value=rate,
                                                    type="number",
                                                    min=0,
                                                    step=1,
                                                    debounce=True,
                                                ),
                                                dbc.InputGroupText("per hour"),
                                            ],
                                            className="mb-3",
                                        ),
                                        dbc.Button(
                                            "Back to the ETL's assumptions",
                                            id=ids.ROI_RESET,
                                            size="sm",
                                            color="secondary",
                                            outline=True,
                                        ),
                                        html.Div(
                                            text,
                                            id=ids.ROI_ASSUMPTIONS,
                                            className="small text-muted mt-3",
                                        ),
                                    ]
                                ),
                            ],
                            className="h-100",
                        ),
                        lg=4,
                    ),
                ],
                className="g-3 mb-3",
            ),
            dbc.Card(
                [
                    dbc.CardHeader(
                        html.Span(
                            "Per programme: costs = learners × cost per learner + "
                            "learning hours × hourly rate; benefit = avoided leavers × "
                            "replacement cost",
                            className="text-muted small",
                        )
                    ),
                    dbc.CardBody(
                        components.data_grid(
                            ids.ROI_TABLE,
                            height=320,
                            csv_name="training_roi.csv",
                            grid=(rows, columns),
                        )
                    ),
                ]
            ),
        ]
    )


def _frame(store: dict[str, Any] | None) -> tuple[pl.DataFrame, int, str | None]:
    """The ROI rows, k, and why there are none when the scope may not see them."""
    if store is None:
        raise PreventUpdate
    db = current_snapshot()
    try:
        frame = data.training_roi(db, data.current_scope(), filters.from_store(store))
    except data.NotAllowed as exc:
        return pl.DataFrame(), data.k_anonymity(db), str(exc)
    return frame, data.k_anonymity(db), None


def defaults(store: dict[str, Any] | None, _reset: int | None) -> tuple[float, float]:
    """The assumptions the mart was computed with (also what Reset restores)."""
    frame, _, _ = _frame(store)
    values = whatif.assumptions(frame)
    return values[whatif.SHARE], values[whatif.RATE]


def update(
    share: float | None, rate: float | None, store: dict[str, Any] | None
) -> tuple[go.Figure, list[dict[str, Any]], list[dict[str, Any]], Component]:
    """ROI chart, table and assumptions text under the chosen assumptions."""
    frame, k, refused = _frame(store)
    if refused is not None:
        return figures.empty_figure(refused, title="Training ROI"), [], [], html.Div(refused)
    base = whatif.assumptions(frame)
    share = base[whatif.SHARE] if share is None else float(share)
    rate = base[whatif.RATE] if rate is None else float(rate)
    changed = (share, rate) != (base[whatif.SHARE], base[whatif.RATE])
    shown = whatif.recompute_roi(frame, share, rate) if changed and frame.height else frame
    title = "Training ROI by programme" + (" (what-if)" if changed else "")
    table = (
        shown.select([c for c in TABLE_COLUMNS if c in shown.columns]) if shown.height else shown
    )
    table = table.with_columns(pl.col(pl.Float64).round(2)) if table.height else table
    text = html.Div(
        [
            html.Div(
                f"Replacement cost: {share:.2f} × annual salary"
                + (f" (ETL: {base[whatif.SHARE]:.2f})" if changed else "")
            ),
            html.Div(
                f"Hourly rate: {rate:,.2f} per hour"
                + (f" (ETL: {base[whatif.RATE]:,.2f})" if changed else "")
            ),
            html.Div(f"Analysis window: {_window(frame)}"),
            html.Div(f"Programmes with fewer than {k} learners are hidden."),
        ]
    )
    return (
        figures.roi_chart(shown, k, title=title),
        components.frame_records(table),
        components.column_defs(table),
        text,
    )


def _window(frame: pl.DataFrame) -> str:
    if frame.height and "window_start" in frame.columns:
        return f"{frame['window_start'][0]} to {frame['window_end'][0]}"
    return "24 months to the snapshot date"


def register(app: dash.Dash) -> None:
    """Register the page and wire its callbacks to ``app``."""
    components.register_page(
        __name__,
        path=PATH,
        name="Training ROI",
        title="Skillboard · Training ROI",
        layout=layout,
        preload=components.AG_GRID_CHUNKS,
        order=2,
    )
    app.callback(
        Output(ids.ROI_SHARE, "value"),
        Output(ids.ROI_RATE, "value"),
        Input(ids.FILTERS_STORE, "data"),
        Input(ids.ROI_RESET, "n_clicks"),
        prevent_initial_call=True,  # the layout holds the first view
    )(components.guarded(defaults))
    app.callback(
        Output(ids.ROI_CHART, "figure"),
        Output(ids.ROI_TABLE, "rowData"),
        Output(ids.ROI_TABLE, "columnDefs"),
        Output(ids.ROI_ASSUMPTIONS, "children"),
        Input(ids.ROI_SHARE, "value"),
        Input(ids.ROI_RATE, "value"),
        Input(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )(components.guarded(update))
