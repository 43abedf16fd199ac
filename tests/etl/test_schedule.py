"""The schedule: retries, the webhook report, the lock guard, overlap and a clean SIGTERM.

The job function is called directly for retries and reports; the CLI scheduler runs as a
subprocess firing every second (the hidden ``--every-seconds`` flag) for a bounded few runs.
Slow runs and failures come from ``SKILLBOARD_FAULT`` (see :mod:`etl.faults`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from etl import faults
from etl.lock import EtlLock
from etl.schedule import make_trigger, post_webhook, scheduled_job
from skillboard.settings import Settings
from tests.conftest import REPO_ROOT, workday_row

Writer = Callable[[Path, Sequence[str]], Path]
PEOPLE = ("Ann Lee", "ann.lee@example.com", "Bob Ray", "bob.ray@example.com")


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """A local HTTP endpoint on 127.0.0.1 collecting the JSON bodies POSTed to it."""
    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fault(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set SKILLBOARD_FAULT for this test, with fresh arrival counts."""

    def set_fault(spec: str) -> None:
        monkeypatch.setenv(faults.ENV_VAR, spec)
        faults.reset()

    return set_fault


def _inbox(settings: Settings, write_roster: Writer) -> None:
    write_roster(
        settings.inbox / "roster_2026-09-30.csv",
        [
            workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
            workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
        ],
    )


def _runs(settings: Settings) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        return con.execute(
            "select run_id, status, error, started_at, finished_at from etl_runs order by run_id"
        ).fetchall()
    finally:
        con.close()


def _schedule(settings: Settings, **kwargs: object) -> Settings:
    return settings.model_copy(update={"schedule": settings.schedule.model_copy(update=kwargs)})


