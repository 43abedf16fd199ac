"""The real app in headless Chromium over a snapshot built by the real pipeline.

For each page: it renders with data, a filter change updates the chart's data and the URL, a
drill-down opens with the right people, a CSV download has the right rows, and the console has
no errors (checked by the ``page`` fixture). Screenshots land in docs/screenshots/.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import polars as pl
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from plotly.offline import get_plotlyjs_version

from dashboard import data, ids, whatif
from dashboard.filters import Filters
from dashboard.snapshot import Snapshot

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
EVERYONE = data.Scope.everything()
RENDER_TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def db(real_warehouse: Path) -> Any:
    snapshot = Snapshot(real_warehouse / "skillboard.duckdb")
    yield snapshot
    snapshot.close()


def graph_data(page: Any, graph_id: str) -> list[dict[str, Any]]:
    """The plotly traces currently drawn in a dcc.Graph."""
    return list(
        page.evaluate(
            "(id) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
            " return g && g.data ? JSON.parse(JSON.stringify(g.data)) : null; }",
            graph_id,
        )
        or []
    )


def wait_for_graph(page: Any, graph_id: str, predicate: str = "d.length > 0") -> None:
    page.wait_for_function(
        "([id, pred]) => { const g = document.querySelector('#' + id + ' .js-plotly-plot');"
        " if (!g || !g.data) return false; const d = g.data;"
        " try { return Boolean(eval(pred)); } catch (e) { return false; } }",
        arg=[graph_id, predicate],
        timeout=30000,
    )


def open_page(page: Any, url: str, graph_id: str) -> float:
    started = time.perf_counter()
    page.goto(url)
    wait_for_graph(page, graph_id)
    elapsed = time.perf_counter() - started
    RENDER_TIMES[urlparse(url).path] = elapsed
    return elapsed


def choose(page: Any, dropdown_id: str, label: str) -> None:
    """Pick one option of a global filter dropdown, as a person would (who clicks again when
    the list did not open: under load a modal closing just before can swallow the first)."""
    option = page.locator("[role=option]", has_text=label).first
    for _ in range(3):
        page.click(f"#{dropdown_id}")
        try:
            option.wait_for(state="visible", timeout=5000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    option.click()
    page.keyboard.press("Escape")


def download_csv(page: Any, chart_id: str, tmp_path: Path) -> str:
    with page.expect_download() as info:
        page.click(f"button[id*='{chart_id}']")
    target = tmp_path / f"{chart_id}.csv"
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


def grid_ids(page: Any, grid_id: str, expected: int) -> list[str]:
    """Every employee_id in an AG Grid (all pages), once it holds ``expected`` rows."""
    script = (
        "(id) => { const api = window.dash_ag_grid && dash_ag_grid.getApi(id);"
        " if (!api) return null; const ids = [];"
        " api.forEachNode(n => ids.push(n.data.employee_id)); return ids; }"
    )
    page.wait_for_function(
        f"(id) => {{ const r = ({script})(id); return r && r.length === {expected}; }}",
        arg=grid_id,
        timeout=15000,
    )
    return sorted(page.evaluate(script, grid_id))


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_overview_headcount_follows_the_department_filter(
    server: Any, page: Any, db: Any, tmp_path: Path
) -> None:
    open_page(page, server.url + "/", "overview-headcount")
    expected = data.headcount_by_department(db, EVERYONE, Filters())
    bars = graph_data(page, "overview-headcount")[0]
    assert sorted(bars["y"]) == sorted(expected["department"].to_list())
    wait_for_graph(page, "overview-gaps")
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "overview.png"))

    department = expected.filter(~pl.col("suppressed")).sort("headcount")["department"][-1]
    choose(page, "shell-filter-department", department)
    wait_for_graph(
        page, "overview-headcount", f"d[0].y.length === 1 && d[0].y[0] === {department!r}"
    )
    count = expected.filter(pl.col("department") == department)["headcount"][0]
    assert graph_data(page, "overview-headcount")[0]["x"] == [count]
    assert query_of(page) == {"department": [department]}

    page.reload()  # the URL restores the view
    wait_for_graph(
        page, "overview-headcount", f"d[0].y.length === 1 && d[0].y[0] === {department!r}"
    )
    assert department in page.inner_text("#shell-filter-department")

    csv = download_csv(page, "overview-headcount", tmp_path)
    assert csv == data.chart_csv(
        db, EVERYONE, Filters(department=(department,)), "overview-headcount"
    )


def test_charts_are_drawn_by_the_vendored_plotly_bundle(server: Any, page: Any) -> None:
    """dcc.Graph uses the window.Plotly the page's assets defined: plotly.py's full bundle
    (plotly.min.js, three times the size) is never fetched."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    open_page(page, server.url + "/retention", "retention-km")
    assert any("/assets/20-plotly-bar-heatmap.min.js" in url for url in fetched)
    assert not any("plotly.min.js" in url for url in fetched), fetched
    assert page.evaluate("window.Plotly.version") == get_plotlyjs_version()


