"""The frame around every page: navigation, the global filter bar, the URL mirror, downloads.

Filter state flows one way: URL query -> dropdowns -> ``FILTERS_STORE`` -> page callbacks. A
filter change rewrites the address bar with ``history.replaceState`` (a clientside callback), so
a copied link or a reload reproduces the view without re-rendering the page; navigation links
carry the current query so the filters follow the person from page to page.

The first view is drawn on the server: :func:`layout` is called for the browser's
``/_dash-layout`` request, reads the page's address from its ``Referer`` and returns the whole
view (dropdowns filled, stores set, the page with its figures), so the browser draws it without
a callback. Every callback that would only recompute what the layout already holds is
``prevent_initial_call``; they run when something changes. Chained on first load, those round
trips (URL -> dropdowns + page -> store -> charts, each waiting for the one before) took most
of a second of a 2.5 s first render at scale M. Without a usable ``Referer`` the layout is the
bare frame and the same callbacks fill it in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast
from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc
import flask
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate

from dashboard import access, components, data, filters, ids, prefetch
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
PAGE_PATHS = frozenset(path for path, _ in PAGES)
# The ids inside dash.page_container (Dash's router callback writes to them).
PAGES_LOCATION = "_pages_location"
PAGES_CONTENT = "_pages_content"
PAGES_STORE = "_pages_store"
PAGES_DUMMY = "_pages_dummy"
TEAM_OPTIONS_SHOWN = 200
"""Team filter options sent with the page; the rest are found by typing (see shown_teams)."""


def navbar(view: FirstView | None = None) -> dbc.Navbar:
    """The top bar: brand, one link per page, snapshot freshness (filled in for ``view``)."""
    query = view.query if view else ""
    links = [
        dbc.NavItem(
            dbc.NavLink(
                label,
                href=path + query,
                active=view is not None and path == view.pathname,
                id={"type": ids.NAV_LINK, "path": path},
            )
        )
        for path, label in PAGES
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Skillboard", href="/", className="fw-semibold"),
                dbc.Nav(links, navbar=True, className="me-auto", id=ids.NAV),
                html.Span(
                    freshness(view.pathname) if view else None,
                    id=ids.FRESHNESS,
                    className="navbar-text small",
                ),
                html.Span(user_menu(view.pathname) if view else None, id=ids.USER_MENU),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        className="mb-3",
    )


def filter_bar(view: FirstView | None = None) -> dbc.Card:
    """The global filters (their values come from the URL, their options from the snapshot);
    filled in for ``view``, empty until :func:`options_and_values` runs otherwise."""
    state = filter_state(view.search, reset=False) if view else None
    columns = [
        dbc.Col(
            [
                dbc.Label(label, html_for=component_id, className="filter-label"),
                dcc.Dropdown(
                    id=component_id,
                    multi=True,
                    placeholder="All",
                    options=state[i] if state else [],
                    value=state[len(FILTER_FIELDS) + i] if state else [],
                ),
            ],
            md=2,
        )
        for i, (_, component_id, label) in enumerate(FILTER_FIELDS)
    ]
    columns.append(
        dbc.Col(
            [
                dbc.Label("As of (month-end)", html_for=ids.FILTER_AS_OF, className="filter-label"),
                dcc.Dropdown(
                    id=ids.FILTER_AS_OF,
                    placeholder="Latest snapshot",
                    options=state[-2] if state else [],
                    value=state[-1] if state else None,
                    clearable=True,
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
                        html.Div(
                            filter_note(view.store) if view else None,
                            id=ids.FILTER_NOTE,
                            className="page-note",
                        ),
                        dbc.Button("Reset filters", id=ids.FILTER_RESET, color="link", size="sm"),
                    ],
                    className="d-flex justify-content-between align-items-center",
                ),
            ]
        ),
        className="filter-bar mb-3",
    )


@dataclass(frozen=True)
class FirstView:
    """The page a browser is loading, and the filters its address names (inside the scope)."""

    pathname: str
    search: str
    """The address's query string as sent (``""`` or ``"?..."``)."""
    store: dict[str, Any]
    """What ``FILTERS_STORE`` holds for it."""
    query: str
    """What ``QUERY_STORE`` holds for it: the filters rebuilt, never echoed as sent."""


def first_store(query: dict[str, Any]) -> dict[str, Any]:
    """The filter store a page's first view is drawn with, from the query parameters Dash
    passes to a page layout (a value, or a list for a repeated parameter): the same filters
    :func:`store_filters` would put in the store once the dropdowns are filled."""
    return filters.to_store(in_scope(filters.from_params(query)))


