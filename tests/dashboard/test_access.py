"""Logins, sessions, the gate in front of every route, headers, the audit log and the CLI,
through the real app and Flask's test client (see access_helpers for the users)."""

from __future__ import annotations

import io
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest
from flask.testing import FlaskClient

from dashboard import access, data
from dashboard.access import ConfigurationError, check_open_mode, safe_next
from dashboard.audit import read_events
from dashboard.users import UsersFileError, add_user, read_users
from skillboard import cli
from skillboard.settings import load_settings
from tests.dashboard.access_helpers import SECRET, login, password, secured_app, write_users


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    return write_users(tmp_path / "users.toml")


@pytest.fixture
def secured(
    warehouse: Path, users_file: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dash.Dash]:
    monkeypatch.setenv(access.SECRET_ENV, SECRET)
    application = secured_app(warehouse, users_file)
    yield application
    application.server.extensions["skillboard.snapshot"].close()


@pytest.fixture
def client(secured: dash.Dash) -> FlaskClient:
    return secured.server.test_client()


# -- the users file --------------------------------------------------------------------------


def test_users_file_holds_scrypt_hashes_never_passwords(users_file: Path) -> None:
    text = users_file.read_text(encoding="utf-8")
    assert password("sam") not in text
    entry = tomllib.loads(text)["users"]["sam"]
    assert entry["password_hash"].startswith("scrypt:")
    assert entry["role"] == "manager" and entry["departments"] == ["Sales"]
    assert users_file.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_a_manager_needs_departments_or_an_employee_id(tmp_path: Path) -> None:
    with pytest.raises(UsersFileError, match="needs departments or an employee_id"):
        add_user(tmp_path / "u.toml", "max", "long enough password", "manager")


def test_short_passwords_and_odd_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsersFileError, match="at least 10"):
        add_user(tmp_path / "u.toml", "max", "short", "hr")
    with pytest.raises(UsersFileError, match="not valid"):
        add_user(tmp_path / "u.toml", "max]\nrole='admin'", "long enough password", "hr")


def test_cli_users_add_reads_the_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = tmp_path / "users.toml"
    config = tmp_path / "skillboard.toml"
    config.write_text(f'[auth]\nusers_file = "{users}"\n', encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO("a very long password\n"))
    code = cli.main(
        ["users", "add", "max", "--role", "manager", "--departments", "Sales, Legal",
         "--employee-id", "N1", "--config", str(config)]
    )  # fmt: skip
    assert code == 0
    user = read_users(users)["max"]
    assert (user.role, user.departments, user.employee_id) == ("manager", ("Sales", "Legal"), "N1")
    assert "a very long password" not in users.read_text(encoding="utf-8")


# -- starting up -----------------------------------------------------------------------------