MARGINS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((g) => {
    const given = g.layout.margin, drawn = g._fullLayout._size;
    return [g.parentNode.id, [given.l, given.r, given.b], [drawn.l, drawn.r, drawn.b]];
})"""


@pytest.mark.parametrize(
    ("path", "graph_id"),
    [
        ("/", "overview-attrition"),
        ("/coverage", "coverage-trend"),
        ("/roi", "roi-chart"),
        ("/retention", "retention-attrition"),
        ("/data", "data-unmatched-chart"),
    ],
)
def test_chart_margins_fit_their_labels_so_each_chart_is_drawn_once(
    server: Any, page: Any, path: str, graph_id: str
) -> None:
    """plotly.js grows a margin its tick labels do not fit (automargin) by drawing the chart
    again. The margins the server worked out (dashboard.margins) are the ones drawn: none grew,
    so no chart was drawn twice."""
    open_page(page, server.url + path, graph_id)
    charts = page.evaluate(MARGINS_JS)
    assert charts, "no chart on the page"
    for chart_id, given, drawn in charts:
        assert drawn == given, f"{chart_id}: plotly grew the margins {given} to {drawn}"


def test_copied_link_reproduces_a_filtered_view(server: Any, page: Any, db: Any) -> None:
    link = server.url + "/?location=" + data.filter_options(db, EVERYONE)["location"][0].value
    open_page(page, link, "overview-headcount")
    location = data.filter_options(db, EVERYONE)["location"][0].value
    expected = data.headcount_by_department(db, EVERYONE, Filters(location=(location,)))
    wait_for_graph(page, "overview-headcount", f"d[0].y.length === {expected.height}")
    assert sorted(graph_data(page, "overview-headcount")[0]["y"]) == sorted(
        expected["department"].to_list()
    )


def test_first_view_is_drawn_without_a_callback(server: Any, page: Any, db: Any) -> None:
    """Loading /coverage?department=<the first department>: the heatmap arrives drawn for that
    department in the page's layout; no POST to /_dash-update-component fills it, nor the
    filters, the store or the page (the chain URL -> dropdowns -> store -> charts that took
    three round trips). Its rows are the department's coverage cells from the data layer."""
    department = data.filter_options(db, EVERYONE)["department"][0].value
    posted: list[str] = []
    page.on(
        "request",
        lambda r: posted.append(r.post_data or "") if "_dash-update-component" in r.url else None,
    )
    open_page(page, server.url + "/coverage?department=" + department, "coverage-heatmap")
    wait_for_graph(page, "coverage-trend")
    heatmap = graph_data(page, "coverage-heatmap")[0]
    assert set(heatmap["y"]) == {department}
    redrawn = [
        body
        for body in posted
        for output in ("coverage-heatmap", "shell-filters", "shell-filter-department", "_pages")
        if output in body
    ]
    assert redrawn == []
    assert department in page.inner_text("#shell-filter-department")


def test_nav_link_draws_the_next_page_with_the_filters(server: Any, page: Any, db: Any) -> None:
    """From the Overview filtered to one department, the Retention link opens that page drawn
    for the same department (Dash's router calls its layout with the link's query)."""
    department = data.filter_options(db, EVERYONE)["department"][0].value
    open_page(page, server.url + "/?department=" + department, "overview-headcount")
    page.click("#shell-nav a[href^='/retention']")
    wait_for_graph(page, "retention-rates")
    assert set(graph_data(page, "retention-rates")[0]["x"]) == {department}
    assert query_of(page) == {"department": [department]}