def requested_view() -> FirstView | None:
    """The page this ``/_dash-layout`` request is for, from its ``Referer`` (the page's own
    address: the app sends ``Referrer-Policy: same-origin``); None outside such a request, or
    when the referrer is missing, from another site or names no page."""
    if not flask.has_request_context() or not flask.request.path.endswith("_dash-layout"):
        return None
    referrer = urlsplit(flask.request.referrer or "")
    if referrer.netloc != flask.request.host:
        return None  # another site (or no referrer at all)
    return view_of(referrer.path or "/", f"?{referrer.query}" if referrer.query else "")


def view_of(pathname: str, search: str) -> FirstView | None:
    """The first view of a page address; None for a path Dash's router resolves (a 404)."""
    if pathname not in PAGE_PATHS:
        return None
    chosen = in_scope(filters.from_query(search))
    return FirstView(pathname, search, filters.to_store(chosen), filters.to_query(chosen))


def prefetch_key(pathname: str, search: str) -> tuple[Any, ...]:
    """Who asks for which address: a view built for one user is never given to another."""
    _, user = access.request_identity()
    who = (user.name, user.session_tag()) if user is not None else None
    return (who, pathname, search)


def prefetch_first_view() -> None:
    """Before a page's HTML is served: start building the view its ``/_dash-layout`` request
    will ask for about a second later (see :mod:`dashboard.prefetch`)."""
    request = flask.request
    early = prefetch.current()
    if early is None or request.method != "GET" or request.path not in PAGE_PATHS:
        return
    search = f"?{request.query_string.decode('latin-1')}" if request.query_string else ""
    pathname = request.path
    early.start(prefetch_key(pathname, search), lambda: frame(view_of(pathname, search)))


def page_container(view: FirstView | None) -> Component:
    """``dash.page_container`` with the requested page already in it.

    The location component carries the page's address, so it reports no change when it
    mounts and Dash's router (``prevent_initial_call``) does not draw the page a second time.
    """
    if view is None:
        return cast(Component, dash.page_container)
    page = next(p for p in dash.page_registry.values() if p["path"] == view.pathname)
    content = page["layout"](**filters.query_params(view.search))
    return html.Div(
        [
            dcc.Location(
                id=PAGES_LOCATION,
                refresh="callback-nav",
                pathname=view.pathname,
                search=view.search,
            ),
            html.Div(content, id=PAGES_CONTENT, disable_n_clicks=True),
            dcc.Store(id=PAGES_STORE, data={"title": page["title"]}),
            html.Div(id=PAGES_DUMMY, disable_n_clicks=True),
        ]
    )


def layout() -> html.Div:
    """The app's layout: nav, filters, stores and the page container; for a browser loading a
    page (see :func:`requested_view`) all of them drawn for that page and its filters, taken
    from :mod:`dashboard.prefetch` when the page's HTML request started it."""
    view = requested_view()
    early = prefetch.current() if view is not None else None
    if view is not None and early is not None:
        built = early.take(prefetch_key(view.pathname, view.search))
        if isinstance(built, html.Div):
            return built
    return frame(view)


def frame(view: FirstView | None) -> html.Div:
    """The layout drawn for ``view`` (None: the bare frame the callbacks fill in)."""
    return html.Div(
        [
            dcc.Location(
                id=ids.URL,
                refresh=False,
                pathname=view.pathname if view else None,
                search=view.search if view else None,
            ),
            dcc.Store(id=ids.FILTERS_STORE, data=view.store if view else None),
            dcc.Store(id=ids.QUERY_STORE, data=view.query if view else None),
            dcc.Store(id=ids.URL_SYNC, data=None),
            navbar(view),
            dbc.Container([filter_bar(view), page_container(view)], fluid=True, className="pb-5"),
        ]
    )


# -- callbacks (plain functions; wired by register) ------------------------------------------


def options_and_values(search: str | None, _reset: int | None) -> tuple[Any, ...]:
    """Filter options from the snapshot and values from the URL (or cleared by Reset).

    Returns:
        five option lists, five value lists, the as-of options and the as-of value.
    """
    return filter_state(search, reset=ctx.triggered_id == ids.FILTER_RESET)


