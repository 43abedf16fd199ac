"""Coverage (``/coverage``): team × skill heatmap, gap bars, single points of failure, the
coverage trend, and a drill-down to who holds a skill and who is missing it."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, ctx, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import components, data, figures, filters, ids, shell
from dashboard.snapshot import current_snapshot

PATH = "/coverage"


def layout(**query: Any) -> Component:
    """The Coverage page, drawn for the filters its query names (the first view; the callbacks
    redraw it when the filters change)."""
    if not components.snapshot_ready():
        return components.no_data_alert()
    store = shell.first_store(query)
    heat = components.first_view(heatmap, store)
    return html.Div(
        [
            html.H2("Skill coverage", className="page-title mb-3"),
            components.note(heat[1] if heat else None, ids.COVERAGE_NOTE),
            dbc.Row(
                [
                    dbc.Col(
                        components.chart_card(
                            ids.COVERAGE_HEATMAP,
                            subtitle="Coverage % / target per team and required skill "
                            "(▼ below target); click a cell for the people",
                            figure=heat[0] if heat else None,
                        ),
                        lg=12,
                    )
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.chart_card(
                            ids.COVERAGE_GAPS,
                            subtitle="People short of target; click a bar for the people",
                            figure=components.first_view(gaps, store),
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        components.chart_card(
                            ids.COVERAGE_TREND,
                            subtitle="Coverage index at each month-end",
                            figure=components.first_view(trend, store),
                        ),
                        lg=6,
                    ),
                ],
                className="g-3 mb-3",
            ),
            dbc.Card(
                [
                    dbc.CardHeader(
                        html.Span(
                            "Single points of failure: required skills with exactly "
                            "one holder in the team",
                            className="text-muted small",
                        )
                    ),
                    dbc.CardBody(
                        components.data_grid(
                            ids.COVERAGE_SPOF,
                            height=300,
                            csv_name="single_points_of_failure.csv",
                            grid=components.first_view(spof, store),
                        )
                    ),
                ],
                className="mb-3",
            ),
            dbc.Offcanvas(
                [
                    html.Div(id=ids.COVERAGE_DRILL_TITLE, className="mb-2"),
                    html.H6("Holds the skill", className="mt-2"),
                    components.data_grid(ids.COVERAGE_HOLDERS, height=260, csv_name="holders.csv"),
                    html.H6("Missing it", className="mt-3"),
                    components.data_grid(ids.COVERAGE_MISSING, height=260, csv_name="missing.csv"),
                    html.Div(
                        [
                            dbc.Button(
                                "CSV of everyone",
                                id=ids.COVERAGE_DRILL_CSV,
                                size="sm",
                                color="secondary",
                                outline=True,
                                disabled=True,
                                title="Download every holder and every person missing the skill",
                            ),
                            dcc.Download(id=ids.COVERAGE_DRILL_DOWNLOAD),
                            dcc.Store(id=ids.COVERAGE_DRILL_KEY, data=None),
                        ],
                        className="mt-3",
                    ),
                ],
                id=ids.COVERAGE_DRILL,
                title="Who holds it",
                placement="end",
                is_open=False,
                style={"width": "640px"},
            ),
        ]
    )


def _context(store: dict[str, Any] | None) -> tuple[Any, data.Scope, filters.Filters]:
    if store is None:
        raise PreventUpdate
    return current_snapshot(), data.current_scope(), filters.from_store(store)


def history_note(db: Any, scope: data.Scope, chosen: filters.Filters) -> str:
    """Why a past as-of date may show nothing for the chosen team type."""
    selection = data.team_selection(
        chosen, scope, group_by_default="department", allowed=data.allowed_teams(db, scope)
    )
    info = data.snapshot_info(db)
    past = chosen.as_of is not None and chosen.as_of != info.as_of
    if past and selection.team_type not in ("all", "department"):
        label = data.TEAM_TYPE_LABELS[selection.team_type]
        return (
            f"Teams by {label} have no history: their coverage exists only for the "
            f"snapshot date ({info.as_of}). Clear the as-of date to see them."
        )
    return ""


def heatmap(store: dict[str, Any] | None) -> tuple[go.Figure, str]:
    """The team × skill heatmap and the page note."""
    db, scope, chosen = _context(store)
    cells = data.coverage_cells(db, scope, chosen)
    note = history_note(db, scope, chosen)
    if cells.height == 0:
        return figures.empty_figure(
            note or figures.NO_MATCH, title="Coverage by team and skill"
        ), note
    as_of = data.resolve_as_of(db, chosen).isoformat()
    return figures.coverage_heatmap(
        cells, data.k_anonymity(db), title=f"Coverage by team and skill on {as_of}"
    ), note


def gaps(store: dict[str, Any] | None) -> go.Figure:
    """Gap bars (people), biggest first."""
    db, scope, chosen = _context(store)
    return figures.gap_bars(
        data.biggest_gaps(db, scope, chosen, limit=25), title="Gaps to target (people)"
    )


def trend(store: dict[str, Any] | None) -> go.Figure:
    """Coverage index by month-end."""
    db, scope, chosen = _context(store)
    return figures.coverage_trend(data.coverage_trend(db, scope, chosen))


def spof(store: dict[str, Any] | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Single points of failure as grid rows and columns."""
    db, scope, chosen = _context(store)
    try:
        frame = data.single_points_of_failure(db, scope, chosen)
    except data.NotAllowed:
        return [], []
    if frame.height:
        frame = frame.select("team_label", "skill_name", "required", "full_name", "employee_id")
    return components.frame_records(frame), components.column_defs(frame)


