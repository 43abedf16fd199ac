"""The frame around every page: navigation, the global filter bar, the URL mirror, downloads.

Filter state flows one way: URL query -> dropdowns -> ``FILTERS_STORE`` -> page callbacks. A
filter change rewrites the address bar with ``history.replaceState`` (a clientside callback), so
a copied link or a reload reproduces the view without re-rendering the page; navigation links
carry the current query so the filters follow the person from page to page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import access, components, data, filters, ids
from dashboard.snapshot import NoSnapshot, current_snapshot

PAGES = (
    ("/", "Overview"),
    ("/coverage", "Coverage"),
    ("/roi", "Training ROI"),
    ("/retention", "Retention"),
    ("/data", "Data"),
)

FILTER_FIELDS = (
    ("department", ids.FILTER_DEPARTMENT, "Department"),
    ("team", ids.FILTER_TEAM, "Team (manager's org)"),
    ("location", ids.FILTER_LOCATION, "Location"),
    ("job_family", ids.FILTER_JOB_FAMILY, "Job family"),
    ("framework", ids.FILTER_FRAMEWORK, "Skill framework"),
)
TEAM_OPTIONS_SHOWN = 200
"""Team filter options sent with the page; the rest are found by typing (see shown_teams)."""


def navbar() -> dbc.Navbar:
    """The top bar: brand, one link per page, snapshot freshness."""
    links = [
        dbc.NavItem(dbc.NavLink(label, href=path, id={"type": ids.NAV_LINK, "path": path}))
        for path, label in PAGES
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Skillboard", href="/", className="fw-semibold"),
                dbc.Nav(links, navbar=True, className="me-auto", id=ids.NAV),
                html.Span(id=ids.FRESHNESS, className="navbar-text small"),
                html.Span(id=ids.USER_MENU),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        className="mb-3",
    )


def filter_bar() -> dbc.Card:
    """The global filters (their values come from the URL, their options from the snapshot)."""
    columns = [
        dbc.Col(
            [
                dbc.Label(label, html_for=component_id, className="filter-label"),
                dcc.Dropdown(id=component_id, multi=True, placeholder="All", options=[], value=[]),
            ],
            md=2,
        )
        for _, component_id, label in FILTER_FIELDS
    ]
    columns.append(
        dbc.Col(
            [
                dbc.Label("As of (month-end)", html_for=ids.FILTER_AS_OF, className="filter-label"),
                dcc.Dropdown(
                    id=ids.FILTER_AS_OF, placeholder="Latest snapshot", options=[], clearable=True
                ),
            ],
            md=2,
        )
    )
    return dbc.Card(
        dbc.CardBody(
            [
                dbc.Row(columns, className="g-2"),
                html.Div(
                    [
                        html.Div(id=ids.FILTER_NOTE, className="page-note"),
                        dbc.Button("Reset filters", id=ids.FILTER_RESET, color="link", size="sm"),
                    ],
                    className="d-flex justify-content-between align-items-center",
                ),
            ]
        ),
        className="filter-bar mb-3",
    )


def layout() -> html.Div:
    """The app's layout: nav, filters, stores and the page container."""
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.FILTERS_STORE, data=None),
            dcc.Store(id=ids.QUERY_STORE, data=None),
            dcc.Store(id=ids.URL_SYNC, data=None),
            navbar(),
            dbc.Container([filter_bar(), dash.page_container], fluid=True, className="pb-5"),
        ]
    )


# -- callbacks (plain functions; wired by register) ------------------------------------------


def options_and_values(search: str | None, _reset: int | None) -> tuple[Any, ...]:
    """Filter options from the snapshot and values from the URL (or cleared by Reset).

    Returns:
        five option lists, five value lists, the as-of options and the as-of value.
    """
    chosen = (
        filters.Filters() if ctx.triggered_id == ids.FILTER_RESET else filters.from_query(search)
    )
    try:
        db = current_snapshot()
        options = data.filter_options(db, data.current_scope())
        dates = data.as_of_dates(db)
    except NoSnapshot:
        options, dates = {}, []
    option_lists = [
        [{"label": o.label, "value": o.value} for o in options.get(field, [])]
        for field, _, _ in FILTER_FIELDS
    ]
    # A link may name teams outside the person's scope (or gone from the data): the dropdowns
    # keep only values they offer. The data layer ignores the others anyway.
    values = [
        [v for v in getattr(chosen, field) if v in {o.value for o in options.get(field, [])}]
        for field, _, _ in FILTER_FIELDS
    ]
    team = [field for field, _, _ in FILTER_FIELDS].index("team")
    option_lists[team] = shown_teams(option_lists[team], values[team], "")
    as_of_options = [{"label": d.isoformat(), "value": d.isoformat()} for d in dates]
    as_of = chosen.as_of.isoformat() if chosen.as_of else None
    return (*option_lists, *values, as_of_options, as_of)