def filter_state(search: str | None, *, reset: bool) -> tuple[Any, ...]:
    """What :func:`options_and_values` returns, outside a callback (the first view's layout)."""
    chosen = filters.Filters() if reset else filters.from_query(search)
    try:
        db = current_snapshot()
        options = data.filter_options(db, data.current_scope())
        dates = data.as_of_dates(db)
    except NoSnapshot:
        options, dates = {}, []
    # A link may name teams outside the person's scope (or gone from the data): the dropdowns
    # keep only values they offer. The data layer ignores the others anyway.
    kept = _offered_only(chosen, options)
    values = [list(getattr(kept, field)) for field, _, _ in FILTER_FIELDS]
    option_lists = [
        shown_teams(options.get(field, []), list(kept.team), "")
        if field == "team"
        else _dropdown(options.get(field, []))
        for field, _, _ in FILTER_FIELDS
    ]
    as_of_options = [{"label": d.isoformat(), "value": d.isoformat()} for d in dates]
    as_of = chosen.as_of.isoformat() if chosen.as_of else None
    return (*option_lists, *values, as_of_options, as_of)


def shown_teams(
    options: Sequence[data.Option], chosen: list[str], search: str
) -> list[dict[str, str]]:
    """The team options sent to the browser: the chosen ones, then those whose label contains
    ``search``, at most TEAM_OPTIONS_SHOWN. Every manager's org is a team (6,000 at 50,000
    employees, 63,000 at 500,000): sending them all made the browser spend seconds building the
    dropdown before the first chart could load (docs/benchmarks.md). Typing searches them all.
    Only the options sent are turned into the dropdown's dicts."""
    if len(options) <= TEAM_OPTIONS_SHOWN:
        return _dropdown(options)
    wanted = set(chosen)
    needle = search.strip().lower()
    picked = [o for o in options if o.value in wanted]
    matches = (o for o in options if needle in o.label.lower() and o.value not in wanted)
    for option in matches:
        if len(picked) >= TEAM_OPTIONS_SHOWN:
            break
        picked.append(option)
    return _dropdown(picked)


def _dropdown(options: Iterable[data.Option]) -> list[dict[str, str]]:
    return [{"label": o.label, "value": o.value} for o in options]


def team_search(search: str | None, chosen: list[str] | None) -> list[dict[str, str]]:
    """Team options matching what the person types in the team filter."""
    if search is None:
        raise PreventUpdate
    try:
        options = data.filter_options(current_snapshot(), data.current_scope()).get("team", [])
    except NoSnapshot:
        options = []
    return shown_teams(options, list(chosen or []), search)


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
    return _offered_only(chosen, options)


def _offered_only(
    chosen: filters.Filters, options: dict[str, list[data.Option]]
) -> filters.Filters:
    """``chosen`` without the values ``options`` does not offer. A field's options are made a
    set once, and only when something is chosen in it: at 500,000 employees the team filter
    offers 63,000 teams."""
    kept: dict[str, tuple[str, ...]] = {}
    for field, _, _ in FILTER_FIELDS:
        values = getattr(chosen, field)
        if values:
            offered = {o.value for o in options.get(field, [])}
            values = tuple(v for v in values if v in offered)
        kept[field] = values
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
        prevent_initial_call=True,  # the first view's layout holds them (see the docstring)
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
        prevent_initial_call=True,
    )(components.guarded(store_filters))
    app.callback(
        Output({"type": ids.NAV_LINK, "path": ALL}, "href"),
        Output({"type": ids.NAV_LINK, "path": ALL}, "active"),
        Input(ids.QUERY_STORE, "data"),
        Input(ids.URL, "pathname"),
        prevent_initial_call=True,
    )(components.guarded(nav_state))
    app.callback(
        Output(ids.FRESHNESS, "children"), Input(ids.URL, "pathname"), prevent_initial_call=True
    )(components.guarded(freshness))
    app.callback(
        Output(ids.USER_MENU, "children"), Input(ids.URL, "pathname"), prevent_initial_call=True
    )(components.guarded(user_menu))
    app.callback(
        Output(ids.FILTER_NOTE, "children"),
        Input(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )(components.guarded(filter_note))
    app.callback(
        Output({"type": ids.CSV_DOWNLOAD, "chart": MATCH}, "data"),
        Input({"type": ids.CSV_BUTTON, "chart": MATCH}, "n_clicks"),
        State(ids.FILTERS_STORE, "data"),
        prevent_initial_call=True,
    )(components.guarded(download_csv))
    app.clientside_callback(  # type: ignore[no-untyped-call]
        REPLACE_URL, Output(ids.URL_SYNC, "data"), Input(ids.QUERY_STORE, "data")
    )
