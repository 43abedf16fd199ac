"""The first view is drawn on the server: ``/_dash-layout`` holds the page, its filters and its
figures for the address in the request's ``Referer``, and the callbacks that would only redraw
it do not run on load.

Expected values come from the hand-made snapshot (tests/dashboard/snapshot_factory.py): active
headcount on 2026-10-31 is Sales 6, Engineering 7, Legal 2.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dash
import pytest
from dash._utils import to_json

from dashboard import access, audit, ids, prefetch, shell
from dashboard.pages import coverage, roi
from tests.dashboard.access_helpers import SECRET, login, secured_app, write_users

BASE = "http://localhost"


def layout_for(app: dash.Dash, address: str | None, client: Any = None) -> Any:
    """The JSON layout the browser gets while loading ``address`` (None: no Referer)."""
    client = client or app.server.test_client()
    headers = {"Referer": address} if address is not None else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def components(node: Any) -> Iterator[dict[str, Any]]:
    """Every component of a serialised layout."""
    if isinstance(node, dict):
        if isinstance(node.get("props"), dict) and "type" in node:
            yield node
        for value in node.values():
            yield from components(value)
    elif isinstance(node, list):
        for item in node:
            yield from components(item)


def props(layout: Any, component_id: Any) -> dict[str, Any]:
    """The props of the component with ``component_id``."""
    found = [c["props"] for c in components(layout) if c["props"].get("id") == component_id]
    assert len(found) == 1, f"{component_id!r} found {len(found)} times"
    return dict(found[0])


def test_layout_request_draws_the_page_with_the_filters_of_its_address(app: dash.Dash) -> None:
    """Loading /?department=Engineering: the headcount chart already holds one bar, Engineering
    with 7 people; the dropdown shows Engineering; the store and the nav links carry it; the
    headline says 7 people."""
    layout = layout_for(app, BASE + "/?department=Engineering")
    figure = props(layout, ids.OVERVIEW_HEADCOUNT)["figure"]
    assert figure["data"][0]["y"] == ["Engineering"] and figure["data"][0]["x"] == [7]
    assert "7 people" in json.dumps(props(layout, ids.KPI_HEADCOUNT)["children"])
    assert props(layout, ids.FILTER_DEPARTMENT)["value"] == ["Engineering"]
    assert {o["value"] for o in props(layout, ids.FILTER_DEPARTMENT)["options"]} == {
        "Engineering",
        "Legal",
        "Sales",
    }
    assert props(layout, ids.FILTERS_STORE)["data"]["department"] == ["Engineering"]
    assert props(layout, ids.QUERY_STORE)["data"] == "?department=Engineering"
    coverage_link = props(layout, {"type": ids.NAV_LINK, "path": "/coverage"})
    assert coverage_link["href"] == "/coverage?department=Engineering"
    assert not coverage_link["active"]
    assert props(layout, {"type": ids.NAV_LINK, "path": "/"})["active"]
    # The locations already hold the address: mounting them changes nothing, so neither Dash's
    # router nor the shell's URL callbacks run again.
    assert props(layout, shell.PAGES_LOCATION)["search"] == "?department=Engineering"
    assert props(layout, ids.URL)["pathname"] == "/"


def test_layout_without_a_referrer_is_the_bare_frame(app: dash.Dash) -> None:
    """No Referer (a script, a privacy setting): the page container is empty and the stores
    unset, as before; the location callbacks fill them once the browser mounts it."""
    layout = layout_for(app, None)
    assert props(layout, shell.PAGES_CONTENT).get("children") is None
    assert props(layout, ids.FILTERS_STORE)["data"] is None
    assert props(layout, ids.URL).get("pathname") is None


def test_referrer_from_another_site_or_an_unknown_path_is_not_drawn(app: dash.Dash) -> None:
    for address in ("http://elsewhere.example/?department=Sales", BASE + "/nowhere"):
        layout = layout_for(app, address)
        assert props(layout, ids.FILTERS_STORE)["data"] is None, address


def test_page_callbacks_do_not_run_on_load(app: dash.Dash) -> None:
    """Every server callback is prevent_initial_call: the layout draws the first view."""
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    on_load = {
        d["output"]
        for d in deps
        if not d.get("clientside_function") and not d["prevent_initial_call"]
    }
    assert on_load == set()


def test_roi_first_view_uses_the_etl_assumptions(app: dash.Dash) -> None:
    """/roi: the inputs hold the mart's assumptions (share 0.33, 60 per hour) and the chart
    P1's ROI under them, 249.4 % (as in test_roi_what_if_moves_roi_without_an_etl_run)."""
    layout = layout_for(app, BASE + "/roi")
    assert props(layout, ids.ROI_SHARE)["value"] == pytest.approx(0.33)
    assert props(layout, ids.ROI_RATE)["value"] == pytest.approx(60.0)
    figure = props(layout, ids.ROI_CHART)["figure"]
    assert figure["data"][0]["y"] == [pytest.approx(249.41176)]
    rows = props(layout, ids.ROI_TABLE)["rowData"]
    assert [r["program_name"] for r in rows] == ["Negotiation 101", "Python Bootcamp"]


def test_page_layout_from_the_router_is_drawn_for_its_query(app: dash.Dash) -> None:
    """Following a nav link, Dash's router calls the page's layout with the link's query
    parameters: Coverage for Engineering draws only Engineering's row of the heatmap."""
    layout = json.loads(to_json(coverage.layout(department="Engineering")))  # type: ignore[no-untyped-call]
    heatmap = props(layout, ids.COVERAGE_HEATMAP)["figure"]["data"][0]
    assert heatmap["y"] == ["Engineering"]


