"""The ETL run as a whole: idempotence, the lock, a killed run, the JSON summary."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pytest

from etl.lock import EtlLock, LockHeld
from etl.run import run_etl
from skillboard.settings import Settings
from tests.conftest import REPO_ROOT, run_cli, workday_row
from tests.etl.snapshots import active_headcount, write_two_rosters

Writer = Callable[[Path, Sequence[str]], Path]


def test_second_run_over_same_inbox_loads_nothing_and_publishes_same_figures(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """Run 1 loads 2 files (3 + 4 rows); active at 2026-09-30: Eng 2 (E1, E2), Sales 2 (E3, E5).

    Run 2 over the same inbox: both files 'unchanged', 0 rows read, the snapshot is not rebuilt
    and the headcount is the same. Touching a file (new mtime, same bytes) is still unchanged:
    its hash is already in the store.
    """
    settings = settings_for()
    write_two_rosters(settings, write_roster)
    first = run_etl(settings)
    assert first.status == "published"
    assert [(f.status, f.rows_read, f.rows_loaded, f.rows_quarantined) for f in first.files] == [
        ("loaded", 3, 3, 0),
        ("loaded", 4, 4, 0),
    ]
    before = active_headcount(settings)
    assert before == [("Eng", 2), ("Sales", 2)]
    inode = settings.snapshot_path.stat().st_ino

    second = run_etl(settings)
    assert second.status == "published"
    assert [f.status for f in second.files] == ["unchanged", "unchanged"]
    assert sum(f.rows_read for f in second.files) == 0
    assert second.rebuilt is False
    assert settings.snapshot_path.stat().st_ino == inode
    assert active_headcount(settings) == before

    os.utime(settings.inbox / "roster_2026-06-30.csv")
    third = run_etl(settings)
    assert [f.status for f in third.files] == ["unchanged", "unchanged"]


def test_changed_file_supersedes_its_earlier_version(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """Re-exporting roster_2026-09-30.csv without E5 replaces the old rows of that path:
    Sales drops from 2 to 1 active (E3 only); the old version stays in `files` as superseded."""
    settings = settings_for()
    write_two_rosters(settings, write_roster)
    run_etl(settings)
    write_roster(
        settings.inbox / "roster_2026-09-30.csv",
        [
            workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
            workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
            workday_row("E3", "Cy Dao", "Sales", "2022-03-01", manager="E1"),
        ],
    )
    summary = run_etl(settings)
    assert [f.status for f in summary.files] == ["unchanged", "loaded"]
    assert active_headcount(settings) == [("Eng", 2), ("Sales", 1)]
    con = duckdb.connect(str(settings.snapshot_path), read_only=True)
    try:
        rows = con.execute("select path, superseded from files order by file_id").fetchall()
    finally:
        con.close()
    assert rows == [
        ("roster_2026-06-30.csv", False),
        ("roster_2026-09-30.csv", True),
        ("roster_2026-09-30.csv", False),
    ]


def test_unreadable_file_is_rejected_and_the_run_goes_on(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """A stray text file is rejected with a reason; the roster beside it still loads."""
    settings = settings_for()
    write_roster(
        settings.inbox / "roster_2026-09-30.csv",
        [
            workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
        ],
    )
    (settings.inbox / "notes.txt").write_text("hello, these are my notes\n", encoding="utf-8")
    summary = run_etl(settings)
    assert summary.status == "published"
    by_path = {f.path: f for f in summary.files}
    assert by_path["notes.txt"].status == "rejected"
    assert "not a format Skillboard reads" in (by_path["notes.txt"].error or "")
    assert by_path["roster_2026-09-30.csv"].rows_loaded == 1


def test_second_concurrent_run_names_the_lock_holder(settings_for: Callable[..., Settings]) -> None:
    """While one process holds the lock, run_etl raises LockHeld naming the holder's pid."""
    settings = settings_for()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import time
            from pathlib import Path
            from etl.lock import EtlLock
            with EtlLock(Path({str(settings.lock_path)!r})):
                print("held", flush=True)
                time.sleep(60)
        """),
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
            run_etl(settings)
    finally:
        holder.kill()
        holder.wait()


def test_cli_second_run_exits_nonzero_naming_holder(settings_for: Callable[..., Settings]) -> None:
    """`skillboard etl run` while the lock is held: exit status 3, the holder's pid on stderr."""
    settings = settings_for()
    with EtlLock(settings.lock_path):
        proc = run_cli(settings, timeout=120)
    assert proc.returncode == 3
    assert f"pid {os.getpid()}" in proc.stderr


