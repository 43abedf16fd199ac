"""Unattended refreshes: ``skillboard etl schedule --cron "0 2 * * *"``.

An APScheduler 3.x ``BlockingScheduler`` in the foreground, for systemd or a container runtime
to supervise. Each firing is one scheduled run (:func:`scheduled_job`): the ETL, retried after a
failure (``schedule.retries`` more attempts, ``schedule.retry_delay_s`` apart), then reported in
the log and, when it still failed, to ``schedule.webhook_url``. Every attempt is also in
``etl_runs`` (:func:`etl.run.run_etl` records it).

Runs never overlap: the job has ``max_instances=1`` (a firing due while a run is still going is
skipped, with a log line) and the ETL lock is the second guard (a manual ``etl run`` in progress
makes the scheduled one skip). SIGTERM or SIGINT lets the current run finish, cancels any
pending retry and exits 0; a second signal aborts the run at once, which leaves the published
snapshot as it was (a killed run never publishes half a snapshot).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.events import (
    EVENT_JOB_MAX_INSTANCES,
    EVENT_SCHEDULER_STARTED,
    JobSubmissionEvent,
    SchedulerEvent,
)
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from etl.lock import LockHeld
from etl.run import run_etl
from skillboard.settings import Settings

log = logging.getLogger(__name__)

JOB_ID = "etl"
WEBHOOK_TIMEOUT_S = 10.0
# A firing delayed by a suspended host or a busy machine still runs if it is this late at most.
MISFIRE_GRACE_S = 3600


@dataclass
class ScheduledOutcome:
    """How one scheduled run ended, after its retries."""

    status: str
    """``published``, ``failed``, ``skipped`` (another run held the lock) or ``stopped``
    (a retry was cancelled by a shutdown)."""
    attempts: int
    summary: dict[str, Any] | None = None
    """The last attempt's summary, as ``etl run --json`` prints it."""
    errors: list[str] = field(default_factory=list)
    """One line per failed attempt."""


def attempt(settings: Settings) -> dict[str, Any]:
    """One ETL run, its summary as JSON; an unexpected error becomes a failed summary.

    Raises:
        etl.lock.LockHeld: when another run holds the lock.
    """
    try:
        return run_etl(settings).to_json()
    except LockHeld:
        raise
    except Exception as exc:  # e.g. an unwritable warehouse: still a failed run, to report
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return {
            "run_id": None,
            "status": "failed",
            "snapshot": None,
            "files": [],
            "error": f"the run could not start: {first_line}",
        }


def run_with_retries(settings: Settings, stop: threading.Event) -> ScheduledOutcome:
    """Run the ETL; after a failure wait ``retry_delay_s`` and try again, ``retries`` times.

    Args:
        settings: the installation's settings (``schedule.retries``, ``schedule.retry_delay_s``).
        stop: when set (shutdown requested), no further attempt starts.

    Returns:
        The outcome; ``skipped`` without retrying when another run holds the lock.
    """
    outcome = ScheduledOutcome(status="failed", attempts=0)
    for number in range(1, max(settings.schedule.retries, 0) + 2):
        if number > 1:
            log.info(
                "retrying in %ss (attempt %d of %d)",
                settings.schedule.retry_delay_s,
                number,
                settings.schedule.retries + 1,
            )
            if stop.wait(settings.schedule.retry_delay_s):
                outcome.status = "stopped"
                return outcome
        try:
            summary = attempt(settings)
        except LockHeld as exc:
            log.warning("scheduled run skipped: %s", exc)
            outcome.status = "skipped"
            return outcome
        outcome.attempts = number
        outcome.summary = summary
        if summary["status"] == "published":
            outcome.status = "published"
            return outcome
        outcome.errors.append(str(summary.get("error")))
        log.error(
            "run %s failed (attempt %d): %s", summary.get("run_id"), number, summary.get("error")
        )
    return outcome


def post_webhook(url: str, payload: dict[str, Any], timeout: float = WEBHOOK_TIMEOUT_S) -> bool:
    """POST ``payload`` as JSON to ``url``; a failure is logged, never raised.

    Returns:
        Whether the endpoint answered with a 2xx status.
    """
    if not url.startswith(("http://", "https://")):
        log.error("webhook_url must be an http(s) URL; not posting")
        return False
    body = json.dumps(payload, default=str).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "skillboard-etl"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # scheme checked above
            ok = 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.error("webhook POST failed: %s", exc)
        return False
    if not ok:
        log.error("webhook answered HTTP %s", response.status)
    return ok