def test_roi_layout_for_two_departments_reads_both(app: dash.Dash) -> None:
    """A repeated parameter arrives as a list: both departments reach the store."""
    store = shell.first_store({"department": ["Sales", "Legal"], "as_of": "2026-09-30"})
    assert store["department"] == ["Sales", "Legal"] and store["as_of"] == "2026-09-30"
    assert roi.layout(department=["Sales", "Legal"]) is not None


def test_data_page_first_view_lists_the_newest_unmatched_awards(app: dash.Dash) -> None:
    """The ETL runs grid and the unmatched awards' grid are filled in the layout: the
    factory's 3 unmatched awards, newest first (a3 2026-01-03, a2, a1)."""
    layout = layout_for(app, BASE + "/data")
    assert props(layout, ids.DATA_RUNS)["rowData"]
    rows = props(layout, ids.DATA_UNMATCHED)["rowData"]
    assert [r["award_id"] for r in rows] == ["a3", "a2", "a1"]


def test_manager_first_view_stays_in_their_department(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sam manages Sales: a link naming Engineering draws Sales' own view (the department
    outside the scope is dropped from the filters, as the dropdowns drop it); the headcount
    chart has Sales' bar only."""
    monkeypatch.setenv(access.SECRET_ENV, SECRET)
    secured = secured_app(warehouse, write_users(tmp_path / "users.toml"))
    client = secured.server.test_client()
    login(client, "sam")
    layout = layout_for(secured, BASE + "/?department=Engineering", client)
    assert props(layout, ids.FILTERS_STORE)["data"]["department"] == []
    assert props(layout, ids.FILTER_DEPARTMENT)["value"] == []
    bars = props(layout, ids.OVERVIEW_HEADCOUNT)["figure"]["data"][0]
    assert bars["y"] == ["Sales"]
    secured.server.extensions["skillboard.snapshot"].close()


def test_page_request_starts_the_view_its_layout_request_takes(app: dash.Dash) -> None:
    """GET /coverage?department=Sales starts building that view; the /_dash-layout request
    that names the page in its Referer takes it (nothing is left waiting) and it holds Sales'
    heatmap row only."""
    client = app.server.test_client()
    early = app.server.extensions[prefetch.PREFETCH_EXTENSION]
    assert client.get("/coverage?department=Sales").status_code == 200
    assert early.waiting() == [(None, "/coverage", "?department=Sales")]
    layout = layout_for(app, BASE + "/coverage?department=Sales", client)
    assert early.waiting() == []
    assert props(layout, ids.COVERAGE_HEATMAP)["figure"]["data"][0]["y"] == ["Sales"]


def test_a_view_started_for_one_user_is_not_given_to_another(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sam (manager of Sales) loads /; hanna (hr) then asks for the layout of /: she gets her
    own view with all three departments (Engineering 7, Legal 2, Sales 6), and sam's stays
    waiting for him. The person list the Coverage page shows is audited under the name of
    whoever loaded it, even when built ahead in another thread."""
    monkeypatch.setenv(access.SECRET_ENV, SECRET)
    secured = secured_app(warehouse, write_users(tmp_path / "users.toml"))
    early = secured.server.extensions[prefetch.PREFETCH_EXTENSION]
    sam, hanna = secured.server.test_client(), secured.server.test_client()
    login(sam, "sam")
    login(hanna, "hanna")
    assert sam.get("/").status_code == 200
    layout = layout_for(secured, BASE + "/", hanna)
    bars = props(layout, ids.OVERVIEW_HEADCOUNT)["figure"]["data"][0]
    assert sorted(bars["y"]) == ["Engineering", "Legal", "Sales"]
    assert [key[1:] for key in early.waiting()] == [("/", "")]
    assert hanna.get("/coverage").status_code == 200
    layout_for(secured, BASE + "/coverage", hanna)
    events = list(audit.read_events(warehouse / "audit.jsonl"))
    spof = [e for e in events if e.get("list") == "single_points_of_failure"]
    assert [e["user"] for e in spof] == ["hanna"]
    secured.server.extensions["skillboard.snapshot"].close()


def test_pages_preload_the_code_their_first_view_loads_lazily(app: dash.Dash) -> None:
    """Every page's HTML asks for dcc's chart and dropdown chunks with the bundles
    (``<link rel="preload">``), at URLs the app serves; the pages with grids (Coverage, ROI,
    Data) also preload AG Grid's, the others (Overview, Retention) do not."""
    client = app.server.test_client()
    grid_chunk = "/_dash-component-suites/dash_ag_grid/async-community.js"
    for path, has_grid in (("/", False), ("/coverage", True), ("/roi", True), ("/data", True)):
        page = client.get(path).get_data(as_text=True)
        for chunk in ("dash/dcc/async-graph.js", "dash/dcc/async-dropdown.js"):
            assert (
                f'<link rel="preload" as="script" href="/_dash-component-suites/{chunk}">' in page
            )
        assert (f'href="{grid_chunk}"' in page) is has_grid, path
    for url in (grid_chunk, "/_dash-component-suites/dash/dcc/async-graph.js"):
        assert client.get(url).status_code == 200


def test_page_html_leaves_out_babels_polyfill_but_not_react(app: dash.Dash) -> None:
    """Dash lists @babel/polyfill before React; the page HTML drops that one script tag and
    keeps the rest (React, React DOM, the renderer)."""
    page = app.server.test_client().get("/coverage").get_data(as_text=True)
    assert "polyfill@" not in page
    for script in ("deps/react@", "deps/react-dom@", "dash_renderer"):
        assert script in page, script
