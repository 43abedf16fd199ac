"""The ``skillboard`` command: demo, etl run / status, serve, generate.

Each subcommand is a thin wrapper: the work lives in :mod:`etl` (write side) and
:mod:`dashboard` (read side), imported only by the subcommand that needs it, so ``etl run``
never imports Dash and ``serve`` never imports a loader.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from skillboard.settings import Settings, load_settings

DEMO_EMPLOYEES = 2000
DEMO_SEED = 42


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "inbox", None):
        overrides["inbox"] = Path(args.inbox)
    if getattr(args, "warehouse", None):
        overrides["warehouse"] = Path(args.warehouse)
    return load_settings(getattr(args, "config", None), **overrides)


def _fail(message: str, code: int = 1) -> int:
    print(f"skillboard: {message}", file=sys.stderr)
    return code


def cmd_etl_run(args: argparse.Namespace) -> int:
    """``skillboard etl run``: one run; exit 0 when a snapshot was published."""
    from etl.lock import LockHeld
    from etl.run import print_progress, run_etl

    if args.watch:
        return cmd_etl_watch(args)
    settings = _settings(args)
    try:
        summary = run_etl(
            settings,
            progress=None if args.json else print_progress,
            force_rebuild=args.rebuild,
        )
    except LockHeld as exc:
        return _fail(str(exc), 3)
    if args.json:
        print(json.dumps(summary.to_json(), default=str))
    else:
        _print_summary(summary)
    if summary.status != "published":
        return _fail(summary.error or "no snapshot was published", 2)
    return 0


def _print_summary(summary: Any) -> None:
    loaded = [f for f in summary.files if f.status == "loaded"]
    rejected = [f for f in summary.files if f.status == "rejected"]
    unchanged = [f for f in summary.files if f.status == "unchanged"]
    print(
        f"run {summary.run_id}: {summary.status}"
        + ("" if summary.rebuilt else " (nothing new: snapshot unchanged)")
    )
    print(f"  files: {len(loaded)} loaded, {len(unchanged)} unchanged, {len(rejected)} rejected")
    for f in loaded:
        print(
            f"  loaded   {f.path} [{f.loader}] read {f.rows_read} = loaded {f.rows_loaded}"
            f" + quarantined {f.rows_quarantined}"
        )
    for f in rejected:
        print(f"  rejected {f.path}: {f.error}")
    if summary.snapshot:
        print(f"  snapshot: {summary.snapshot}")


def cmd_etl_status(args: argparse.Namespace) -> int:
    """``skillboard etl status``: the last runs with their counts and errors."""
    import duckdb

    settings = _settings(args)
    if not settings.store_path.is_file():
        return _fail(f"no store at {settings.store_path}: run `skillboard etl run` first")
    try:
        con = duckdb.connect(str(settings.store_path), read_only=True)
    except duckdb.Error as exc:
        return _fail(f"the store is busy (an ETL run holds it): {exc}")
    try:
        cur = con.execute(
            "select run_id, started_at, finished_at, status, files_loaded, files_unchanged, "
            "files_rejected, rows_read, rows_loaded, rows_quarantined, error "
            "from etl_runs order by run_id desc limit ?",
            [args.limit],
        )
        names = [d[0] for d in cur.description]
        runs = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()
    if args.json:
        print(json.dumps(runs, default=str))
        return 0
    print(
        f"{'run':>5} {'started (UTC)':19} {'status':10} {'loaded':>6} {'same':>5} {'rej':>4}"
        f" {'rows read':>10} {'loaded':>10} {'quarant.':>8}  error"
    )
    for r in runs:
        started = str(r["started_at"])[:19]
        print(
            f"{r['run_id']:>5} {started:19} {r['status']:10} {r['files_loaded']:>6}"
            f" {r['files_unchanged']:>5} {r['files_rejected']:>4} {r['rows_read']:>10}"
            f" {r['rows_loaded']:>10} {r['rows_quarantined']:>8}  {r['error'] or ''}"
        )
    return 0


def _log_to_stderr() -> None:
    """Log lines on stderr, where systemd's journal or the container runtime collects them."""
    import logging

    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _print_outcome(summary: Any, as_json: bool) -> int:
    if as_json:
        print(json.dumps(summary.to_json(), default=str), flush=True)
    else:
        _print_summary(summary)
    if summary.status != "published":
        return _fail(summary.error or "no snapshot was published", 2)
    return 0


def cmd_etl_watch(args: argparse.Namespace) -> int:
    """``skillboard etl run --watch``: load new files as they land, until SIGTERM/SIGINT."""
    import signal
    import threading

    from etl.watch import watch

    _log_to_stderr()
    settings = _settings(args)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: object) -> None:
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)

    def on_run(summary: Any) -> None:
        _print_outcome(summary, args.json)

    watch(settings, poll_seconds=args.poll_seconds, stop=stop, on_run=on_run)
    return 0


