"""Callbacks called as plain functions against the real app over the hand-made snapshot."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dash
import polars as pl
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.exceptions import PreventUpdate

from dashboard import components, data, filters, ids, shell
from dashboard.app import create_app
from dashboard.pages import coverage, overview, retention, roi
from dashboard.pages import data as data_page
from skillboard.settings import load_settings

STORE = filters.to_store(filters.Filters())


def _triggered(prop_id: str, call: Callable[[], Any]) -> Any:
    """Run ``call`` as if ``prop_id`` had fired (what Dash sets up for a real request)."""

    def run() -> Any:
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": 1}]))
        return call()

    return contextvars.copy_context().run(run)


def test_headcount_callback_returns_chart_data_and_total(app: dash.Dash) -> None:
    fig, card = overview.headcount(STORE)
    assert list(fig.data[0].y)[-1] == "Engineering" and list(fig.data[0].x)[-1] == 7
    assert "15 people" in str(card.to_plotly_json())


def test_department_filter_changes_the_headcount_chart(app: dash.Dash) -> None:
    store = filters.to_store(filters.Filters(department=("Engineering",)))
    fig, _ = overview.headcount(store)
    assert list(fig.data[0].y) == ["Engineering"] and list(fig.data[0].x) == [7]


def test_filter_matching_nobody_says_so(app: dash.Dash) -> None:
    store = filters.to_store(filters.Filters(department=("Nowhere",)))
    fig, _ = overview.headcount(store)
    assert fig.layout.annotations[0].text == "No employees match these filters"


def test_callbacks_wait_for_the_shell_to_read_the_url(app: dash.Dash) -> None:
    with pytest.raises(PreventUpdate):
        overview.gaps(None)


def test_coverage_drill_down_from_a_heatmap_click(app: dash.Dash) -> None:
    click = {"points": [{"customdata": ["department", "Engineering", "SK1", "Python"]}]}
    result = _triggered(
        f"{ids.COVERAGE_HEATMAP}.clickData", lambda: coverage.drill(click, None, STORE)
    )
    is_open, title, holders, _, missing, _, key, csv_disabled = result
    assert is_open
    assert [r["employee_id"] for r in holders] == ["N2", "N3", "N4", "N1"]  # by name
    assert [r["employee_id"] for r in missing] == ["N5", "N6", "N7"]
    assert key == ["department", "Engineering", "SK1", "Python"]
    assert not csv_disabled
    text = str(title.to_plotly_json())
    assert "4 of 7 people whose role requires it hold it" in text
    assert "Listed by name" not in text  # 7 people: nothing is cut


def test_coverage_drill_down_of_a_hidden_cell_offers_no_csv(app: dash.Dash) -> None:
    """Legal × SK3: 2 required people, fewer than k = 5."""
    click = {"points": [{"customdata": ["department", "Legal", "SK3", "Contract law"]}]}
    result = _triggered(
        f"{ids.COVERAGE_HEATMAP}.clickData", lambda: coverage.drill(click, None, STORE)
    )
    assert result[0] and "fewer than 5" in str(result[1].to_plotly_json())
    assert result[2:] == ([], [], [], [], None, True)


def test_drill_down_note_says_how_much_of_each_list_is_shown() -> None:
    """200 of 1606 holders listed, all 12 missing it."""
    empty = pl.DataFrame()
    page = data.SkillPeoplePage(empty, empty, holders_total=1606, missing_total=12)
    assert coverage.listed_note(page, 200, 12) == (
        "Listed by name: the first 200 of 1606 holders and all 12 missing it; the CSV has everyone."
    )


def test_drill_down_csv_download_has_everyone(app: dash.Dash) -> None:
    """Engineering × SK1: the 7 people (4 holders, 3 missing) plus the header line."""
    key = ["department", "Engineering", "SK1", "Python"]
    download = coverage.drill_csv(1, key, STORE)
    assert download["filename"] == "skill_people.csv"
    assert len(download["content"].splitlines()) == 1 + 7
    with pytest.raises(PreventUpdate):
        coverage.drill_csv(1, None, STORE)  # no drill-down opened yet


def test_heatmap_note_explains_missing_history(app: dash.Dash) -> None:
    store = filters.to_store(filters.Filters(location=("London",), as_of=dt.date(2026, 9, 30)))
    fig, note = coverage.heatmap(store)
    assert "no history" in note
    assert fig.layout.annotations[0].text == note


def test_roi_what_if_moves_roi_without_an_etl_run(app: dash.Dash) -> None:
    """Share 0.5 instead of 0.33: P1's ROI goes from 249.4 % to 429.4 %."""
    base_fig, *_ = roi.update(None, None, STORE)
    what_if_fig, rows, _, _ = roi.update(0.5, 60.0, STORE)
    assert list(base_fig.data[0].y) == [pytest.approx(249.41176)]
    assert list(what_if_fig.data[0].y) == [pytest.approx(429.41176)]
    assert "what-if" in what_if_fig.layout.title.text
    assert [r["program_name"] for r in rows] == ["Negotiation 101", "Python Bootcamp"]


def test_retention_summary_shows_rate_ratio_with_interval(app: dash.Dash) -> None:
    text = str(retention.summary(STORE).to_plotly_json())
    assert "0.50×" in text and "95% CI 0.05–4.81" in text
    assert "association, not causation" in text


def test_data_page_lists_quarantine_reasons(app: dash.Dash) -> None:
    rows, columns = data_page.quarantine(STORE)
    assert [r["reason"] for r in rows] == [
        "hire_date '2015-04-31' is not a date",
        "employee_id is empty",
    ]
    assert {c["field"] for c in columns} >= {"path", "row_number", "reason"}


def test_csv_download_has_the_charts_rows(app: dash.Dash) -> None:
    download = shell.chart_csv_download(ids.COVERAGE_GAPS, STORE)
    lines = download["content"].strip().splitlines()
    assert download["filename"] == "coverage-gaps_latest.csv"
    assert len(lines) == 3  # header + Sales (gap 3) + Engineering (gap 2)
    assert lines[1].startswith("department,Sales,Sales,SK2")


def test_url_fills_the_filter_dropdowns(app: dash.Dash) -> None:
    result = _triggered(
        f"{ids.URL}.search",
        lambda: shell.options_and_values(
            "?department=Sales&department=Legal&as_of=2026-09-30", None
        ),
    )
    department_options, values, as_of = result[0], result[5], result[-1]
    assert {o["value"] for o in department_options} == {"Engineering", "Legal", "Sales"}
    assert values == ["Sales", "Legal"]
    assert as_of == "2026-09-30"


def test_dropdowns_fill_the_store_and_query_string(app: dash.Dash) -> None:
    store, query = shell.store_filters(["Sales"], [], [], [], ["ESCO"], "2026-09-30")
    assert query == "?department=Sales&framework=ESCO&as_of=2026-09-30"
    assert filters.from_store(store).department == ("Sales",)


def test_pages_say_no_data_yet_without_a_snapshot(tmp_path: Path) -> None:
    application = create_app(load_settings(warehouse=tmp_path))
    with application.server.app_context():
        page = overview.layout()
        assert "skillboard etl run" in str(page.to_plotly_json())
        assert shell.freshness("/") == "No data yet"
        assert not components.snapshot_ready()
