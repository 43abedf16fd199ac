"""Who is asking: login, sessions, the gate in front of every route, and security headers.

A small session login on Flask's signed cookie session (no Flask-Login): the cookie holds only
the username, a digest of the user's entry (:meth:`User.session_tag`, so a changed password or
role, or a removed user, ends the session), the login time and a CSRF token for the login
form. It is ``HttpOnly``, ``SameSite=Lax`` and ``Secure`` whenever the request came over HTTPS
(directly, or through a trusted reverse proxy's ``X-Forwarded-Proto``), and expires after
:data:`SESSION_HOURS` hours. The signing key comes from ``SKILLBOARD_SECRET_KEY`` only.

When a users file is configured, :func:`gate` runs before every request and lets through only
the login page, ``/healthz`` (for load balancers: it exposes no data) and the two stylesheets
the login page needs; everything else (pages, ``/_dash-layout``, ``/_dash-dependencies``,
``/_dash-update-component``, component bundles, other assets) needs a valid session. Without
a users file the app is the open demo, which :func:`check_open_mode` refuses to bind on any
interface but 127.0.0.1.

The scope of a request is built here from the user the session names (never from anything
the request carries) and read by :func:`dashboard.data.current_scope`.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import os
import secrets
import time
import traceback
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import flask
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers.response import Response

from dashboard.audit import AUDIT_EXTENSION, AuditLog
from dashboard.throttle import LoginThrottle
from dashboard.users import User, UserDirectory
from skillboard.settings import Settings

log = logging.getLogger(__name__)

SECRET_ENV = "SKILLBOARD_SECRET_KEY"
MIN_SECRET = 32
SESSION_HOURS = 8
USERS_EXTENSION = "skillboard.users"
THROTTLE_EXTENSION = "skillboard.throttle"
OPEN_PATHS = frozenset({"/login", "/healthz"})
PUBLIC_ASSETS = frozenset({"/assets/00-bootstrap.min.css", "/assets/10-skillboard.css"})
LOCAL_HOSTS = frozenset({"127.0.0.1"})
LOOPBACK_CLIENTS = frozenset({"127.0.0.1", "::1"})
OPEN_DEMO_REFUSED = (
    "This Skillboard runs as the open demo, which answers only the computer it runs on. "
    "Configure users to serve it to others (see docs/security.md)."
)


class ConfigurationError(RuntimeError):
    """The app must not start with this configuration."""


# -- sessions ----------------------------------------------------------------------------------


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, marked ``Secure`` whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: flask.Flask) -> bool:
        """Secure when configured so, or when this request is HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (
            flask.has_request_context() and flask.request.is_secure
        )


def secret_key(configured: bool) -> str:
    """The session signing key.

    Raises:
        ConfigurationError: when users are configured and ``SKILLBOARD_SECRET_KEY`` is unset
            or shorter than 32 characters.
    """
    secret = os.environ.get(SECRET_ENV, "")
    if configured and len(secret) < MIN_SECRET:
        raise ConfigurationError(
            f"users are configured but {SECRET_ENV} is unset or shorter than {MIN_SECRET} "
            "characters; set it to a long random value, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`'
        )
    # The open demo has no sessions worth keeping across restarts: a random key is enough.
    return secret or secrets.token_urlsafe(48)


def check_open_mode(settings: Settings, host: str) -> None:
    """Refuse to serve the open demo (no users file) on anything but 127.0.0.1.

    Raises:
        ConfigurationError: for another host with no users file configured.
    """
    if settings.auth.users_file is None and host not in LOCAL_HOSTS:
        raise ConfigurationError(
            f"refusing to serve on {host} without users: the open demo mode binds 127.0.0.1 "
            "only. Configure [auth] users_file (see docs/security.md) or use --host 127.0.0.1."
        )


def audit_path(settings: Settings) -> Path:
    """The audit file: ``[auth] audit_log``, else ``<warehouse>/audit.jsonl``."""
    configured = settings.auth.audit_log
    return configured if configured is not None else settings.warehouse / "audit.jsonl"


def throttle_path(settings: Settings) -> Path:
    """The failed-login counts shared by the host's workers: beside the audit file."""
    return audit_path(settings).with_name("login_failures.sqlite")