def test_without_a_referrer_the_callbacks_draw_the_view(server: Any, page: Any, db: Any) -> None:
    """A browser that sends no Referer gets the bare frame from /_dash-layout; mounting the
    URL components runs the chain URL -> dropdowns -> store -> charts, and the Overview still
    ends up drawn for the department of the address."""
    department = data.filter_options(db, EVERYONE)["department"][0].value

    def without_referrer(route: Any) -> None:
        # Fetched by Playwright itself: the browser would add the Referer back.
        headers = {k: v for k, v in route.request.headers.items() if k.lower() != "referer"}
        route.fulfill(response=route.fetch(headers=headers))

    posted: list[str] = []
    page.on(
        "request",
        lambda r: posted.append(r.post_data or "") if "_dash-update-component" in r.url else None,
    )
    page.route("**/_dash-layout", without_referrer)
    open_page(page, server.url + "/?department=" + department, "overview-headcount")
    wait_for_graph(
        page, "overview-headcount", f"d[0].y.length === 1 && d[0].y[0] === {department!r}"
    )
    assert department in page.inner_text("#shell-filter-department")
    assert any("shell-filters.data" in body for body in posted)  # the chain did run


def test_coverage_heatmap_filter_drill_down_and_csv(
    server: Any, page: Any, db: Any, tmp_path: Path
) -> None:
    open_page(page, server.url + "/coverage", "coverage-heatmap")
    wait_for_graph(page, "coverage-gaps")
    heatmap = graph_data(page, "coverage-heatmap")[0]
    cells = data.coverage_cells(db, EVERYONE, Filters())
    assert sorted(heatmap["y"]) == sorted(cells["team_label"].unique().to_list())
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "coverage.png"))

    # drill-down: click the biggest gap bar (drawn last, on top)
    bars = graph_data(page, "coverage-gaps")[0]
    team_type, team, skill_id = bars["customdata"][-1][:3]
    bar = page.locator("#coverage-gaps .bars path").last
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#coverage-drill.show", timeout=15000)
    people = data.skill_people(db, EVERYONE, Filters(), team_type, team, skill_id)
    holders = people.filter(pl.col("status") == "holds").height
    missing = people.filter(pl.col("status") == "missing").height
    summary = page.inner_text("#drill-summary")
    assert summary.startswith(f"{holders} of {holders + missing} people")
    for grid, status in (("coverage-holders", "holds"), ("coverage-missing", "missing")):
        # the panel lists the first DRILL_ROWS of each status by name; the CSV has everyone
        listed = (
            people.filter(pl.col("status") == status)
            .sort("full_name", "employee_id")
            .head(data.DRILL_ROWS)
        )
        expected_ids = sorted(listed["employee_id"])
        assert grid_ids(page, grid, len(expected_ids)) == expected_ids
    with page.expect_download() as info:
        page.click("#coverage-drill-csv")
    target = tmp_path / "skill_people.csv"
    info.value.save_as(target)
    assert target.read_text(encoding="utf-8") == data.skill_people_csv(
        db, EVERYONE, Filters(), team_type, team, skill_id
    )
    page.keyboard.press("Escape")

    csv = download_csv(page, "coverage-gaps", tmp_path)
    assert csv == data.chart_csv(db, EVERYONE, Filters(), "coverage-gaps")

    department = cells["team"].unique().sort()[0]
    choose(page, "shell-filter-department", department)
    wait_for_graph(page, "coverage-heatmap", f"d[0].y.length === 1 && d[0].y[0] === {department!r}")
    assert query_of(page) == {"department": [department]}