def test_failed_run_is_retried_then_reported_to_the_webhook(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
    fault: Callable[[str], None],
    webhook: tuple[str, list[dict[str, object]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """retries = 1: two attempts, both failing at the build (fault on every arrival). etl_runs
    holds runs 1 and 2, failed, with the reason; one log line says it failed after 2 attempts
    (no names or e-mails in the log); the webhook receives one POST: the last summary (run 2,
    failed, the reason, the roster file unchanged since attempt 1 loaded it) and attempts = 2."""
    url, received = webhook
    settings = _schedule(settings_for(), retries=1, retry_delay_s=0.0, webhook_url=url)
    _inbox(settings, write_roster)
    fault("before_build:*:raise")
    with caplog.at_level("INFO"):
        outcome = scheduled_job(settings, threading.Event())

    reason = "building the snapshot failed: injected fault at before_build"
    assert (outcome.status, outcome.attempts) == ("failed", 2)
    assert [(r[0], r[1], r[2]) for r in _runs(settings)] == [
        (1, "failed", reason),
        (2, "failed", reason),
    ]
    assert f"scheduled run failed after 2 attempt(s): {reason}" in caplog.text
    assert not any(person in caplog.text for person in PEOPLE)
    assert len(received) == 1
    body = received[0]
    assert (body["run_id"], body["status"], body["error"], body["attempts"]) == (
        2,
        "failed",
        reason,
        2,
    )
    assert [(f["path"], f["status"]) for f in body["files"]] == [  # type: ignore[attr-defined]
        ("roster_2026-09-30.csv", "unchanged"),
    ]


def test_retry_after_a_failure_publishes_and_sends_no_alert(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
    fault: Callable[[str], None],
    webhook: tuple[str, list[dict[str, object]]],
) -> None:
    """Only the first build fails: attempt 2 publishes; runs (1 failed, 2 published); the
    webhook stays silent because the scheduled run ended well."""
    url, received = webhook
    settings = _schedule(settings_for(), retries=2, retry_delay_s=0.0, webhook_url=url)
    _inbox(settings, write_roster)
    fault("before_build:1:raise")
    outcome = scheduled_job(settings, threading.Event())
    assert (outcome.status, outcome.attempts) == ("published", 2)
    assert [(r[0], r[1]) for r in _runs(settings)] == [(1, "failed"), (2, "published")]
    assert received == []


def test_scheduled_run_is_skipped_while_another_run_holds_the_lock(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
    webhook: tuple[str, list[dict[str, object]]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A manual `etl run` holds the lock: the scheduled run is skipped with a log line naming
    the holder's pid, not retried, not reported as a failure, and records no run."""
    url, received = webhook
    settings = _schedule(settings_for(), retries=3, retry_delay_s=0.0, webhook_url=url)
    _inbox(settings, write_roster)
    with EtlLock(settings.lock_path), caplog.at_level("INFO"):
        outcome = scheduled_job(settings, threading.Event())
    assert (outcome.status, outcome.attempts) == ("skipped", 0)
    assert "scheduled run skipped: another ETL run holds the lock" in caplog.text
    assert f"pid {os.getpid()}" in caplog.text
    assert received == []
    assert not settings.store_path.exists()


def test_stop_during_the_retry_delay_cancels_the_retry(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
    fault: Callable[[str], None],
) -> None:
    """A shutdown already requested: after the failed first attempt no retry starts, even
    with a one-hour delay configured, and only run 1 is recorded."""
    settings = _schedule(settings_for(), retries=3, retry_delay_s=3600.0)
    _inbox(settings, write_roster)
    fault("before_build:*:raise")
    stop = threading.Event()
    stop.set()
    outcome = scheduled_job(settings, stop)
    assert (outcome.status, outcome.attempts) == ("stopped", 1)
    assert [(r[0], r[1]) for r in _runs(settings)] == [(1, "failed")]


def test_unreachable_webhook_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    """Port 9 on 127.0.0.1 refuses the connection: False and an error line; a file:// URL is
    refused before any request."""
    assert post_webhook("http://127.0.0.1:9/hook", {"status": "failed"}, timeout=5) is False
    assert "webhook POST failed" in caplog.text
    assert post_webhook("file:///etc/passwd", {"status": "failed"}) is False
    assert "must be an http(s) URL" in caplog.text


def test_cron_trigger_reads_the_configured_time_zone() -> None:
    """The line "0 2 * * *" in Europe/Oslo (UTC+2 in June): after 2026-06-01 12:00 UTC the
    next firing is 2026-06-02 02:00 Oslo time = 2026-06-02 00:00 UTC."""
    trigger = make_trigger("0 2 * * *", "Europe/Oslo")
    after = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    fire = trigger.get_next_fire_time(None, after)
    assert fire is not None
    assert fire.astimezone(dt.UTC) == dt.datetime(2026, 6, 2, 0, 0, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="--cron '61 \\* \\* \\* \\*'"):
        make_trigger("61 * * * *", "UTC")
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        make_trigger("0 2 * * *", "Mars/Olympus")


class _Scheduler:
    """`skillboard etl schedule --every-seconds 1` as a subprocess, its log lines in a queue."""

    def __init__(self, settings: Settings, fault_spec: str | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if k != faults.ENV_VAR}
        if fault_spec:
            env[faults.ENV_VAR] = fault_spec
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "skillboard.cli",
                "etl",
                "schedule",
                "--every-seconds",
                "1",
                "--inbox",
                str(settings.inbox),
                "--warehouse",
                str(settings.warehouse),
            ],
            cwd=REPO_ROOT,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, count: int = 1) -> None:
        """Read log lines until `count` of them contain `text` (a 120 s guard, not a test)."""
        deadline = time.monotonic() + 120
        while sum(text in line for line in self.lines) < count:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"never saw {text!r}:\n" + "\n".join(self.lines)
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            assert line is not None, f"exited before {text!r}:\n" + "\n".join(self.lines)
            self.lines.append(line)

    def terminate(self) -> int:
        """SIGTERM, then the exit status once the process ended and its log was read."""
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=120)
        while (line := self._queue.get(timeout=30)) is not None:
            self.lines.append(line)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def test_schedule_runs_on_its_trigger_and_sigterm_exits_zero(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """Firing every second: run 1 loads the roster and publishes, run 2 finds nothing new and
    publishes without a rebuild. SIGTERM: exit 0, "ETL schedule stopped", every recorded run
    published."""
    settings = settings_for()
    _inbox(settings, write_roster)
    scheduler = _Scheduler(settings)
    try:
        scheduler.wait_for("published after 1 attempt(s)", count=2)
        assert scheduler.terminate() == 0
    finally:
        scheduler.kill()
    assert "ETL schedule stopped" in scheduler.lines[-1]
    runs = _runs(settings)
    assert len(runs) >= 2
    assert {r[1] for r in runs} == {"published"}


def test_overlapping_firing_is_skipped_not_doubled(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """Run 1 pauses 3 s before its build while the trigger fires every second: those firings
    are skipped with a log line, never started beside it; in etl_runs every run starts after
    the previous one finished and none failed on the lock."""
    settings = settings_for()
    _inbox(settings, write_roster)
    scheduler = _Scheduler(settings, "before_build:1:sleep=3")
    try:
        scheduler.wait_for("skipped the run due at")
        scheduler.wait_for("published after 1 attempt(s)")
        assert scheduler.terminate() == 0
    finally:
        scheduler.kill()
    runs = _runs(settings)
    assert {r[1] for r in runs} == {"published"}
    for previous, current in itertools.pairwise(runs):
        assert current[3] >= previous[4]  # type: ignore[operator]


def test_sigterm_during_a_run_lets_it_finish_then_exits_zero(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """SIGTERM arrives while run 1 pauses before its build: the run still publishes (its
    "published" line comes after the signal's), no further run starts, exit status 0."""
    settings = settings_for()
    _inbox(settings, write_roster)
    scheduler = _Scheduler(settings, "before_build:1:sleep=3")
    try:
        scheduler.wait_for("scheduled run starting")
        assert scheduler.terminate() == 0
    finally:
        scheduler.kill()
    text = "\n".join(scheduler.lines)
    assert text.index("SIGTERM received") < text.index("scheduled run 1 published")
    assert [(r[0], r[1]) for r in _runs(settings)] == [(1, "published")]


def test_schedule_with_a_bad_cron_line_exits_2_with_the_reason(
    settings_for: Callable[..., Settings],
) -> None:
    """A crontab line with 6 fields is refused before anything runs."""
    settings = settings_for()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "skillboard.cli",
            "etl",
            "schedule",
            "--cron",
            "0 2 * * * *",
            "--inbox",
            str(settings.inbox),
            "--warehouse",
            str(settings.warehouse),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "--cron '0 2 * * * *'" in proc.stderr
