"""Data (``/data``): ETL runs with status and counts, files and rejected files, quarantined
rows with reasons, unmatched badge awards by identity type, and the snapshot's age."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import components, data, figures, ids, shell
from dashboard.snapshot import current_snapshot

PATH = "/data"

Grid = components.Grid


def layout(**query: Any) -> Component:
    """The Data page, drawn on the server (the first view)."""
    if not components.snapshot_ready():
        return components.no_data_alert()
    store = shell.first_store(query)

    def grid(grid_id: str, rows: Callable[..., Grid], csv: str, height: int = 300) -> dag.AgGrid:
        drawn = components.first_view(rows, store)
        return components.data_grid(grid_id, height=height, csv_name=csv, grid=drawn)

    chart = components.chart_card(
        ids.DATA_UNMATCHED_CHART,
        subtitle="Awards kept but matched to no employee",
        figure=components.first_view(unmatched_chart, store),
    )
    summary = html.Div(
        components.first_view(freshness, store), id=ids.DATA_FRESHNESS, className="mb-3"
    )
    scope = data.current_scope()
    if scope.restricted or not scope.person_level:
        # Raw rows and recipient identities span every department: admin and hr only.
        return html.Div(
            [
                html.H2("Data quality", className="page-title mb-1"),
                summary,
                _card("ETL runs", grid(ids.DATA_RUNS, runs, "etl_runs.csv", 260)),
                dbc.Alert(
                    "Inbox files, quarantined rows and unmatched awards are shown to admin "
                    "and hr only: they hold raw values from every department.",
                    color="secondary",
                    className="small",
                    id=ids.DATA_STEWARD_NOTE,
                ),
                dbc.Row([dbc.Col(chart, lg=5)], className="g-3"),
            ]
        )
    # One list at a time: a tab's grid is drawn when the tab is opened (its rows are already
    # in the page). Four grids drawn at once made this the slowest page to open.
    lists = dcc.Tabs(
        [
            _tab("ETL runs", LIST_RUNS, grid(ids.DATA_RUNS, runs, "etl_runs.csv")),
            _tab(
                "Inbox files",
                LIST_FILES,
                [
                    html.Div(
                        "Every file seen: loader, status, counts and the reason for a rejection",
                        className="text-muted small mb-2",
                    ),
                    grid(ids.DATA_FILES, files, "files.csv"),
                ],
            ),
            _tab(
                "Quarantined rows",
                LIST_QUARANTINE,
                [
                    html.Div(
                        "Rows set aside with the reason, the file and the row number",
                        className="text-muted small mb-2",
                    ),
                    grid(ids.DATA_QUARANTINE, quarantine, "quarantine.csv"),
                ],
            ),
            _tab(
                "Unmatched badge awards",
                LIST_UNMATCHED,
                [grid(ids.DATA_UNMATCHED, unmatched, "unmatched.csv", 360), _unmatched_footer()],
            ),
        ],
        id=ids.DATA_LISTS,
        value=LIST_RUNS,
        persistence=True,
        className="data-tabs",
    )
    return html.Div(
        [
            html.H2("Data quality", className="page-title mb-1"),
            summary,
            dbc.Card(dbc.CardBody(lists), className="mb-3"),
            dbc.Row([dbc.Col(chart, lg=5)], className="g-3"),
        ]
    )


LIST_RUNS, LIST_FILES, LIST_QUARANTINE, LIST_UNMATCHED = "runs", "files", "quarantine", "unmatched"
"""The data page's lists, one per tab (the value of ``ids.DATA_LISTS``)."""


def _card(title: str, body: Component) -> dbc.Card:
    return dbc.Card(
        [dbc.CardHeader(html.Span(title, className="fw-semibold")), dbc.CardBody(body)],
        className="mb-3",
    )


def _tab(label: str, value: str, children: Component | list[Component]) -> dcc.Tab:
    return dcc.Tab(
        html.Div(children, className="pt-3"),
        label=label,
        value=value,
        className="data-tab",
        selected_className="data-tab--selected",
    )