def test_roi_what_if_moves_roi(server: Any, page: Any, db: Any, tmp_path: Path) -> None:
    open_page(page, server.url + "/roi", "roi-chart")
    frame = data.training_roi(db, EVERYONE, Filters())
    shown = frame.filter(~pl.col("suppressed") & pl.col("roi_pct").is_not_null())
    roi = graph_data(page, "roi-chart")[0]
    assert roi["y"] == pytest.approx(shown["roi_pct"].to_list())
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "roi.png"))

    page.fill("#roi-share", "0.5")
    page.keyboard.press("Enter")
    what_if = whatif.recompute_roi(shown, 0.5, whatif.assumptions(frame)["loaded_hourly_rate"])
    first = what_if["roi_pct"][0]
    wait_for_graph(page, "roi-chart", f"Math.abs(d[0].y[0] - {first}) < 1e-6")
    assert graph_data(page, "roi-chart")[0]["y"] == pytest.approx(what_if["roi_pct"].to_list())

    csv = download_csv(page, "roi-chart", tmp_path)
    assert csv == data.chart_csv(db, EVERYONE, Filters(), "roi-chart")


def test_retention_rates_follow_the_filter(server: Any, page: Any, db: Any, tmp_path: Path) -> None:
    open_page(page, server.url + "/retention", "retention-forest")
    wait_for_graph(page, "retention-rates")
    wait_for_graph(page, "retention-km")
    assert "association, not causation" in page.inner_text("body").lower()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "retention.png"))

    rates = data.attrition_by_group(db, EVERYONE, Filters())
    department = rates.filter(~pl.col("suppressed"))["team"][0]
    choose(page, "shell-filter-department", department)
    wait_for_graph(page, "retention-rates", f"d[0].x.length === 1 && d[0].x[0] === {department!r}")
    expected = data.attrition_by_group(db, EVERYONE, Filters(department=(department,)))
    assert graph_data(page, "retention-rates")[0]["y"] == pytest.approx(
        expected["attrition_pct"].to_list()
    )
    assert query_of(page) == {"department": [department]}

    csv = download_csv(page, "retention-rates", tmp_path)
    assert csv == data.chart_csv(db, EVERYONE, Filters(department=(department,)), "retention-rates")


def test_data_page_lists_runs_and_unmatched_awards(
    server: Any, page: Any, db: Any, tmp_path: Path
) -> None:
    open_page(page, server.url + "/data", "data-unmatched-chart")
    page.wait_for_selector("#data-runs .ag-row", timeout=15000)
    runs = data.etl_runs(db, EVERYONE)
    assert page.locator("#data-runs .ag-center-cols-container .ag-row").count() == runs.height
    chart = graph_data(page, "data-unmatched-chart")[0]
    expected = data.unmatched_by_identity(db, EVERYONE)
    assert chart["y"] == expected["awards"].to_list()
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "data.png"))
    csv = download_csv(page, "data-unmatched-chart", tmp_path)
    assert csv == data.chart_csv(db, EVERYONE, Filters(), "data-unmatched-chart")
    # One list at a time: the files grid is drawn when its tab is opened, with a row per file
    # (the 61 of the demo inbox), and the runs grid is gone.
    assert page.locator("#data-files").count() == 0
    page.click("text=Inbox files")
    rows = (
        "(id) => { const api = dash_ag_grid.getApi(id);"
        " let n = 0; api.forEachNode(() => n++); return n; }"
    )
    page.wait_for_selector("#data-files .ag-row", timeout=15000)
    assert page.evaluate(rows, ids.DATA_FILES) == data.files(db, EVERYONE).height
    assert page.locator("#data-runs").count() == 0
    page.click("text=Unmatched badge awards")
    page.wait_for_selector("#data-unmatched .ag-row", timeout=15000)
    # The list holds the newest UNMATCHED_ROWS; "CSV of all" downloads every unmatched award,
    # as many lines as the chart's bars add up to.
    everything = download_csv(page, ids.DATA_UNMATCHED_CSV, tmp_path)
    assert everything == data.unmatched_awards_csv(db, EVERYONE)
    assert len(everything.strip().splitlines()) - 1 == sum(expected["awards"].to_list())


def test_page_render_times_recorded() -> None:
    """Not a timed assertion: the numbers are printed for the report (-s to see them)."""
    for path, seconds in RENDER_TIMES.items():
        print(f"render {path}: {seconds:.2f} s")