def test_run_killed_before_publish_leaves_old_snapshot_and_next_run_recovers(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """Run 1 publishes (Eng 2, Sales 2). A new file lands; run 2 is SIGKILLed after the new
    snapshot was built but before the rename. The published file is still run 1's and readable;
    the lock file still names the dead pid. Run 3 clears the stale lock, marks run 2 failed,
    removes the leftover temporary file and publishes the new figures (Sales 3 with E6)."""
    settings = settings_for()
    write_two_rosters(settings, write_roster)
    assert run_etl(settings).status == "published"
    write_roster(
        settings.inbox / "roster_2026-10-31.csv",
        [
            workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
            workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
            workday_row("E3", "Cy Dao", "Sales", "2022-03-01", manager="E1"),
            workday_row("E5", "Eve Moe", "Sales", "2026-08-01", manager="E3"),
            workday_row("E6", "Flo Ng", "Sales", "2026-10-01", manager="E3"),
        ],
    )
    marker = settings.warehouse / "about-to-publish"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from etl.run import run_etl
        from skillboard.settings import load_settings
        def hang(tmp):
            Path({str(marker)!r}).write_text(str(tmp))
            time.sleep(120)
        run_etl(load_settings(None, inbox={str(settings.inbox)!r},
                warehouse={str(settings.warehouse)!r}), before_publish=hang)
    """)
    victim = subprocess.Popen([sys.executable, "-c", script], cwd=REPO_ROOT)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert victim.poll() is None, "the run ended before reaching the publish step"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()

    leftover = Path(marker.read_text())
    assert leftover.exists()
    assert active_headcount(settings) == [("Eng", 2), ("Sales", 2)]
    assert f'"pid": {victim.pid}' in settings.lock_path.read_text()

    lock = EtlLock(settings.lock_path)
    lock.acquire()
    assert lock.cleared_stale is not None and lock.cleared_stale["pid"] == victim.pid
    lock.release()

    summary = run_etl(settings)
    assert summary.status == "published"
    assert not leftover.exists()
    assert active_headcount(settings) == [("Eng", 2), ("Sales", 3)]
    con = duckdb.connect(str(settings.snapshot_path), read_only=True)
    try:
        statuses = con.execute("select run_id, status from etl_runs order by run_id").fetchall()
    finally:
        con.close()
    assert statuses == [(1, "published"), (2, "failed"), (3, "published")]


def test_cli_json_summary_counts_add_up(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """`etl run --json` prints exactly one JSON object: run_id, status, snapshot, files[] with
    rows_read = rows_loaded + rows_quarantined per file. Two files of 3 and 4 good rows."""
    settings = settings_for()
    write_two_rosters(settings, write_roster)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "skillboard.cli",
            "etl",
            "run",
            "--json",
            "--inbox",
            str(settings.inbox),
            "--warehouse",
            str(settings.warehouse),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert set(summary) >= {"run_id", "status", "snapshot", "files"}
    assert summary["status"] == "published"
    assert summary["snapshot"] == str(settings.snapshot_path)
    rows = [
        (
            f["path"],
            f["loader"],
            f["status"],
            f["rows_read"],
            f["rows_loaded"],
            f["rows_quarantined"],
            f["error"],
        )
        for f in summary["files"]
    ]
    assert rows == [
        ("roster_2026-06-30.csv", "roster:workday", "loaded", 3, 3, 0, None),
        ("roster_2026-09-30.csv", "roster:workday", "loaded", 4, 4, 0, None),
    ]
    for f in summary["files"]:
        assert f["rows_read"] == f["rows_loaded"] + f["rows_quarantined"]