def cmd_etl_schedule(args: argparse.Namespace) -> int:
    """``skillboard etl schedule --cron "0 2 * * *"``: unattended runs in the foreground."""
    from etl.schedule import run_schedule

    _log_to_stderr()
    settings = _settings(args)
    try:
        return run_schedule(settings, args.cron, every_seconds=args.every_seconds)
    except ValueError as exc:
        return _fail(str(exc), 2)


def cmd_etl_forget(args: argparse.Namespace) -> int:
    """``skillboard etl forget --file NAME``: remove one file's rows and republish."""
    from etl.lock import LockHeld
    from etl.retention import StillInInbox, forget_file
    from etl.run import print_progress

    settings = _settings(args)
    try:
        summary = forget_file(settings, args.file, progress=None if args.json else print_progress)
    except (LockHeld, StillInInbox) as exc:
        return _fail(str(exc), 3 if isinstance(exc, LockHeld) else 1)
    return _print_outcome(summary, args.json)


def cmd_etl_rebuild(args: argparse.Namespace) -> int:
    """``skillboard etl rebuild``: republish the snapshot from the store alone."""
    from etl.lock import LockHeld
    from etl.retention import rebuild
    from etl.run import print_progress

    settings = _settings(args)
    try:
        summary = rebuild(settings, progress=None if args.json else print_progress)
    except LockHeld as exc:
        return _fail(str(exc), 3)
    return _print_outcome(summary, args.json)