DRILL_COLUMNS = ("full_name", "employee_id", "job_title", "department", "location")


def drill(
    heat_click: dict[str, Any] | None,
    gap_click: dict[str, Any] | None,
    store: dict[str, Any] | None,
) -> tuple[bool, Component, Any, Any, Any, Any, Any, bool]:
    """Open the drill-down for the clicked cell or bar: the first holders and the first people
    missing the skill (:data:`data.DRILL_ROWS` of each, by name), how many there are in all,
    and the CSV button for everyone.

    Returns:
        is_open, title, holders rows, holders columns, missing rows, missing columns, the
        open cell's key (for the CSV), and whether the CSV button is disabled.
    """
    click = heat_click if ctx.triggered_id == ids.COVERAGE_HEATMAP else gap_click
    key = clicked_key(click)
    if key is None:
        raise PreventUpdate
    team_type, team, skill_id, skill_name = key
    db, scope, chosen = _context(store)
    try:
        page = data.skill_people_page(db, scope, chosen, team_type, team, skill_id)
    except data.NotAllowed as exc:
        return True, html.P(str(exc)), [], [], [], [], None, True
    labels = data.team_labels(db)
    team_label = labels.get((team_type, team), team)
    holders = page.holders.select(DRILL_COLUMNS)
    missing = page.missing.select(DRILL_COLUMNS)
    info = data.snapshot_info(db)
    past = chosen.as_of is not None and chosen.as_of != info.as_of
    title = html.Div(
        [
            html.H5(f"{team_label} · {skill_name}"),
            html.P(
                f"{page.holders_total} of {page.total} people whose role requires it hold it "
                f"(as of {info.as_of}).",
                className="text-muted small mb-0",
                id="drill-summary",
            ),
            html.P(
                listed_note(page, holders.height, missing.height),
                className="small mb-0",
                id="drill-listed",
            )
            if holders.height < page.holders_total or missing.height < page.missing_total
            else None,
            html.P("People lists exist for the snapshot date only.", className="small mb-0")
            if past
            else None,
        ]
    )
    return (
        True,
        title,
        components.frame_records(holders),
        components.column_defs(holders),
        components.frame_records(missing),
        components.column_defs(missing),
        [team_type, team, skill_id, skill_name],
        False,
    )


