"""Login in a real browser: with users configured an anonymous browser sees only the login
page; a manager logs in through the form and sees only their department on every page. The
``page`` fixture fails the test on any console error, Content-Security-Policy violations
included, so Dash is shown to work under the policy the app sends.

The real app serves the generated employer (see conftest.real_warehouse) with one user, a
manager of the Engineering department.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard import access, ids
from dashboard.snapshot import Snapshot
from tests.dashboard.access_helpers import SECRET, secured_app
from tests.e2e.conftest import threaded_server

pytestmark = pytest.mark.e2e

DEPARTMENT = "Engineering"
PASSWORD = "engineering manager password"


@pytest.fixture
def strict_page(browser: Any) -> Iterator[Any]:
    """A page under the app's real Content-Security-Policy (the shared ``page`` fixture
    bypasses it for wait_for_function); fails on any console error or CSP violation."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    violations = tab.evaluate("() => window.__cspViolations || []")
    context.close()
    assert errors == [], f"browser console errors: {errors}"
    assert violations == []


def wait_for_graph(page: Any, graph_id: str) -> None:
    """A drawn plotly chart (a selector wait: no eval, which the CSP forbids)."""
    page.wait_for_selector(f"#{graph_id} .js-plotly-plot .main-svg", timeout=30000)


@pytest.fixture(scope="module")
def other_departments(real_warehouse: Path) -> list[str]:
    snapshot = Snapshot(real_warehouse / "skillboard.duckdb")
    try:
        frame = snapshot.query("select distinct department from people_on_as_of")
    finally:
        snapshot.close()
    names = sorted(frame["department"].to_list())
    assert DEPARTMENT in names
    return [n for n in names if n != DEPARTMENT]


@pytest.fixture(scope="module")
def secured_server(real_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from dashboard.users import add_user

    users = tmp_path_factory.mktemp("users") / "users.toml"
    add_user(users, "erin", PASSWORD, "manager", (DEPARTMENT,))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(access.SECRET_ENV, SECRET)
        app = secured_app(real_warehouse, users, audit_log=users.parent / "audit.jsonl")
    with threaded_server(app) as url:
        yield url


def test_anonymous_browser_sees_only_the_login_page(strict_page: Any, secured_server: str) -> None:
    page = strict_page
    for path in ("/", "/coverage", "/retention", "/data"):
        page.goto(secured_server + path)
        assert page.url.startswith(secured_server + "/login"), path
        assert page.locator("form#login-form").is_visible()
        assert page.locator(f"#{ids.FILTER_DEPARTMENT}").count() == 0


def _department_options(page: Any) -> list[str]:
    page.click(f"#{ids.FILTER_DEPARTMENT}")
    page.wait_for_selector("[role=option]", timeout=15000)
    labels = [o.inner_text().strip() for o in page.locator("[role=option]").all()]
    page.keyboard.press("Escape")
    return labels


def test_manager_logs_in_and_sees_only_their_department(
    strict_page: Any, secured_server: str, other_departments: list[str]
) -> None:
    page = strict_page
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(secured_server + "/coverage?department=" + other_departments[0])
    page.fill("#username", "erin")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(secured_server + "/coverage*")
    wait_for_graph(page, ids.COVERAGE_HEATMAP)
    page.wait_for_selector(f"#{ids.USER_NAME}")
    assert "erin · manager" in page.inner_text(f"#{ids.USER_NAME}")
    assert _department_options(page) == [DEPARTMENT]
    pages = {
        "/": ids.OVERVIEW_HEADCOUNT,
        "/coverage": ids.COVERAGE_HEATMAP,
        "/retention": ids.RETENTION_RATES,
        "/roi": ids.ROI_CHART,
        "/data": ids.DATA_UNMATCHED_CHART,
    }
    for path, graph in pages.items():
        page.goto(secured_server + path)
        wait_for_graph(page, graph)
        page.wait_for_load_state("networkidle")
        text = page.inner_text("body")
        leaked = [name for name in other_departments if name in text]
        assert leaked == [], f"{path} shows {leaked}"
        if path == "/":
            traces = page.evaluate(
                "() => document.querySelector('#overview-headcount .js-plotly-plot').data"
                ".map(t => t.y)"
            )
            assert {str(y) for trace in traces for y in (trace or [])} <= {DEPARTMENT}
    page.click(f"#{ids.LOGOUT}")
    page.wait_for_url(secured_server + "/login*")
