"""The Dash app: a shell (navigation, global filters, stores) around one page per module.

``create_app(settings)`` builds an app; ``serve`` runs it on the development server; ``server``
(for ``gunicorn 'dashboard.app:server'``) is built on first access from ``load_settings()``.
Nothing here opens data: the snapshot is opened by the first query of the first request.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
import flask

from dashboard import access, caching, health, prefetch, shell, warmup
from dashboard.pages import PAGE_MODULES
from dashboard.snapshot import SNAPSHOT_EXTENSION, Snapshot
from skillboard.settings import Settings, load_settings

ASSETS = Path(__file__).resolve().parent / "assets"
PRELOADED_CHUNKS = ("dash/dcc/async-graph.js", "dash/dcc/async-dropdown.js")
"""dcc's lazily loaded code for the charts and the filter dropdowns, which every page draws.
A component library fetches such a chunk only when the first component needing it renders,
after the layout has arrived: a round trip in series before any chart can be drawn. Preloaded,
it is fetched with the bundles (the lazy loader then finds it in the browser's memory). Pages
name their own in ``register_page(preload=...)`` (the grid pages: AG Grid's)."""


_POLYFILL = re.compile(r'<script src="[^"]*/polyfill@[^"]*"></script>\s*')


class Dashboard(dash.Dash):
    """The Dash app whose page HTML preloads the lazily loaded code the page's first view
    needs (:data:`PRELOADED_CHUNKS` and the page's own)."""

    def interpolate_index(self, **kwargs: Any) -> str:  # type: ignore[override]
        """Dash's page HTML, with one ``<link rel="preload">`` per chunk before ``</head>`` and
        without Babel's polyfill for old browsers."""
        # Every browser the dashboard supports has what @babel/polyfill adds; evaluating it
        # cost about 0.1 s of a first render on 2 cores.
        kwargs["scripts"] = _POLYFILL.sub("", str(kwargs.get("scripts", "")))
        page = str(super().interpolate_index(**kwargs))  # type: ignore[no-untyped-call]
        prefix = str(self.config.requests_pathname_prefix or "/")
        path = flask.request.path if flask.has_request_context() else "/"
        extra = next(
            (p.get("preload", ()) for p in dash.page_registry.values() if p["path"] == path), ()
        )
        links = "".join(
            f'<link rel="preload" as="script" href="{prefix}_dash-component-suites/{chunk}">'
            for chunk in (*PRELOADED_CHUNKS, *extra)
        )
        return page.replace("</head>", links + "</head>", 1)


def create_app(settings: Settings) -> dash.Dash:
    """Build the dashboard for one installation.

    Args:
        settings: where the snapshot is (``settings.snapshot_path``).

    Returns:
        The Dash app; its Flask server is ``app.server``.
    """
    server = flask.Flask("dashboard")
    server.extensions[SNAPSHOT_EXTENSION] = Snapshot(settings.snapshot_path)
    app = Dashboard(
        "dashboard",
        server=server,  # type: ignore[arg-type]
        use_pages=True,
        pages_folder="",  # pages are registered explicitly below, with per-app callbacks
        assets_folder=str(ASSETS),
        title="Skillboard",
        suppress_callback_exceptions=True,  # page components appear only on their page
        update_title=None,  # type: ignore[arg-type]
        external_stylesheets=[],  # Bootstrap is served from assets/: no CDN at run time
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    for module in PAGE_MODULES:
        module.register(app)
    app.layout = shell.layout  # a function: the first view is drawn per request (shell.layout)
    shell.register(app)
    access.install(server, settings, app.csp_hashes)  # login, gate, headers, error pages
    prefetch.install(server)
    server.before_request(shell.prefetch_first_view)  # after the gate: only for a known user
    health.register(server)  # /healthz, answered ahead of login and Dash
    caching.register(app)  # long-lived Cache-Control on fingerprinted static files
    warmup.finish_setup(app)  # Dash's first-request setup is not thread-safe
    _ = dbc  # dash-bootstrap-components' JS is served by Dash with the components
    return app


def serve(settings: Settings, host: str, port: int, debug: bool = False) -> None:
    """Serve the dashboard on Dash's development server (threaded).

    Args:
        settings: the installation's settings.
        host: interface to bind (127.0.0.1 for a local demo).
        port: TCP port.
        debug: Dash dev tools and reloader (the open demo on 127.0.0.1 only).

    Raises:
        ConfigurationError: the open demo (no users file) on another host than 127.0.0.1,
            or debug with users configured.
    """
    access.check_open_mode(settings, host)
    if debug and settings.auth.users_file is not None:
        raise access.ConfigurationError("debug mode is for the open demo only")
    app = create_app(settings)
    app.run(host=host, port=port, debug=debug, use_reloader=False, threaded=True)


_default: dict[str, dash.Dash] = {}


def __getattr__(name: str) -> Any:
    # ``server`` is built on first access (gunicorn's getattr), not at import: importing this
    # module from a test or the CLI must not build a second app nor read configuration.
    if name == "server":
        if "app" not in _default:
            _default["app"] = create_app(load_settings())
        return _default["app"].server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
