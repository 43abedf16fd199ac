"""Finish Dash's one-time setup before the server takes requests.

Dash completes an app on its first request (``Dash._setup_server``, a ``before_request``
hook): it merges the callback maps, validates them and renders the script tags. That hook is
not thread-safe: it sets its "done" flag first and works afterwards, so in a threaded server
(gunicorn ``gthread`` workers, the threaded development server) a second request arriving
meanwhile can fail with ``RuntimeError: dictionary changed size during iteration`` or be
answered from a half-built callback list. Sending one request through the app while no other
thread can, right after it is built, takes that window away.
"""

from __future__ import annotations

import dash


def finish_setup(app: dash.Dash) -> None:
    """Run Dash's first-request setup now, in this thread.

    The request goes through the whole Flask stack; whatever it answers (the dependency list,
    or 401 when login is required: Dash's setup hook runs before the login gate) is dropped.
    Nothing reads the snapshot: ``/_dash-dependencies`` only lists callbacks.

    Args:
        app: a freshly built app (``create_app``).
    """
    prefix = str(app.config.routes_pathname_prefix or "/")
    app.server.test_client().get(f"{prefix}_dash-dependencies")
