"""End-to-end fixtures: a real snapshot built by the real pipeline, the real app served on a
free port from a background thread, and headless Chromium driven by Playwright."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required for the end-to-end tests in CI")
        pytest.skip("chromium is not installed")
    return path


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generate(300 employees, seed 1) + one ETL run into a temporary warehouse."""
    from etl.generate import generate
    from etl.run import run_etl
    from skillboard.settings import load_settings

    root = tmp_path_factory.mktemp("e2e")
    inbox, warehouse = root / "inbox", root / "warehouse"
    generate(inbox, employees=300, seed=1)
    summary = run_etl(load_settings(inbox=inbox, warehouse=warehouse))
    assert summary.status == "published", summary.error
    return warehouse


def free_port() -> int:
    """A TCP port nothing listens on at 127.0.0.1, for a server started in another process."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def serve_command(warehouse: Path, port: int, workers: int) -> list[str]:
    """``skillboard serve --prod`` (gunicorn) for ``warehouse`` on 127.0.0.1:``port``."""
    return [
        sys.executable,
        "-m",
        "skillboard.cli",
        "serve",
        "--prod",
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--warehouse",
        str(warehouse),
    ]


@contextmanager
def threaded_server(app: Any) -> Iterator[str]:
    """A Dash app on Werkzeug's threaded server at a free loopback port, in a background
    thread of this process, until the block ends; gives its URL."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    httpd = make_server("127.0.0.1", 0, app.server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


@dataclass
class Server:
    """The running app."""

    url: str
    app: Any


@pytest.fixture(scope="session")
def server(real_warehouse: Path) -> Iterator[Server]:
    """The real app (create_app) on Werkzeug's threaded server, on a free port."""
    from dashboard.app import create_app
    from skillboard.settings import load_settings

    app = create_app(load_settings(warehouse=real_warehouse))
    with threaded_server(app) as url:
        yield Server(url, app)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A 1440×900 page; the test fails if the browser console logged an error."""
    # bypass_csp: Playwright's wait_for_function polls with eval, which the app's
    # Content-Security-Policy forbids; tests/e2e/test_access.py drives the app under its real
    # policy (and fails on any CSP violation) without wait_for_function.
    context = browser.new_context(
        viewport={"width": 1440, "height": 900}, accept_downloads=True, bypass_csp=True
    )
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    yield tab
    context.close()
    assert errors == [], f"browser console errors: {errors}"