def test_users_without_a_secret_refuse_to_start(
    warehouse: Path, users_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(access.SECRET_ENV, raising=False)
    with pytest.raises(ConfigurationError, match="SKILLBOARD_SECRET_KEY"):
        secured_app(warehouse, users_file)


def test_open_demo_binds_only_127_0_0_1(warehouse: Path, users_file: Path) -> None:
    check_open_mode(load_settings(warehouse=warehouse), "127.0.0.1")
    for host in ("0.0.0.0", "192.168.1.5", "::"):
        with pytest.raises(ConfigurationError, match="refusing to serve"):
            check_open_mode(load_settings(warehouse=warehouse), host)
    check_open_mode(load_settings(warehouse=warehouse, auth={"users_file": users_file}), "0.0.0.0")


def test_cli_serve_refuses_the_open_demo_on_all_interfaces(warehouse: Path) -> None:
    assert cli.main(["serve", "--host", "0.0.0.0", "--warehouse", str(warehouse)]) == 2


def test_open_demo_answers_only_local_clients(app: dash.Dash) -> None:
    client = app.server.test_client()
    assert client.get("/_dash-layout").status_code == 200
    remote = client.get("/_dash-layout", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 403


# -- the gate --------------------------------------------------------------------------------

PROTECTED = (
    "/",
    "/coverage",
    "/roi",
    "/retention",
    "/data",
    "/_dash-layout",
    "/_dash-dependencies",
    "/assets/nothing-public.js",
)


def test_anonymous_requests_get_the_login_page_or_401(client: FlaskClient) -> None:
    for path in PROTECTED:
        response = client.get(path)
        if path.startswith("/_") or path.startswith("/assets/nothing"):
            assert response.status_code in (401, 302), path
        else:
            assert response.status_code == 302, path
            assert response.headers["Location"].startswith("/login"), path
    update = client.post("/_dash-update-component", json={"output": "x.y", "inputs": []})
    assert update.status_code == 401
    suites = client.get("/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js")
    assert suites.status_code == 401


def test_login_page_and_health_need_no_session(client: FlaskClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="username"' in page.get_data(as_text=True)
    assert 'name="password"' in page.get_data(as_text=True)
    assert client.get("/healthz").status_code in (200, 503)


def test_wrong_password_is_refused_and_audited(client: FlaskClient, warehouse: Path) -> None:
    response = login(client, "sam", "not the password")
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401
    events = list(read_events(warehouse / "audit.jsonl"))
    assert [(e["event"], e["user"]) for e in events] == [("login_failed", "sam")]


def test_login_sets_a_hardened_session_cookie(client: FlaskClient, warehouse: Path) -> None:
    response = login(client, "sam")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/_dash-dependencies").status_code == 200
    events = list(read_events(warehouse / "audit.jsonl"))
    assert events[-1]["event"] == "login" and events[-1]["role"] == "manager"


def test_cookie_is_secure_over_https(secured: dash.Dash) -> None:
    client = secured.server.test_client()
    form = client.get("/login", base_url="https://skillboard.example").get_data(as_text=True)
    token = form.split('name="csrf" value="')[1].split('"')[0]
    response = client.post(
        "/login",
        base_url="https://skillboard.example",
        data={"username": "sam", "password": password("sam"), "csrf": token},
    )
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_login_without_the_form_token_is_refused(client: FlaskClient) -> None:
    response = client.post("/login", data={"username": "sam", "password": password("sam")})
    assert response.status_code == 400
    assert client.get("/_dash-layout").status_code == 401


def test_logins_are_rate_limited_per_user_and_address(client: FlaskClient) -> None:
    """5 failures in 5 minutes: the 6th try is refused even with the right password; another
    user from the same address is not affected."""
    for _ in range(5):
        assert login(client, "sam", "wrong password!").status_code == 401
    assert login(client, "sam").status_code == 429
    assert login(client, "hanna").status_code == 302


def test_two_workers_of_one_host_share_the_login_limit(
    secured: dash.Dash, warehouse: Path, users_file: Path
) -> None:
    """Two apps over the same warehouse stand for two gunicorn workers. 3 failures through one
    and 2 through the other make 5: the 6th try is refused by either, even with the right
    password. With a count per worker each would still allow 2 or 3 more."""
    other = secured_app(warehouse, users_file)
    try:
        first, second = secured.server.test_client(), other.server.test_client()
        for client, failures in ((first, 3), (second, 2)):
            for _ in range(failures):
                assert login(client, "sam", "wrong password!").status_code == 401
        assert login(first, "sam").status_code == 429
        assert login(second, "sam").status_code == 429
    finally:
        other.server.extensions["skillboard.snapshot"].close()


def test_logout_ends_the_session(client: FlaskClient, warehouse: Path) -> None:
    login(client, "sam")
    assert client.get("/logout").headers["Location"] == "/login"
    assert client.get("/_dash-layout").status_code == 401
    assert list(read_events(warehouse / "audit.jsonl"))[-1]["event"] == "logout"


def test_a_new_password_ends_existing_sessions(client: FlaskClient, users_file: Path) -> None:
    login(client, "sam")
    assert client.get("/_dash-layout").status_code == 200
    add_user(users_file, "sam", "a brand new password", "manager", ("Sales",))
    assert client.get("/_dash-layout").status_code == 401


def test_next_only_goes_to_this_site() -> None:
    assert safe_next("/coverage?department=Sales") == "/coverage?department=Sales"
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example", "", None):
        assert safe_next(target) == "/"


def test_scope_comes_from_the_session_user(secured: dash.Dash) -> None:
    client = secured.server.test_client()
    login(client, "nia")
    with client:
        client.get("/_dash-layout")
        assert data.current_scope() == data.Scope(None, "N1", True)
    viewer = secured.server.test_client()
    login(viewer, "vic")
    with viewer:
        viewer.get("/_dash-layout")
        assert data.current_scope() == data.Scope(person_level=False)


# -- headers and errors ----------------------------------------------------------------------


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    for response in (client.get("/login"), client.get("/_dash-layout")):
        headers = response.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self' 'sha256-" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    assert client.get("/_dash-layout").headers["Cache-Control"] == "no-store"


def test_errors_show_no_internals(client: FlaskClient) -> None:
    login(client, "sam")
    missing = client.get("/assets/no-such-file.css")
    assert missing.status_code == 404
    broken = client.post("/_dash-update-component", data="{not json", content_type="text/plain")
    assert 400 <= broken.status_code < 500
    for response in (missing, broken):
        assert "Traceback" not in response.get_data(as_text=True)
    assert client.application.debug is False


def test_debug_mode_is_refused_with_users(
    warehouse: Path, users_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dashboard.app import serve

    monkeypatch.setenv(access.SECRET_ENV, SECRET)
    settings = load_settings(warehouse=warehouse, auth={"users_file": users_file})
    with pytest.raises(ConfigurationError, match="debug"):
        serve(settings, "127.0.0.1", 0, debug=True)


def test_audit_lists_person_level_lists_and_downloads(
    client: FlaskClient, warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    login(client, "hanna")
    body = {
        "output": '{"chart":["MATCH"],"type":"csv-download"}.data',
        "outputs": {"id": {"chart": "overview-headcount", "type": "csv-download"},
                    "property": "data"},
        "inputs": [{"id": {"chart": "overview-headcount", "type": "csv-button"},
                    "property": "n_clicks", "value": 1}],
        "state": [{"id": "shell-filters", "property": "data", "value": {}}],
        "changedPropIds": ['{"chart":"overview-headcount","type":"csv-button"}.n_clicks'],
    }  # fmt: skip
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    events = list(read_events(warehouse / "audit.jsonl"))
    assert (events[-1]["event"], events[-1]["user"], events[-1]["chart"]) == (
        "download",
        "hanna",
        "overview-headcount",
    )
    settings_file = warehouse / "skillboard.toml"
    settings_file.write_text("", encoding="utf-8")
    assert cli.main(["audit", "--warehouse", str(warehouse), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [e["event"] for e in printed] == ["login", "download"]
