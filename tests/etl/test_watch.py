"""Watch mode: a file is read once it stopped growing, once, whole."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from etl.watch import InboxWatcher
from skillboard.settings import Settings
from tests.conftest import REPO_ROOT, WORKDAY_HEADER, workday_row

Writer = Callable[[Path, Sequence[str]], Path]

FIRST_HALF = [
    workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
    workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
]
SECOND_HALF = [
    workday_row("E3", "Cy Dao", "Sales", "2022-03-01", manager="E1"),
    workday_row("E5", "Eve Moe", "Sales", "2026-08-01", manager="E3"),
]


def _store_files(settings: Settings) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        return con.execute(
            "select path, status, rows_read, rows_loaded from files order by file_id"
        ).fetchall()
    finally:
        con.close()


def _run_count(settings: Settings) -> int:
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        return int(con.execute("select count(*) from etl_runs").fetchall()[0][0])
    finally:
        con.close()


def test_file_written_in_two_halves_is_loaded_once_complete(
    settings_for: Callable[..., Settings],
) -> None:
    """Poll by poll: an empty inbox, then the header + 2 rows appear (new: wait), then 2 more
    rows are appended (grew: wait), then the same size and mtime twice (stable: run). The one
    run reads 4 rows and loads 4; a further poll finds nothing new and starts no run."""
    settings = settings_for()
    watcher = InboxWatcher(settings)
    path = settings.inbox / "roster_2026-09-30.csv"
    assert watcher.poll() == []

    path.write_text("\n".join([WORKDAY_HEADER, *FIRST_HALF]) + "\n", encoding="utf-8")
    assert watcher.step() is None
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(SECOND_HALF) + "\n")
    assert watcher.step() is None
    summary = watcher.step()

    assert summary is not None and summary.status == "published"
    assert [(f.path, f.status, f.rows_read, f.rows_loaded) for f in summary.files] == [
        ("roster_2026-09-30.csv", "loaded", 4, 4),
    ]
    assert watcher.step() is None
    assert _store_files(settings) == [("roster_2026-09-30.csv", "loaded", 4, 4)]
    assert _run_count(settings) == 1


def test_a_file_still_growing_holds_back_a_complete_one(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """A complete file A and a file B that grows between polls: no run until B is stable too,
    since the run reads the whole inbox; then one run loads both."""
    settings = settings_for()
    watcher = InboxWatcher(settings)
    write_roster(settings.inbox / "roster_2026-06-30.csv", FIRST_HALF)
    b = settings.inbox / "roster_2026-09-30.csv"
    b.write_text(WORKDAY_HEADER + "\n", encoding="utf-8")
    assert watcher.poll() == []
    with b.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(FIRST_HALF + SECOND_HALF) + "\n")
    assert watcher.poll() == []
    ready = watcher.poll()
    assert ready == ["roster_2026-06-30.csv", "roster_2026-09-30.csv"]
    summary = watcher.run(ready)
    assert summary is not None
    assert [(f.status, f.rows_loaded) for f in summary.files] == [("loaded", 2), ("loaded", 4)]


def test_watch_cli_loads_a_landing_file_once_and_stops_on_sigterm(
    settings_for: Callable[..., Settings],
) -> None:
    """`etl run --watch --poll-seconds 1 --json`: the first half of a roster lands; once the
    watcher has said it waits for it to stop growing, the second half is appended. Exactly one
    JSON summary follows: the file loaded with all 4 rows. SIGTERM: exit 0."""
    settings = settings_for()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "skillboard.cli",
            "etl",
            "run",
            "--watch",
            "--poll-seconds",
            "1",
            "--json",
            "--inbox",
            str(settings.inbox),
            "--warehouse",
            str(settings.warehouse),
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SKILLBOARD_FAULT"},
    )
    log: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=lambda: [log.put(line) for line in proc.stderr or []], daemon=True
    ).start()
    try:
        _wait_for_line(log, "watching")
        path = settings.inbox / "roster_2026-09-30.csv"
        with path.open("w", encoding="utf-8") as handle:
            handle.write("\n".join([WORKDAY_HEADER, *FIRST_HALF]) + "\n")
        _wait_for_line(log, "to stop growing")
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(SECOND_HALF) + "\n")
        _wait_for_line(log, "published")
        proc.send_signal(signal.SIGTERM)
        stdout, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    summaries = [json.loads(line) for line in stdout.splitlines()]
    assert [
        [(f["path"], f["status"], f["rows_read"], f["rows_loaded"]) for f in s["files"]]
        for s in summaries
    ] == [[("roster_2026-09-30.csv", "loaded", 4, 4)]]
    assert _store_files(settings) == [("roster_2026-09-30.csv", "loaded", 4, 4)]


def _wait_for_line(log: queue.Queue[str], text: str) -> None:
    """Read log lines until one contains `text` (a 120 s guard, not a timed assertion)."""
    deadline = time.monotonic() + 120
    seen = []
    while time.monotonic() < deadline:
        try:
            line = log.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"never saw {text!r} in:\n{''.join(seen)}")