def shown_teams(
    options: list[dict[str, str]], chosen: list[str], search: str
) -> list[dict[str, str]]:
    """The team options sent to the browser: the chosen ones, then those whose label contains
    ``search``, at most TEAM_OPTIONS_SHOWN. Every manager's org is a team (6,000 at 50,000
    employees, 63,000 at 500,000): sending them all made the browser spend seconds building the
    dropdown before the first chart could load (docs/benchmarks.md). Typing searches them all."""
    if len(options) <= TEAM_OPTIONS_SHOWN:
        return options
    needle = search.strip().lower()
    picked = [o for o in options if o["value"] in chosen]
    matches = (o for o in options if needle in o["label"].lower() and o["value"] not in chosen)
    for option in matches:
        if len(picked) >= TEAM_OPTIONS_SHOWN:
            break
        picked.append(option)
    return picked


def team_search(search: str | None, chosen: list[str] | None) -> list[dict[str, str]]:
    """Team options matching what the person types in the team filter."""
    if search is None:
        raise PreventUpdate
    try:
        options = data.filter_options(current_snapshot(), data.current_scope()).get("team", [])
    except NoSnapshot:
        options = []
    every = [{"label": o.label, "value": o.value} for o in options]
    return shown_teams(every, list(chosen or []), search)


def store_filters(*values: Any) -> tuple[dict[str, Any], str]:
    """Dropdown values -> the filter store and the query string."""
    *lists, as_of = values
    picked = filters.from_store(
        {field: v for (field, _, _), v in zip(FILTER_FIELDS, lists, strict=True)}
    )
    chosen = in_scope(replace(picked, as_of=filters.parse_date(as_of)))
    return filters.to_store(chosen), filters.to_query(chosen)


def in_scope(chosen: filters.Filters) -> filters.Filters:
    """The filters without values the dropdowns do not offer (outside the person's scope, or
    gone from the data); unchanged when there is no snapshot to ask."""
    try:
        options = data.filter_options(current_snapshot(), data.current_scope())
    except NoSnapshot:
        return chosen
    kept = {
        field: tuple(
            v for v in getattr(chosen, field) if v in {o.value for o in options.get(field, [])}
        )
        for field, _, _ in FILTER_FIELDS
    }
    return filters.Filters(**kept, as_of=chosen.as_of)


def nav_state(query: str | None, pathname: str | None) -> tuple[list[str], list[bool]]:
    """Navigation hrefs carrying the filters, and which link is active."""
    paths = [output["id"]["path"] for output in ctx.outputs_list[0]]
    # Rebuilt from the filters it names (inside the scope), never echoed as sent.
    query = filters.to_query(in_scope(filters.from_query(query)))
    hrefs = [path + query for path in paths]
    active = [path == (pathname or "/") for path in paths]
    return hrefs, active


def freshness(_pathname: str | None) -> str:
    """'Data as of 2026-10-31 · built 3 h ago' for the nav bar."""
    try:
        info = data.snapshot_info(current_snapshot())
    except NoSnapshot:
        return "No data yet"
    return freshness_text(info)


def freshness_text(info: data.SnapshotInfo, now: dt.datetime | None = None) -> str:
    """The freshness line for a snapshot."""
    parts = []
    if info.as_of:
        parts.append(f"data as of {info.as_of.isoformat()}")
    age = info.age(now)
    if age is not None:
        parts.append(f"built {human_age(age)} ago")
    return " · ".join(parts) or "snapshot date unknown"


