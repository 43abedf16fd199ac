"""Faults: a run SIGKILLed at every stage, a full disk, a stale lock.

Each kill test publishes run 1 (two roster files), drops three more roster files and starts
run 2 as a separate ``skillboard etl run`` process whose ``SKILLBOARD_FAULT`` makes it SIGKILL
itself at one named point (see :mod:`etl.faults`). After the kill: the published snapshot is
still run 1's and readable, every file in the store is there whole or not at all, and run 3
clears the stale lock and publishes the figures of all five files.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import signal
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pytest

from etl.build import remove_leftovers
from etl.faults import InjectedFault, fault_point, parse_faults, reset
from etl.pymodels import PYTHON_MODELS
from etl.run import run_etl
from etl.segments import segments_root
from etl.sqlrunner import discover
from etl.store import attach_read_only, loaded_file_ids
from skillboard.settings import SQL_DIR, Settings
from tests.conftest import run_cli, workday_row
from tests.etl.snapshots import active_headcount

Writer = Callable[[Path, Sequence[str]], Path]

RUN1_HEADCOUNT = [("Eng", 2), ("Sales", 2)]
# Latest file (2026-12-31): Eng E1, E2, E7; Sales E3, E5, E6, E8.
FINAL_HEADCOUNT = [("Eng", 3), ("Sales", 4)]

MODEL_COUNT = len(discover(SQL_DIR, PYTHON_MODELS))
# Every model boundary when asked (SKILLBOARD_TEST_ALL_MODELS=1), else the first two, the
# middle and the last: the boundaries are alike, the full sweep repeats the same check.
MODEL_HITS = (
    range(1, MODEL_COUNT + 1)
    if os.environ.get("SKILLBOARD_TEST_ALL_MODELS") == "1"
    else sorted({1, 2, MODEL_COUNT // 2, MODEL_COUNT})
)

# (fault, store files loaded after the kill): run 1 loaded 2 files; run 2 brings 3 new ones.
KILL_POINTS = [
    ("load_start:1", 2),
    ("before_file:1", 2),
    ("mid_file:1", 2),
    ("after_file:1", 3),
    ("before_file:2", 3),
    ("mid_file:2", 3),
    ("after_file:2", 4),
    ("before_file:3", 4),
    ("mid_file:3", 4),
    ("after_file:3", 5),
    ("before_build:1", 5),
    *[(f"after_model:{n}", 5) for n in MODEL_HITS],
    ("before_checkpoint:1", 5),
    ("before_rename:1", 5),
]


def _roster(*extra: str) -> list[str]:
    return [
        workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
        workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
        workday_row("E3", "Cy Dao", "Sales", "2022-03-01", manager="E1"),
        *extra,
    ]


E5 = workday_row("E5", "Eve Moe", "Sales", "2026-08-01", manager="E3")
E6 = workday_row("E6", "Flo Ng", "Sales", "2026-10-01", manager="E3")
E7 = workday_row("E7", "Gus Oh", "Eng", "2026-11-02", manager="E1")
E8 = workday_row("E8", "Hal Poe", "Sales", "2026-12-01", manager="E3")


def _first_run(settings: Settings, write_roster: Writer) -> None:
    write_roster(settings.inbox / "roster_2026-06-30.csv", _roster())
    write_roster(settings.inbox / "roster_2026-09-30.csv", _roster(E5))
    assert run_etl(settings).status == "published"
    assert active_headcount(settings) == RUN1_HEADCOUNT


def _three_new_files(settings: Settings, write_roster: Writer) -> None:
    write_roster(settings.inbox / "roster_2026-10-31.csv", _roster(E5, E6))
    write_roster(settings.inbox / "roster_2026-11-30.csv", _roster(E5, E6, E7))
    write_roster(settings.inbox / "roster_2026-12-31.csv", _roster(E5, E6, E7, E8))


def _published_run(settings: Settings) -> int:
    con = duckdb.connect(str(settings.snapshot_path), read_only=True)
    try:
        return int(con.execute("select run_id from snapshot_info").fetchall()[0][0])
    finally:
        con.close()


def _store_files_whole(settings: Settings) -> int:
    """Check every current loaded file has exactly its rows_loaded raw rows; return how many
    files are loaded."""
    con = duckdb.connect()
    try:
        attach_read_only(con, settings.store_path)
        mismatched = con.execute(
            """
            select f.path, f.rows_loaded, count(r.file_id)
            from store.files as f left join raw.raw_roster as r on r.file_id = f.file_id
            where f.status = 'loaded' and f.superseded_by is null
            group by all
            having count(r.file_id) <> f.rows_loaded
            """
        ).fetchall()
        loaded = con.execute(
            "select count(*) from store.files where status = 'loaded' and superseded_by is null"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert mismatched == []
    return int(loaded)


def _loaded_ids(settings: Settings) -> list[int]:
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        return sorted(loaded_file_ids(con))
    finally:
        con.close()


def _segment_folders(settings: Settings) -> list[str]:
    return sorted(p.name for p in segments_root(settings.store_path).iterdir())


def _cli_run(
    settings: Settings,
    fault: str | None = None,
    preexec: Callable[[], None] | None = None,
    *extra: str,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SKILLBOARD_FAULT"}
    if fault:
        env["SKILLBOARD_FAULT"] = fault
    return run_cli(settings, *extra, env=env, preexec=preexec)


@pytest.mark.parametrize(("fault", "files_after_kill"), KILL_POINTS)
def test_run_killed_at_any_point_leaves_previous_snapshot_and_a_whole_store(
    fault: str,
    files_after_kill: int,
    settings_for: Callable[..., Settings],
    write_roster: Writer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Run 2 is SIGKILLed at `fault`. The snapshot is run 1's (Eng 2, Sales 2) and readable;
    the store holds `files_after_kill` files, each with all its rows (3 new files of 5, 6 and 7
    rows; a file killed mid-transaction is absent, not half there); the lock file still names
    the dead pid. Run 3 says it cleared that stale lock, marks run 2 failed and publishes the
    figures of the 2026-12-31 file: Eng 3 (E1, E2, E7), Sales 4 (E3, E5, E6, E8)."""
    settings = settings_for()
    _first_run(settings, write_roster)
    _three_new_files(settings, write_roster)

    killed = _cli_run(settings, fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _published_run(settings) == 1
    assert active_headcount(settings) == RUN1_HEADCOUNT
    assert _store_files_whole(settings) == files_after_kill
    dead_pid = _lock_pid(settings)
    with pytest.raises(ProcessLookupError):
        os.kill(dead_pid, 0)

    with caplog.at_level(logging.WARNING, logger="etl.run"):
        summary = run_etl(settings)
    assert summary.status == "published"
    assert f"cleared a stale ETL lock left by pid {dead_pid}" in caplog.text
    assert active_headcount(settings) == FINAL_HEADCOUNT
    assert _store_files_whole(settings) == 5
    # Whatever the kill left half-staged or half-moved, run 3 pruned: one folder per file.
    assert _segment_folders(settings) == [f"file_id={i}" for i in _loaded_ids(settings)]
    assert remove_leftovers(settings.snapshot_path) == []
    con = duckdb.connect(str(settings.snapshot_path), read_only=True)
    try:
        statuses = con.execute("select run_id, status from etl_runs order by run_id").fetchall()
    finally:
        con.close()
    assert statuses == [(1, "published"), (2, "failed"), (3, "published")]


def _lock_pid(settings: Settings) -> int:
    """The pid the lock file names (the killed run never got to empty it)."""
    return int(json.loads(settings.lock_path.read_text())["pid"])


def test_run_killed_after_rename_has_published_and_next_run_agrees(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """Killed after the new snapshot was moved into place but before the store heard of it:
    the new figures (Eng 3, Sales 4) are published. Run 3 finds nothing new (no rebuild) and
    records run 2 as published, not failed, since its snapshot is the one being served."""
    settings = settings_for()
    _first_run(settings, write_roster)
    _three_new_files(settings, write_roster)
    killed = _cli_run(settings, "after_rename:1")
    assert killed.returncode == -signal.SIGKILL
    assert _published_run(settings) == 2
    assert active_headcount(settings) == FINAL_HEADCOUNT

    summary = run_etl(settings)
    assert summary.status == "published" and summary.rebuilt is False
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        statuses = con.execute("select run_id, status from etl_runs order by run_id").fetchall()
    finally:
        con.close()
    assert statuses == [(1, "published"), (2, "published"), (3, "published")]


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG ("File too large")
        # instead of killing the process: what a full disk looks like to DuckDB.
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_disk_full_while_building_keeps_old_snapshot(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """With files limited to the store's size + 1 MiB, a forced rebuild cannot write the new
    snapshot (several MiB: one block per table at least): exit 2, "disk full while building the
    snapshot" on stderr, run 1's snapshot still served, no temporary file left behind, and the
    next run without the limit publishes."""
    settings = settings_for()
    _first_run(settings, write_roster)
    limit = settings.store_path.stat().st_size + (1 << 20)
    assert settings.snapshot_path.stat().st_size > limit  # else the test proves nothing
    inode = settings.snapshot_path.stat().st_ino

    proc = _cli_run(settings, None, _limit_file_size(limit), "--rebuild")
    assert proc.returncode == 2
    assert "disk full while building the snapshot" in proc.stderr
    assert settings.snapshot_path.stat().st_ino == inode
    assert active_headcount(settings) == RUN1_HEADCOUNT
    assert list(settings.warehouse.glob(".*.tmp.duckdb*")) == []

    assert run_etl(settings, force_rebuild=True).status == "published"
    assert active_headcount(settings) == RUN1_HEADCOUNT


def test_disk_full_while_loading_names_the_file_and_loads_nothing_of_it(
    settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """A 40,003-row roster (E1..E3 + 40,000 in Ops) cannot be written when no file may grow past
    512 KiB (its rows take about 700 KB as a segment): exit 2, "disk full while loading the
    inbox: roster_2026-10-31.csv" on stderr, run 1's snapshot in place, none of the file's rows
    in the store. Without the limit the next run loads all 40,003 rows and Ops counts 40,000
    active people."""
    settings = settings_for()
    _first_run(settings, write_roster)
    big = [workday_row(f"B{i}", f"Big Person{i}", "Ops", "2024-01-01") for i in range(40_000)]
    write_roster(settings.inbox / "roster_2026-10-31.csv", _roster(*big))
    limit = 512 * 1024

    proc = _cli_run(settings, None, _limit_file_size(limit))
    assert proc.returncode == 2
    assert "disk full while loading the inbox: roster_2026-10-31.csv" in proc.stderr
    assert active_headcount(settings) == RUN1_HEADCOUNT
    assert _store_files_whole(settings) == 2

    summary = run_etl(settings)
    assert summary.status == "published"
    assert [f.rows_loaded for f in summary.files if f.status == "loaded"] == [40_003]
    # The limit was below what the file's rows take, so the first run had to fail on them.
    written = segments_root(settings.store_path).rglob("*.parquet")
    assert max(p.stat().st_size for p in written) > limit
    assert dict(active_headcount(settings))["Ops"] == 40_000


def test_fault_spec_parses_points_counts_and_actions() -> None:
    """`after_model:5` kills on the 5th arrival; `*` is every arrival; sleep takes seconds."""
    faults = parse_faults("after_model:5, before_file:*:raise,load_start:2:sleep=0.5")
    assert [(f.point, f.hit, f.action, f.seconds) for f in faults] == [
        ("after_model", 5, "kill", 0.0),
        ("before_file", None, "raise", 0.0),
        ("load_start", 2, "sleep", 0.5),
    ]
    with pytest.raises(ValueError, match="unknown fault point 'after_modle'"):
        parse_faults("after_modle:1")
    with pytest.raises(ValueError, match="POINT:N or POINT:"):
        parse_faults("after_model:first")


def test_raise_fault_fires_only_on_its_arrival(monkeypatch: pytest.MonkeyPatch) -> None:
    """`before_file:2:raise`: the first arrival passes, the second raises, the third passes."""
    monkeypatch.setenv("SKILLBOARD_FAULT", "before_file:2:raise")
    reset()
    fault_point("before_file")
    with pytest.raises(InjectedFault, match="before_file"):
        fault_point("before_file")
    fault_point("before_file")
    fault_point("after_model")


def test_injected_build_error_fails_the_run_and_keeps_the_snapshot(
    settings_for: Callable[..., Settings], write_roster: Writer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ordinary error in the middle of the build (after model 3): status failed, the error
    names the stage, run 1's snapshot is still published, and the temporary file is gone."""
    settings = settings_for()
    _first_run(settings, write_roster)
    _three_new_files(settings, write_roster)
    monkeypatch.setenv("SKILLBOARD_FAULT", "after_model:3:raise")
    reset()
    summary = run_etl(settings)
    assert summary.status == "failed"
    assert summary.error == "building the snapshot failed: injected fault at after_model"
    assert _published_run(settings) == 1
    assert list(settings.warehouse.glob(".*.tmp.duckdb*")) == []