def report(settings: Settings, outcome: ScheduledOutcome) -> None:
    """Log how the scheduled run ended; POST the summary to the webhook when it failed.

    The log line carries run ids, counts and the run's error, never row values; the webhook
    body is the last attempt's summary (as ``etl run --json``) plus ``attempts``.
    """
    summary = outcome.summary or {}
    if outcome.status == "published":
        files = summary.get("files", [])
        loaded = sum(1 for f in files if f.get("status") == "loaded")
        log.info(
            "scheduled run %s published after %d attempt(s): %d file(s) loaded",
            summary.get("run_id"),
            outcome.attempts,
            loaded,
        )
    elif outcome.status == "failed":
        log.error(
            "scheduled run failed after %d attempt(s): %s", outcome.attempts, summary.get("error")
        )
        if settings.schedule.webhook_url:
            post_webhook(settings.schedule.webhook_url, {**summary, "attempts": outcome.attempts})


def scheduled_job(settings: Settings, stop: threading.Event) -> ScheduledOutcome:
    """What each firing of the schedule does: the run with its retries, then the report."""
    log.info("scheduled run starting")
    outcome = run_with_retries(settings, stop)
    report(settings, outcome)
    return outcome


def make_trigger(
    cron: str | None, timezone: str, every_seconds: float | None = None
) -> BaseTrigger:
    """The trigger of a crontab line (5 fields) in ``timezone``, or every N seconds (tests).

    Raises:
        ValueError: for a crontab line or time zone APScheduler cannot read.
    """
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {timezone!r} (schedule.timezone)") from exc
    if every_seconds is not None:
        return IntervalTrigger(seconds=every_seconds, timezone=zone)
    if not cron:
        raise ValueError("--cron is required, e.g. --cron '0 2 * * *'")
    try:
        return CronTrigger.from_crontab(cron, timezone=zone)
    except ValueError as exc:
        raise ValueError(f"--cron {cron!r}: {exc}") from exc


def build_scheduler(
    settings: Settings, trigger: BaseTrigger, stop: threading.Event, busy: threading.Lock
) -> BlockingScheduler:
    """A scheduler holding the one ETL job, with the skip and next-run log lines.

    Args:
        settings: passed to every run.
        trigger: from :func:`make_trigger`.
        stop: set on shutdown; cancels pending retries.
        busy: held while a scheduled run is going, so shutdown can wait for it.
    """
    scheduler = BlockingScheduler(timezone=ZoneInfo(settings.schedule.timezone))

    def job() -> None:
        with busy:
            if stop.is_set():  # fired just as the shutdown began
                return
            scheduled_job(settings, stop)
            if not stop.is_set():
                _log_next_run(scheduler)

    def started(_event: SchedulerEvent) -> None:
        _log_next_run(scheduler)

    def skipped(event: JobSubmissionEvent) -> None:
        due = ", ".join(t.isoformat(timespec="seconds") for t in event.scheduled_run_times)
        log.warning("skipped the run due at %s: the previous run is still going", due)

    scheduler.add_job(
        job,
        trigger,
        id=JOB_ID,
        name="skillboard etl run",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=MISFIRE_GRACE_S,
    )
    scheduler.add_listener(skipped, EVENT_JOB_MAX_INSTANCES)
    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    return scheduler


def _log_next_run(scheduler: BlockingScheduler) -> None:
    job = scheduler.get_job(JOB_ID)
    when: dt.datetime | None = getattr(job, "next_run_time", None) if job else None
    if when is not None:
        log.info("next run at %s", when.isoformat(timespec="seconds"))


class _StopRequested(BaseException):
    """Raised in the main thread by the first SIGTERM/SIGINT to leave ``scheduler.start()``."""


def run_schedule(
    settings: Settings, cron: str | None, *, every_seconds: float | None = None
) -> int:
    """Run the schedule in the foreground until SIGTERM or SIGINT.

    Args:
        settings: the installation's settings (``schedule.*`` included).
        cron: a 5-field crontab line, read in ``schedule.timezone``.
        every_seconds: instead of ``cron``, fire every N seconds (hidden flag, for tests).

    Returns:
        0 after a clean shutdown.

    Raises:
        ValueError: for a bad crontab line or time zone.
    """
    trigger = make_trigger(cron, settings.schedule.timezone, every_seconds)
    stop = threading.Event()
    busy = threading.Lock()
    scheduler = build_scheduler(settings, trigger, stop, busy)

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            log.warning(
                "second %s: aborting the current run; the published snapshot stays as it was",
                signal.Signals(signum).name,
            )
            os._exit(1)
        stop.set()
        log.info(
            "%s received: finishing the current run, then stopping", signal.Signals(signum).name
        )
        raise _StopRequested

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    where = f"every {every_seconds}s" if every_seconds is not None else f"cron {cron!r}"
    log.info("ETL schedule started (%s, %s)", where, settings.schedule.timezone)
    try:
        scheduler.start()
    except _StopRequested:
        pass
    finally:
        stop.set()
        if scheduler.running:
            scheduler.shutdown(wait=False)
    with busy:  # wait for a run in progress to finish
        pass
    for signum, handler in previous.items():
        signal.signal(signum, handler)
    log.info("ETL schedule stopped")
    return 0