def human_age(age: dt.timedelta) -> str:
    """A rough age: '45 min', '3 h', '2 days'."""
    minutes = max(int(age.total_seconds() // 60), 0)
    if minutes < 90:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def download_csv(n_clicks: int | None, store: dict[str, Any] | None) -> dict[str, Any]:
    """The CSV of the clicked chart's data, queried again with the current filters."""
    if not n_clicks:
        raise PreventUpdate
    chart_id = str(ctx.triggered_id["chart"]) if ctx.triggered_id else ""
    return chart_csv_download(chart_id, store)


def chart_csv_download(chart_id: str, store: dict[str, Any] | None) -> dict[str, Any]:
    """dcc.Download data for one chart id and filter store."""
    chosen = filters.from_store(store)
    text = data.chart_csv(current_snapshot(), data.current_scope(), chosen, chart_id)
    suffix = chosen.as_of.isoformat() if chosen.as_of else "latest"
    return {"content": text, "filename": f"{chart_id}_{suffix}.csv", "type": "text/csv"}


def filter_note(store: dict[str, Any] | None) -> str:
    """Explain how combined filters apply to pre-computed team aggregates."""
    scope = data.current_scope()
    try:
        allowed = data.allowed_teams(current_snapshot(), scope)
    except NoSnapshot:
        allowed = None
    selection = data.team_selection(filters.from_store(store), scope, allowed=allowed)
    return selection.note or ""


def user_menu(_pathname: str | None) -> Any:
    """Who is logged in, their role, and the logout link (nothing in the open demo)."""
    _, user = access.request_identity()
    if user is None:
        return None
    return html.Span(
        [
            html.Span(f"{user.name} · {user.role}", id=ids.USER_NAME, className="me-2"),
            html.A("Log out", href="/logout", id=ids.LOGOUT, className="link-light"),
        ],
        className="navbar-text small ms-3",
    )


REPLACE_URL = """
function(query) {
    if (query === null || query === undefined) { return window.dash_clientside.no_update; }
    var target = window.location.pathname + query;
    if (target !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", target);
    }
    return query;
}
"""


def register(app: dash.Dash) -> None:
    """Wire the shell's callbacks to ``app``."""
    field_ids = [component_id for _, component_id, _ in FILTER_FIELDS]
    app.callback(
        [Output(i, "options") for i in field_ids]
        + [Output(i, "value") for i in field_ids]
        + [Output(ids.FILTER_AS_OF, "options"), Output(ids.FILTER_AS_OF, "value")],
        Input(ids.URL, "search"),
        Input(ids.FILTER_RESET, "n_clicks"),
    )(components.guarded(options_and_values))
    app.callback(
        Output(ids.FILTER_TEAM, "options", allow_duplicate=True),
        Input(ids.FILTER_TEAM, "search_value"),
        State(ids.FILTER_TEAM, "value"),
        prevent_initial_call=True,
    )(components.guarded(team_search))
    app.callback(
        Output(ids.FILTERS_STORE, "data"),
        Output(ids.QUERY_STORE, "data"),
        [Input(i, "value") for i in field_ids] + [Input(ids.FILTER_AS_OF, "value")],
    )(components.guarded(store_filters))
    app.callback(
        Output({"type": ids.NAV_LINK, "path": ALL}, "href"),
        Output({"type": ids.NAV_LINK, "path": ALL}, "active"),
        Input(ids.QUERY_STORE, "data"),
        Input(ids.URL, "pathname"),
    )(components.guarded(nav_state))
    app.callback(Output(ids.FRESHNESS, "children"), Input(ids.URL, "pathname"))(
        components.guarded(freshness)
    )
    app.callback(Output(ids.USER_MENU, "children"), Input(ids.URL, "pathname"))(
        components.guarded(user_menu)
    )
    app.callback(Output(ids.FILTER_NOTE, "children"), Input(ids.FILTERS_STORE, "data"))(
        components.guarded(filter_note)
    )
    app.callback(
        Output({"type": ids.CSV_DOWNLOAD, "chart": MATCH}, "data"),
        Input({"type": ids.CSV_BUTTON, "chart": MATCH}, "n_clicks"),
        State(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )(components.guarded(download_csv))
    app.clientside_callback(  # type: ignore[no-untyped-call]
        REPLACE_URL, Output(ids.URL_SYNC, "data"), Input(ids.QUERY_STORE, "data")
    )