def cmd_generate(args: argparse.Namespace) -> int:
    """``skillboard generate``: synthetic inputs in the real export formats."""
    from etl.generate import generate

    try:
        summary = generate(Path(args.out), employees=args.employees, seed=args.seed)
    except ValueError as exc:
        return _fail(str(exc))
    print("\n".join(summary.lines()))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``skillboard serve``: the dashboard (development server, or gunicorn with ``--prod``)."""
    if args.workers is not None and not args.prod:
        return _fail("--workers needs --prod (the development server is one process)", 2)
    if args.workers is not None and args.workers < 1:
        return _fail("--workers must be at least 1", 2)
    settings = _settings(args)
    host = args.host or settings.serve.host
    port = args.port or settings.serve.port
    from dashboard.access import ConfigurationError, check_open_mode

    try:
        check_open_mode(settings, host)  # for --prod too: the open demo is 127.0.0.1 only
    except ConfigurationError as exc:
        return _fail(str(exc), 2)
    if args.prod:
        from dashboard.prod import serve_prod

        serve_prod(settings, host=host, port=port, workers=args.workers)
        return 0
    from dashboard.app import serve

    serve(settings, host=host, port=port, debug=False)
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        import getpass

        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users_add(args: argparse.Namespace) -> int:
    """``skillboard users add NAME --role ROLE``: create or replace a user; the password is
    read from standard input and only its hash is written to ``[auth] users_file``."""
    from dashboard.users import UsersFileError, add_user

    settings = _settings(args)
    if settings.auth.users_file is None:
        return _fail("no users file: set [auth] users_file in the config (see docs/security.md)")
    departments = tuple(d.strip() for d in (args.departments or "").split(",") if d.strip())
    try:
        user = add_user(
            settings.auth.users_file,
            args.name,
            _read_password(),
            args.role,
            departments,
            args.employee_id,
        )
    except (UsersFileError, ValueError) as exc:
        return _fail(str(exc), 2)
    scope = ", ".join(user.departments) or ""
    if user.employee_id:
        scope = (scope + "; " if scope else "") + f"org of {user.employee_id}"
    print(
        f"user {user.name}: {user.role}"
        + (f" ({scope})" if scope else "")
        + f" in {settings.auth.users_file}"
    )
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """``skillboard audit``: the latest audit events (logins, person-level lists, downloads)."""
    from dashboard.access import audit_path
    from dashboard.audit import read_events

    settings = _settings(args)
    path = audit_path(settings)
    events = [e for e in read_events(path) if args.user is None or e.get("user") == args.user]
    events = events[-args.limit :]
    if args.json:
        print(json.dumps(events, default=str))
        return 0
    if not events:
        print(f"no audit events in {path}")
    for e in events:
        detail = ", ".join(
            f"{k}={v}" for k, v in e.items() if k not in ("at", "event", "user") and v is not None
        )
        print(f"{e.get('at', '')}  {e.get('event', ''):16} {e.get('user') or '-':20} {detail}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``skillboard demo``: sample data if absent, one ETL run, then serve on 127.0.0.1:8050."""
    from etl.generate import generate
    from etl.run import print_progress, run_etl

    settings = _settings(args)
    if not any(settings.inbox.glob("*")):
        print(f"generating the demo employer ({DEMO_EMPLOYEES} employees) into {settings.inbox}")
        generate(settings.inbox, employees=DEMO_EMPLOYEES, seed=DEMO_SEED)
    summary = run_etl(settings, progress=print_progress)
    _print_summary(summary)
    if summary.status != "published":
        return _fail(summary.error or "the demo ETL run failed", 2)
    from dashboard.app import serve

    print(f"serving the dashboard on http://127.0.0.1:{args.port}")
    serve(settings, host="127.0.0.1", port=args.port, debug=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="skillboard", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--config", help="TOML settings file (default: SKILLBOARD_CONFIG or ./skillboard.toml)"
        )
        p.add_argument("--inbox", help="folder of input files (default data/inbox)")
        p.add_argument("--warehouse", help="folder of store + snapshot (default data/warehouse)")

    demo = sub.add_parser(
        "demo", help="generate sample data if absent, load it, serve the dashboard"
    )
    common(demo)
    demo.add_argument("--port", type=int, default=8050)
    demo.set_defaults(func=cmd_demo)

    etl = sub.add_parser("etl", help="load the inbox into the warehouse")
    etl_sub = etl.add_subparsers(dest="etl_command", required=True)
    run = etl_sub.add_parser("run", help="one ETL run")
    common(run)
    run.add_argument("--json", action="store_true", help="print exactly one JSON summary on stdout")
    run.add_argument(
        "--rebuild", action="store_true", help="rebuild the snapshot even if nothing changed"
    )
    run.add_argument(
        "--watch",
        action="store_true",
        help="keep polling the inbox and load files as they land (until SIGTERM)",
    )
    run.add_argument(
        "--poll-seconds",
        type=float,
        default=2.0,
        help="with --watch: seconds between polls (a file must keep its size for one)",
    )
    run.set_defaults(func=cmd_etl_run)
    schedule = etl_sub.add_parser("schedule", help="run the ETL on a schedule, in the foreground")
    common(schedule)
    schedule.add_argument(
        "--cron", help='crontab line (5 fields), e.g. "0 2 * * *"; in schedule.timezone'
    )
    # Tests fire every N seconds instead of waiting for a cron minute.
    schedule.add_argument("--every-seconds", type=float, help=argparse.SUPPRESS)
    schedule.set_defaults(func=cmd_etl_schedule)
    forget = etl_sub.add_parser("forget", help="remove a file's rows from the store; republish")
    common(forget)
    forget.add_argument(
        "--file",
        required=True,
        help="the file's path relative to the inbox (as `etl status` shows it)",
    )
    forget.add_argument("--json", action="store_true")
    forget.set_defaults(func=cmd_etl_forget)
    rebuild = etl_sub.add_parser("rebuild", help="rebuild the snapshot from the store alone")
    common(rebuild)
    rebuild.add_argument("--json", action="store_true")
    rebuild.set_defaults(func=cmd_etl_rebuild)
    status = etl_sub.add_parser("status", help="the last runs")
    common(status)
    status.add_argument("--limit", type=int, default=10)
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_etl_status)

    serve = sub.add_parser("serve", help="serve the dashboard (development server)")
    common(serve)
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument(
        "--prod", action="store_true", help="serve with gunicorn, several worker processes"
    )
    serve.add_argument(
        "--workers", type=int, help="with --prod: worker processes (default: CPUs, at least 2)"
    )
    serve.set_defaults(func=cmd_serve)

    users = sub.add_parser("users", help="dashboard logins")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    users_add = users_sub.add_parser(
        "add", help="create or replace a user (password read from standard input)"
    )
    users_add.add_argument("name")
    users_add.add_argument("--role", required=True, choices=["admin", "hr", "manager", "viewer"])
    users_add.add_argument("--departments", help="comma-separated departments (manager, viewer)")
    users_add.add_argument(
        "--employee-id", help="the manager's employee id: their org, recursively"
    )
    users_add.add_argument("--config", help="TOML settings file naming [auth] users_file")
    users_add.set_defaults(func=cmd_users_add)

    audit = sub.add_parser("audit", help="who logged in, opened person lists, downloaded")
    common(audit)
    audit.add_argument("--limit", type=int, default=50)
    audit.add_argument("--user", help="only this user's events")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(func=cmd_audit)

    gen = sub.add_parser("generate", help="write a synthetic employer's export files")
    gen.add_argument("--employees", type=int, default=DEMO_EMPLOYEES)
    gen.add_argument("--seed", type=int, default=DEMO_SEED)
    gen.add_argument("--out", default="data/inbox")
    gen.set_defaults(func=cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``skillboard`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except FileNotFoundError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    return code


if __name__ == "__main__":
    sys.exit(main())