def _db(store: dict[str, Any] | None) -> Any:
    if store is None:
        raise PreventUpdate
    return current_snapshot()


def _grid(frame: Any) -> Grid:
    return components.frame_records(frame), components.column_defs(frame)


def runs(store: dict[str, Any] | None) -> Grid:
    """ETL runs."""
    return _grid(data.etl_runs(_db(store), data.current_scope()))


def files(store: dict[str, Any] | None) -> Grid:
    """Inbox files."""
    return _grid(data.files(_db(store), data.current_scope()))


def quarantine(store: dict[str, Any] | None) -> Grid:
    """Quarantined rows."""
    return _grid(data.quarantine(_db(store), data.current_scope()))


def unmatched(store: dict[str, Any] | None) -> Grid:
    """Unmatched awards."""
    return _grid(data.unmatched_awards(_db(store), data.current_scope()))


def _unmatched_footer() -> Component:
    return html.Div(
        [
            html.Span(
                f"The newest {data.UNMATCHED_ROWS:,} are listed; the CSV has every one. ",
                className="text-muted small me-2",
            ),
            dbc.Button(
                "CSV of all",
                id=ids.DATA_UNMATCHED_CSV,
                size="sm",
                color="secondary",
                outline=True,
                title="Download every unmatched badge award",
            ),
            dcc.Download(id=ids.DATA_UNMATCHED_DOWNLOAD),
        ],
        className="mt-2",
    )


def unmatched_csv(n_clicks: int | None) -> dict[str, Any]:
    """Every unmatched award as a CSV download."""
    if not n_clicks:
        raise PreventUpdate
    text = data.unmatched_awards_csv(current_snapshot(), data.current_scope())
    return {"content": text, "filename": "unmatched_awards.csv", "type": "text/csv"}


def unmatched_chart(store: dict[str, Any] | None) -> go.Figure:
    """Unmatched awards by identity type."""
    return figures.unmatched_bars(data.unmatched_by_identity(_db(store), data.current_scope()))


def freshness(store: dict[str, Any] | None) -> Component:
    """Snapshot age and run."""
    info = data.snapshot_info(_db(store))
    age = info.age()
    return cast(
        Component,
        dbc.Row(
            [
                dbc.Col(
                    components.kpi_card(
                        "Snapshot age",
                        shell.human_age(age) if age else "—",
                        f"built {info.built_at:%Y-%m-%d %H:%M} UTC" if info.built_at else "",
                    ),
                    md=3,
                ),
                dbc.Col(
                    components.kpi_card(
                        "Data as of", str(info.as_of or "—"), "latest roster snapshot date"
                    ),
                    md=3,
                ),
                dbc.Col(
                    components.kpi_card(
                        "Published by run", str(info.run_id or "—"), "see the ETL runs list"
                    ),
                    md=3,
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
        name="Data",
        title="Skillboard · Data",
        layout=layout,
        preload=components.AG_GRID_CHUNKS,
        order=4,
    )
    # The layout draws the first view: these run on a filter change.
    store = Input(ids.FILTERS_STORE, "data")
    for grid_id, function in (
        (ids.DATA_RUNS, runs),
        (ids.DATA_FILES, files),
        (ids.DATA_QUARANTINE, quarantine),
        (ids.DATA_UNMATCHED, unmatched),
    ):
        app.callback(
            Output(grid_id, "rowData"),
            Output(grid_id, "columnDefs"),
            store,
            prevent_initial_call=True,
        )(components.guarded(function))
    app.callback(
        Output(ids.DATA_UNMATCHED_DOWNLOAD, "data"),
        Input(ids.DATA_UNMATCHED_CSV, "n_clicks"),
        prevent_initial_call=True,
    )(components.guarded(unmatched_csv))
    app.callback(Output(ids.DATA_UNMATCHED_CHART, "figure"), store, prevent_initial_call=True)(
        components.guarded(unmatched_chart)
    )
    app.callback(Output(ids.DATA_FRESHNESS, "children"), store, prevent_initial_call=True)(
        components.guarded(freshness)
    )