def install(server: flask.Flask, settings: Settings, script_hashes: Any) -> None:
    """Put the login, the gate, the headers and the error pages on the app's Flask server.

    Args:
        server: Dash's Flask server.
        settings: ``auth.users_file`` (None: open demo), the warehouse (audit file).
        script_hashes: a callable returning the CSP hashes of Dash's inline scripts (called at
            the first request, once every clientside callback is registered).

    Raises:
        ConfigurationError: users configured without a session secret.
        UsersFileError: the users file is invalid.
    """
    users = UserDirectory(settings.auth.users_file)
    server.secret_key = secret_key(users.configured)
    server.session_interface = SessionInterface()
    server.config.update(
        SESSION_COOKIE_NAME="skillboard_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
        DEBUG=False,
        PROPAGATE_EXCEPTIONS=False,
    )
    proxies = settings.auth.trusted_proxies
    if proxies > 0:
        # Only behind a proxy that sets these headers: otherwise a client could claim HTTPS.
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    server.extensions[USERS_EXTENSION] = users
    server.extensions[THROTTLE_EXTENSION] = LoginThrottle(throttle_path(settings))
    server.extensions[AUDIT_EXTENSION] = AuditLog(audit_path(settings))
    policy: dict[str, str] = {}

    def headers(response: Response) -> Response:
        if not policy:
            policy["csp"] = content_security_policy(list(script_hashes()))
        return security_headers(response, policy["csp"])

    server.before_request(gate)
    server.after_request(headers)
    server.add_url_rule("/login", "login", login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", logout, methods=["GET", "POST"])
    server.register_error_handler(HTTPException, http_error)
    server.register_error_handler(Exception, unexpected_error)


# -- who is asking -----------------------------------------------------------------------------


def _users() -> UserDirectory:
    directory: UserDirectory = flask.current_app.extensions[USERS_EXTENSION]
    return directory


def session_user() -> User | None:
    """The user the session cookie names, if the session is still valid."""
    name = flask.session.get("user")
    if not isinstance(name, str):
        return None
    user = _users().get(name)
    if user is None or not hmac.compare_digest(
        str(flask.session.get("tag", "")), user.session_tag()
    ):
        return None
    started = flask.session.get("at")
    if not isinstance(started, int | float) or time.time() - started > SESSION_HOURS * 3600:
        return None
    return user


def request_identity() -> tuple[bool, User | None]:
    """(users configured, the logged-in user) for the current request.

    Outside a request or an app without this module installed: (False, None), the open scope
    used by tests and scripts calling the data layer directly.
    """
    if not flask.has_request_context():
        return False, None
    directory: UserDirectory | None = flask.current_app.extensions.get(USERS_EXTENSION)
    if directory is None or not directory.configured:
        return False, None
    user = getattr(flask.g, "skillboard_user", None)
    return True, user if isinstance(user, User) else session_user()


def gate() -> Response | None:
    """Before every request: let the open paths through, require a session for the rest."""
    users = _users()
    flask.g.skillboard_user = None
    if not users.configured:
        # The open demo answers this computer only, whatever interface a server binds.
        if flask.request.remote_addr not in LOOPBACK_CLIENTS:
            return flask.make_response(_error_response(403, "Forbidden", OPEN_DEMO_REFUSED)[0], 403)
        return None
    path = flask.request.path
    if path in OPEN_PATHS or path in PUBLIC_ASSETS:
        return None
    user = session_user()
    if user is not None:
        flask.g.skillboard_user = user
        return None
    if "user" in flask.session:
        flask.session.clear()  # an expired or revoked session: drop it (not a login form's)
    if flask.request.method == "GET" and not path.startswith("/_"):
        return flask.redirect(_login_url(flask.request.full_path))
    return flask.make_response(flask.jsonify(error="login required"), 401)


def _login_url(target: str) -> str:
    from urllib.parse import urlencode

    target = target.rstrip("?")
    return "/login" if target in ("", "/") else "/login?" + urlencode({"next": target})


def safe_next(target: str | None) -> str:
    """A same-site path to go to after login (anything else goes to ``/``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return target


# -- login and logout --------------------------------------------------------------------------


def _client() -> str:
    return flask.request.remote_addr or "unknown"


def _audit(event: str, user: str | None, **detail: Any) -> None:
    audit: AuditLog = flask.current_app.extensions[AUDIT_EXTENSION]
    audit.write(event, user, client=_client(), **detail)


def login() -> Response | tuple[str, int]:
    """``GET /login``: the form; ``POST /login``: check ``username`` and ``password``."""
    users = _users()
    if not users.configured:
        return flask.redirect("/")
    if flask.request.method == "GET":
        if session_user() is not None:
            return flask.redirect(safe_next(flask.request.args.get("next")))
        return login_page(next_path=flask.request.args.get("next", "")), 200
    form = flask.request.form
    username = form.get("username", "")[:64].strip()
    password = form.get("password", "")[:1024]
    next_path = safe_next(form.get("next"))
    expected = flask.session.get("csrf")
    if not expected or not hmac.compare_digest(str(expected), form.get("csrf", "")):
        return login_page("Your login form expired: please try again.", next_path), 400
    throttle: LoginThrottle = flask.current_app.extensions[THROTTLE_EXTENSION]
    if throttle.blocked(username, _client()):
        _audit("login_throttled", username)
        return login_page(
            "Too many failed attempts: wait a few minutes before trying again.", next_path
        ), 429
    user = users.authenticate(username, password) if username and password else None
    if user is None:
        throttle.failed(username, _client())
        _audit("login_failed", username)
        return login_page("Wrong username or password.", next_path), 401
    throttle.succeeded(username, _client())
    flask.session.clear()  # a new session: nothing from before the login survives
    flask.session.permanent = True
    flask.session.update(user=user.name, tag=user.session_tag(), at=int(time.time()))
    _audit("login", user.name, role=user.role)
    return flask.redirect(next_path)


def logout() -> Response:
    """End the session and go back to the login page."""
    user = session_user()
    if user is not None:
        _audit("logout", user.name)
    flask.session.clear()
    return flask.redirect("/login")


LOGIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Skillboard · Log in</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css">
</head><body class="bg-light">
<main class="container" style="max-width: 24rem; margin-top: 12vh">
<h1 class="h3 mb-3">Skillboard</h1>
<p class="text-muted">Log in to see your teams' skills.</p>
{error}
<form method="post" action="/login" id="login-form">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="next" value="{next}">
<div class="mb-3"><label class="form-label" for="username">Username</label>
<input class="form-control" id="username" name="username" autocomplete="username" required
 autofocus></div>
<div class="mb-3"><label class="form-label" for="password">Password</label>
<input class="form-control" id="password" name="password" type="password"
 autocomplete="current-password" required></div>
<button class="btn btn-primary w-100" type="submit">Log in</button>
</form>
</main></body></html>
"""


def login_page(error: str = "", next_path: str = "") -> str:
    """The login form (its CSRF token is kept in the session)."""
    token = flask.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        flask.session["csrf"] = token
    alert = f'<div class="alert alert-danger" role="alert">{escape(error)}</div>' if error else ""
    return LOGIN_PAGE.format(error=alert, csrf=escape(token), next=escape(safe_next(next_path)))


# -- headers and error pages -------------------------------------------------------------------


def content_security_policy(script_hashes: list[str]) -> str:
    """The CSP Dash runs under: scripts from the app and its own inline scripts (by hash);
    inline styles are allowed because Dash and plotly.js inject ``<style>`` elements."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(response: Response, csp: str) -> Response:
    """Add the security headers to every response (and keep data out of shared caches)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if flask.request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not flask.request.path.startswith(("/assets/", "/_dash-component-suites/")):
        headers["Cache-Control"] = "no-store"
    return response


ERROR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Skillboard · {title}</title>
<link rel="stylesheet" href="/assets/00-bootstrap.min.css"></head>
<body class="bg-light"><main class="container" style="max-width: 36rem; margin-top: 12vh">
<h1 class="h4">{title}</h1><p>{message}</p><p><a href="/">Back to the dashboard</a></p>
</main></body></html>
"""


def _error_response(status: int, title: str, message: str) -> tuple[Any, int]:
    if flask.request.path.startswith("/_") or flask.request.is_json:
        return flask.jsonify(error=title), status
    return ERROR_PAGE.format(title=escape(title), message=escape(message)), status


def http_error(error: HTTPException) -> Any:
    """A 4xx/5xx raised on purpose: the status and a short message, never internals."""
    status = error.code or 500
    if status >= 500:
        return unexpected_error(error)
    return _error_response(status, error.name, "The page or request could not be served.")


def unexpected_error(error: Exception) -> Any:
    """An exception nobody caught. A malformed callback request (Dash failing to read a forged
    body) is the client's fault: 400. Anything else is logged here, on the server, by type
    and route only (no values, which could be personal data), and the person sees a short
    page without internals."""
    if flask.request.path.startswith("/_dash-"):
        log.warning(
            "rejected a malformed %s request (%s)", flask.request.path, type(error).__name__
        )
        return _error_response(400, "Bad request", "The request could not be read.")
    # Frames only: an exception's message may quote a value (a name, an id).
    frames = "".join(traceback.format_tb(error.__traceback__))
    log.error("unexpected %s on %s\n%s", type(error).__name__, flask.request.path, frames)
    return _error_response(
        500, "Something went wrong", "The error was logged; please try again in a minute."
    )
