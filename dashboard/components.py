"""Small layout builders shared by the pages: chart cards, headline cards, grids, messages."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
import polars as pl
from dash import dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import data, ids
from dashboard.snapshot import NoSnapshot, current_snapshot

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

NO_DATA = "No data yet: run `skillboard etl run` to load the inbox and publish a snapshot."


def register_page(module: str, **options: Any) -> None:
    """``dash.register_page`` (untyped upstream) for one page module."""
    dash.register_page(module, **options)  # type: ignore[no-untyped-call]


def no_data_alert(detail: str | None = None) -> Component:
    """The message every page shows until a snapshot is published."""
    return cast(
        Component,
        dbc.Alert(
            [
                html.H4("No data yet", className="alert-heading"),
                dcc.Markdown(
                    "Run `skillboard etl run` to load the inbox and publish a snapshot; "
                    "this page refreshes itself once it exists."
                    + (f"\n\n{detail}" if detail else "")
                ),
            ],
            color="info",
            className="mt-4",
            id="no-data",
        ),
    )


def graph_config(filename: str) -> dict[str, Any]:
    """The plotly modebar: PNG download at a board-deck size, no plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def chart_card(
    chart_id: str,
    *,
    subtitle: str = "",
    height: int = 360,
    csv: bool = True,
    figure: go.Figure | None = None,
) -> dbc.Card:
    """A card holding one chart, with a CSV download of its data in the header.

    Args:
        chart_id: the dcc.Graph id (also names the CSV file).
        subtitle: one line under the chart saying what it counts.
        height: the graph's initial height in pixels.
        csv: whether to offer the CSV button.
        figure: the chart as first drawn (None: empty until a callback fills it).
    """
    drawn: dict[str, Any] = {} if figure is None else {"figure": figure}
    header: list[Any] = [html.Span(subtitle, className="text-muted small")]
    if csv:
        header.append(
            html.Div(
                [
                    dbc.Button(
                        "CSV",
                        id={"type": ids.CSV_BUTTON, "chart": chart_id},
                        size="sm",
                        color="secondary",
                        outline=True,
                        className="csv-button",
                        title="Download the data behind this chart as CSV",
                    ),
                    dcc.Download(id={"type": ids.CSV_DOWNLOAD, "chart": chart_id}),
                ],
                className="ms-auto",
            )
        )
    return dbc.Card(
        [
            dbc.CardHeader(html.Div(header, className="d-flex align-items-center gap-2")),
            dbc.CardBody(
                dcc.Loading(
                    dcc.Graph(
                        id=chart_id,
                        config=cast(Any, graph_config(chart_id)),
                        style={"minHeight": f"{height}px"},
                        **drawn,
                    ),
                    type="dot",
                    delay_show=300,
                )
            ),
        ],
        className="chart-card h-100",
    )


def kpi_card(label: str, value: str, detail: str = "", *, tooltip: str = "") -> html.Div:
    """One headline number with its unit, label and a line saying how it is computed."""
    return html.Div(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(label, className="kpi-label"),
                    html.Div(value, className="kpi-value"),
                    html.Div(detail, className="kpi-detail"),
                ]
            ),
            className="kpi-card h-100",
        ),
        title=tooltip,
        className="h-100",
    )


AG_GRID_CHUNKS = ("dash_ag_grid/async-community.js",)
"""The code AG Grid loads lazily when a page's first grid renders: a page with grids preloads
it with its HTML (``register_page(preload=...)``, see ``dashboard.app.Dashboard``)."""

Grid = tuple[list[dict[str, Any]], list[dict[str, Any]]]
"""An AG Grid's rowData and columnDefs, as a page callback returns them."""


def data_grid(
    grid_id: str,
    frame: pl.DataFrame | None = None,
    *,
    height: int = 360,
    csv_name: str | None = None,
    grid: Grid | None = None,
) -> dag.AgGrid:
    """A sortable, filterable AG Grid; CSV export through its own exportDataAsCsv.

    Args:
        grid_id: the component id.
        frame: rows to show now (or later through a callback).
        height: pixels.
        csv_name: file name for the CSV export.
        grid: rows and columns to show now, as a callback gives them (instead of ``frame``).
    """
    if grid is None:
        grid = (frame_records(frame), column_defs(frame)) if frame is not None else ([], [])
    return dag.AgGrid(
        id=grid_id,
        rowData=grid[0],
        columnDefs=grid[1],
        defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 90},
        columnSize="sizeToFit",
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": 20,
            "animateRows": False,
            "enableCellTextSelection": True,
        },
        csvExportParams={"fileName": csv_name or f"{grid_id}.csv"},
        style={"height": f"{height}px"},
        className="ag-theme-quartz",
    )


def column_defs(frame: pl.DataFrame | None) -> list[dict[str, Any]]:
    """AG Grid column definitions for a frame's columns (numbers right-aligned)."""
    if frame is None:
        return []
    defs = []
    for name, dtype in frame.schema.items():
        header = name.replace("_", " ")
        # Wide enough for the whole header and the filter icon; the grid scrolls sideways.
        spec: dict[str, Any] = {
            "field": name,
            "headerName": header,
            "minWidth": 8 * len(header) + 60,
        }
        if dtype.is_numeric():
            spec["type"] = "rightAligned"
            spec["filter"] = "agNumberColumnFilter"
        defs.append(spec)
    return defs


def frame_records(frame: pl.DataFrame | None) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (dates and times as ISO text)."""
    if frame is None or frame.height == 0:
        return []
    temporal = [n for n, t in frame.schema.items() if t.is_temporal()]
    nested = [n for n, t in frame.schema.items() if t.is_nested()]
    out = frame.drop(nested).with_columns(pl.col(temporal).cast(pl.String))
    return out.to_dicts()


def note(text: str | None, note_id: str) -> html.Div:
    """A small explanatory line (hidden when empty)."""
    return html.Div(text or "", id=note_id, className="page-note")


MALFORMED = (TypeError, ValueError, KeyError, AttributeError, IndexError)
"""What a callback raises when its inputs are not what the page sends (a forged request)."""


def guarded(function: Callable[P, T]) -> Callable[P, T]:
    """Wrap a callback: when the snapshot vanished mid-session, when the scope does not allow
    the question, or when the inputs are malformed (a hand-made request), leave the outputs as
    they are: no data, no error page, no stack trace. Only the callback's name and the error
    type reach the log, never the values."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return function(*args, **kwargs)
        except (NoSnapshot, data.NotAllowed) as exc:
            raise PreventUpdate from exc
        except MALFORMED as exc:
            log.warning("%s ignored malformed input (%s)", function.__name__, type(exc).__name__)
            raise PreventUpdate from exc

    return wrapper


def first_view(function: Callable[..., T], *args: Any) -> T | None:
    """What a page callback gives for ``args``, computed while the page's layout is built so
    the first view arrives drawn (the callback itself is ``prevent_initial_call``); None where
    the callback would leave its outputs as they are (no snapshot, not allowed, malformed).
    """
    try:
        return guarded(function)(*args)
    except PreventUpdate:
        return None


def snapshot_ready() -> bool:
    """True when a snapshot is published (pages show the no-data message otherwise)."""
    return current_snapshot().exists()
