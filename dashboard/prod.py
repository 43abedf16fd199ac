"""Production serving: the dashboard under gunicorn, in several worker processes.

``skillboard serve --prod`` runs the same app as ``gunicorn 'dashboard.app:server'`` but with
the installation's settings (``--config``, ``--warehouse``) and sensible defaults. Every worker
builds its own app after gunicorn forks it (no preloading): a DuckDB connection or a thread
pool must never cross a fork, and building the app opens no data anyway. Each worker's
Snapshot opens the published file read-only on its first request and reopens it when the ETL
publishes a new one, so a refresh needs no restart, no signal and drops no request.

Workers are threaded (``gthread``): a page fires several callbacks at once and DuckDB releases
the GIL while a query runs, so a few threads per process answer them side by side. Any other
gunicorn setting can be given in ``GUNICORN_CMD_ARGS`` (e.g. ``--access-logfile -``), exactly
as for the ``gunicorn`` command.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from skillboard.settings import Settings

THREADS_PER_WORKER = 4
TIMEOUT_S = 120
"""A worker silent for this long is restarted; well above the slowest callback at scale L."""


def default_workers() -> int:
    """One worker per CPU, at least two (so one slow callback never blocks every user)."""
    return max(2, os.cpu_count() or 1)


def gunicorn_options(host: str, port: int, workers: int | None = None) -> dict[str, Any]:
    """The gunicorn settings of ``skillboard serve --prod``.

    Args:
        host: interface to bind.
        port: TCP port.
        workers: worker processes (default: :func:`default_workers`).
    """
    options: dict[str, Any] = {
        "bind": [f"{host}:{port}"],
        "workers": workers or default_workers(),
        "worker_class": "gthread",
        "threads": THREADS_PER_WORKER,
        "timeout": TIMEOUT_S,
        "graceful_timeout": 30,
        "keepalive": 5,
        "preload_app": False,
        "proc_name": "skillboard-dashboard",
        "errorlog": "-",
    }
    if Path("/dev/shm").is_dir():
        # The workers' heartbeat files: on tmpfs, a slow disk cannot make gunicorn think a
        # busy worker hung (gunicorn's own advice for containers).
        options["worker_tmp_dir"] = "/dev/shm"
    return options


class DashboardServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running the dashboard of one installation."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        """Prepare (nothing is served until :meth:`run`).

        Args:
            settings: the installation's settings (where the snapshot is).
            options: gunicorn settings, see :func:`gunicorn_options`.
        """
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply our options, then ``GUNICORN_CMD_ARGS`` over them."""
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:
            # Recent gunicorn opens a management socket at a fixed path in $HOME: two
            # instances on one host would fight over it, and nothing here uses it.
            self.cfg.set("control_socket_disable", True)
        env_args = self.cfg.get_cmd_args_from_env()
        if env_args:
            parsed = self.cfg.parser().parse_args(env_args)
            for key, value in vars(parsed).items():
                if value is not None and key in self.cfg.settings and key != "args":
                    self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        """The WSGI app, built in the worker after the fork."""
        from dashboard.app import create_app

        return create_app(self.settings).server


def serve_prod(settings: Settings, host: str, port: int, workers: int | None = None) -> None:
    """Serve the dashboard with gunicorn until it is stopped (SIGTERM / SIGINT).

    Args:
        settings: the installation's settings.
        host: interface to bind (``0.0.0.0`` behind a reverse proxy on another host).
        port: TCP port.
        workers: worker processes (default: one per CPU, at least two).
    """
    DashboardServer(settings, gunicorn_options(host, port, workers)).run()