def listed_note(page: data.SkillPeoplePage, holders_listed: int, missing_listed: int) -> str:
    """What a cut list shows: 'Listed by name: the first 200 of 1606 holders and the first
    200 of 8544 missing it; the CSV has everyone.'"""

    def part(listed: int, total: int, who: str) -> str:
        return f"the first {listed} of {total} {who}" if listed < total else f"all {total} {who}"

    return (
        f"Listed by name: {part(holders_listed, page.holders_total, 'holders')} and "
        f"{part(missing_listed, page.missing_total, 'missing it')}; the CSV has everyone."
    )


def drill_csv(
    n_clicks: int | None, key: list[str] | None, store: dict[str, Any] | None
) -> dict[str, Any]:
    """Everyone of the open drill-down (both lists, whole) as a CSV download."""
    if not n_clicks or not isinstance(key, list) or len(key) != 4:
        raise PreventUpdate
    team_type, team, skill_id, _ = (str(value) for value in key)
    db, scope, chosen = _context(store)
    text = data.skill_people_csv(db, scope, chosen, team_type, team, skill_id)
    return {"content": text, "filename": "skill_people.csv", "type": "text/csv"}


def clicked_key(click: dict[str, Any] | None) -> tuple[str, str, str, str] | None:
    """(team_type, team, skill_id, skill_name) from a heatmap or gap-bar clickData, or None."""
    if not isinstance(click, dict) or not isinstance(click.get("points"), list):
        return None
    point = click["points"][0] if click["points"] else None
    custom = point.get("customdata") if isinstance(point, dict) else None
    if not isinstance(custom, list) or len(custom) < 4 or not custom[2]:
        return None
    return str(custom[0]), str(custom[1]), str(custom[2]), str(custom[-1])


def register(app: dash.Dash) -> None:
    """Register the page and wire its callbacks to ``app``."""
    components.register_page(
        __name__,
        path=PATH,
        name="Coverage",
        title="Skillboard · Coverage",
        layout=layout,
        preload=components.AG_GRID_CHUNKS,
        order=1,
    )
    # The layout draws the first view: these run when the filters change.
    store = Input(ids.FILTERS_STORE, "data")
    later = {"prevent_initial_call": True}
    app.callback(
        Output(ids.COVERAGE_HEATMAP, "figure"),
        Output(ids.COVERAGE_NOTE, "children"),
        store,
        **later,
    )(components.guarded(heatmap))
    app.callback(Output(ids.COVERAGE_GAPS, "figure"), store, **later)(components.guarded(gaps))
    app.callback(Output(ids.COVERAGE_TREND, "figure"), store, **later)(components.guarded(trend))
    app.callback(
        Output(ids.COVERAGE_SPOF, "rowData"),
        Output(ids.COVERAGE_SPOF, "columnDefs"),
        store,
        **later,
    )(components.guarded(spof))
    app.callback(
        Output(ids.COVERAGE_DRILL, "is_open"),
        Output(ids.COVERAGE_DRILL_TITLE, "children"),
        Output(ids.COVERAGE_HOLDERS, "rowData"),
        Output(ids.COVERAGE_HOLDERS, "columnDefs"),
        Output(ids.COVERAGE_MISSING, "rowData"),
        Output(ids.COVERAGE_MISSING, "columnDefs"),
        Output(ids.COVERAGE_DRILL_KEY, "data"),
        Output(ids.COVERAGE_DRILL_CSV, "disabled"),
        Input(ids.COVERAGE_HEATMAP, "clickData"),
        Input(ids.COVERAGE_GAPS, "clickData"),
        dash.State(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )(components.guarded(drill))
    app.callback(
        Output(ids.COVERAGE_DRILL_DOWNLOAD, "data"),
        Input(ids.COVERAGE_DRILL_CSV, "n_clicks"),
        dash.State(ids.COVERAGE_DRILL_KEY, "data"),
        dash.State(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )(components.guarded(drill_csv))
