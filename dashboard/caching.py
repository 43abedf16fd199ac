"""Cache headers for static files: long-lived where the URL changes with the content.

Dash names the files it serves so that a new version gets a new URL: component bundles under
``/_dash-component-suites/`` carry their package version and mtime in the file name
(``dash_table.v6_0_4m1717000000.js``), and the pages link our own ``/assets/`` files with
``?m=<mtime>``. Such a URL always returns the same bytes, so browsers and proxies may keep it
for a year without asking again (``immutable``). An asset fetched without the ``m`` stamp (a
bookmark, a CSS ``url()``) is kept for an hour and then revalidated with its ETag. Pages,
layouts and callback answers are data and are left alone.
"""

from __future__ import annotations

import dash
import flask

ONE_YEAR_S = 365 * 24 * 3600
ONE_HOUR_S = 3600


def register(app: dash.Dash) -> None:
    """Add the cache headers to the static responses of ``app``.

    Args:
        app: the Dash app (its URL prefixes say where the static files are).
    """
    prefix = str(app.config.routes_pathname_prefix or "/")
    suites = f"{prefix}_dash-component-suites/"
    assets = f"{prefix}{str(app.config.assets_url_path).strip('/')}/"

    def add_cache_headers(response: flask.Response) -> flask.Response:
        if response.status_code != 200:
            return response  # 304s keep the validators; errors must not be cached
        path = flask.request.path
        if path.startswith(suites):
            # Dash already gives fingerprinted bundles a max-age; unstamped ones keep its ETag.
            if response.cache_control.max_age:
                _forever(response)
        elif path.startswith(assets):
            if flask.request.args.get("m"):
                _forever(response)
            else:
                response.cache_control.no_cache = None
                response.cache_control.max_age = ONE_HOUR_S
        return response

    app.server.after_request(add_cache_headers)


def _forever(response: flask.Response) -> None:
    # Not ``public``: behind a login these answers need a session, and a browser cache is
    # what saves the traffic anyway.
    response.cache_control.no_cache = None
    response.cache_control.max_age = ONE_YEAR_S
    response.cache_control.immutable = True
