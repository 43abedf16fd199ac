"""Production serving pieces: /healthz, static cache headers, gunicorn options, the CLI flags."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import dash
import duckdb
import pytest
from plotly.offline import get_plotlyjs_version

from dashboard.app import ASSETS, create_app
from dashboard.caching import ONE_HOUR_S, ONE_YEAR_S
from dashboard.health import health_report
from dashboard.prod import DashboardServer, gunicorn_options
from dashboard.snapshot import Snapshot
from skillboard.cli import main
from skillboard.settings import load_settings
from tests.dashboard import access_helpers

HEALTH_KEYS = {"status", "snapshot_built_at", "snapshot_age_s", "last_run_status", "last_run_id"}


# -- /healthz ---------------------------------------------------------------------------------


def test_health_report_gives_snapshot_age_and_the_latest_run(db: Snapshot) -> None:
    """The hand-made snapshot was built 2026-11-01 02:01 by run 1; its run log ends with run 2,
    failed. An hour later (03:01) the age is 3600 s."""
    body, status = health_report(db, now=dt.datetime(2026, 11, 1, 3, 1))
    assert status == 200
    assert body == {
        "status": "ok",
        "snapshot_built_at": "2026-11-01T02:01:00Z",
        "snapshot_age_s": 3600.0,
        "last_run_status": "failed",
        "last_run_id": 2,
    }


def test_healthz_answers_json_without_login_session_or_personal_data(app: dash.Dash) -> None:
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert set(response.get_json()) == HEALTH_KEYS
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in response.headers  # no session is created for a probe


def test_healthz_needs_no_login_when_users_are_configured(
    monkeypatch: pytest.MonkeyPatch, warehouse: Path, tmp_path: Path
) -> None:
    """With a users file, a page redirects to /login and a callback is 401; /healthz is 200."""
    monkeypatch.setenv("SKILLBOARD_SECRET_KEY", access_helpers.SECRET)
    app = access_helpers.secured_app(warehouse, access_helpers.write_users(tmp_path / "users.toml"))
    client = app.server.test_client()
    assert client.get("/").status_code == 302
    assert client.post("/_dash-update-component", json={}).status_code == 401
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert "Set-Cookie" not in response.headers


def test_healthz_is_503_when_no_snapshot_is_published(tmp_path: Path) -> None:
    app = create_app(load_settings(warehouse=tmp_path))
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "snapshot_built_at": None,
        "snapshot_age_s": None,
        "last_run_status": None,
        "last_run_id": None,
        "detail": "no snapshot is published",
    }


def test_healthz_is_503_for_a_file_that_is_not_a_snapshot(tmp_path: Path) -> None:
    (tmp_path / "skillboard.duckdb").write_bytes(b"not a database file at all" * 100)
    app = create_app(load_settings(warehouse=tmp_path))
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["detail"] == "the snapshot cannot be opened"
    assert str(tmp_path) not in response.get_data(as_text=True)


def test_healthz_is_503_for_a_database_without_the_snapshot_tables(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "skillboard.duckdb"))
    con.execute("create table unrelated (x integer)")
    con.close()
    app = create_app(load_settings(warehouse=tmp_path))
    response = app.server.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["detail"] == "the snapshot cannot be read"


def test_healthz_refuses_post(app: dash.Dash) -> None:
    response = app.server.test_client().post("/healthz")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_other_paths_still_reach_the_app(app: dash.Dash) -> None:
    client = app.server.test_client()
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/healthz/extra").status_code == 200  # Dash's catch-all page route


# -- static files -----------------------------------------------------------------------------


def _asset_and_bundle_urls(app: dash.Dash) -> tuple[str, str]:
    html = app.server.test_client().get("/").get_data(as_text=True)
    asset = re.search(r'href="(/assets/10-skillboard\.css\?m=[^"]+)"', html)
    bundle = re.search(r'src="(/_dash-component-suites/dash/dcc/[^"]+\.v[^"]+\.js)"', html)
    assert asset is not None and bundle is not None
    return asset.group(1), bundle.group(1)


def test_stamped_assets_and_fingerprinted_bundles_are_cached_for_a_year(app: dash.Dash) -> None:
    client = app.server.test_client()
    for url in _asset_and_bundle_urls(app):
        cache = client.get(url).cache_control
        assert cache.max_age == ONE_YEAR_S, url
        assert cache.immutable and not cache.no_cache, url


def test_unstamped_asset_is_cached_for_an_hour_then_revalidated(app: dash.Dash) -> None:
    response = app.server.test_client().get("/assets/10-skillboard.css")
    assert response.cache_control.max_age == ONE_HOUR_S
    assert not response.cache_control.immutable
    assert response.headers.get("ETag")


def test_pages_load_the_vendored_plotly_bundle_not_the_full_one(app: dash.Dash) -> None:
    """assets/20-plotly-bar-heatmap.min.js (plotly.js core with the bar and heatmap traces,
    built by dashboard/vendor/plotly) is a plain script of every page, so window.Plotly
    exists before any dcc.Graph mounts and dcc never fetches plotly.py's full plotly.min.js.
    Same plotly.js version as plotly.py's (figures are built for it), licence beside it."""
    html = app.server.test_client().get("/").get_data(as_text=True)
    assert re.search(
        r'<script src="/assets/20-plotly-bar-heatmap\.min\.js\?m=[^"]+"></script>', html
    )
    assert "plotly.min.js" not in html
    header = (ASSETS / "20-plotly-bar-heatmap.min.js").read_text(encoding="utf-8")[:200]
    version = get_plotlyjs_version()
    assert f"plotly.js (skillboard: scatter, bar, heatmap - minified) v{version}" in header
    assert "MIT License" in (ASSETS / "PLOTLY-LICENSE.txt").read_text(encoding="utf-8")


def test_callback_answers_and_layout_are_not_given_a_max_age(app: dash.Dash) -> None:
    response = app.server.test_client().get("/_dash-layout")
    assert response.cache_control.max_age is None


# -- gunicorn ---------------------------------------------------------------------------------


def test_gunicorn_runs_threaded_workers_built_after_the_fork() -> None:
    options = gunicorn_options("127.0.0.1", 8050, workers=3)
    assert options["bind"] == ["127.0.0.1:8050"]
    assert options["workers"] == 3
    assert options["worker_class"] == "gthread"
    assert options["preload_app"] is False


def test_gunicorn_cmd_args_from_the_environment_override_the_defaults(
    monkeypatch: pytest.MonkeyPatch, warehouse: Path
) -> None:
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 5 --access-logfile -")
    server = DashboardServer(
        load_settings(warehouse=warehouse), gunicorn_options("127.0.0.1", 8050, 2)
    )
    assert server.cfg.workers == 5
    assert server.cfg.accesslog == "-"
    assert server.cfg.threads == 4


def test_the_gunicorn_app_is_the_dashboard_of_the_installation(warehouse: Path) -> None:
    server = DashboardServer(load_settings(warehouse=warehouse), gunicorn_options("x", 1, 2))
    response = server.load().test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["last_run_id"] == 2


def test_serve_workers_without_prod_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "3"]) == 2
    assert "--workers needs --prod" in capsys.readouterr().err


def test_dash_setup_is_finished_before_the_first_request(app: dash.Dash) -> None:
    """Dash's first-request setup races in threaded workers; create_app runs it up front."""
    assert app._got_first_request["setup_server"]
