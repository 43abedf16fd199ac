"""Retention: rows outlive their inbox file; forget removes them; rebuild needs only the store."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pytest

from etl.generate import generate
from etl.retention import StillInInbox, forget_file, rebuild
from etl.run import run_etl
from etl.segments import segments_root
from etl.store import attach_read_only
from skillboard.settings import Settings
from tests.conftest import REPO_ROOT, workday_row
from tests.etl.snapshots import active_headcount, query, write_two_rosters

Writer = Callable[[Path, Sequence[str]], Path]
# The run log and the build record differ by nature; everything else must not.
RUN_TABLES = {"snapshot_info", "etl_runs", "stg_etl_runs"}
E9_BAD_HIRE_DATE = workday_row("E9", "Ike Qu", "Sales", "31/04/2015", manager="E3")
"""A second-roster line whose hire date does not exist: quarantined."""


def _public_tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table and view of the snapshot but the run log, rows in a stable order."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' order by 1"
            ).fetchall()
        ]
        # The names come from the snapshot's own catalog, not from input.
        return {
            name: [
                tuple(_float_key(v) for v in row)
                for row in con.execute(f'select * from "{name}" order by all').fetchall()
            ]
            for name in names
            if name not in RUN_TABLES
        }
    finally:
        con.close()


def _float_key(value: object) -> object:
    # DuckDB sums floats in parallel, in no fixed order: the last bits of a mean may differ
    # from one build to the next (0.9666666666666666 vs ...668). Twelve digits are the same.
    return float(f"{value:.12g}") if isinstance(value, float) else value


def test_rebuild_over_an_emptied_inbox_gives_identical_tables(
    settings_for: Callable[..., Settings],
) -> None:
    """A generated employer (60 employees, seed 1: rosters, three badge formats, reference
    files) is loaded; the inbox is then emptied and `rebuild` publishes a new snapshot file
    from the store alone. Every table except snapshot_info and the run log (etl_runs and its
    staging model) has the same rows as before, and the marts are not empty (employees,
    badge_awards hold rows)."""
    settings = settings_for()
    generate(settings.inbox, employees=60, seed=1)
    assert run_etl(settings).status == "published"
    before = _public_tables(settings.snapshot_path)
    inode = settings.snapshot_path.stat().st_ino
    shutil.rmtree(settings.inbox)
    settings.inbox.mkdir()

    summary = rebuild(settings)
    assert summary.status == "published"
    assert summary.files == []
    assert settings.snapshot_path.stat().st_ino != inode
    after = _public_tables(settings.snapshot_path)
    assert sorted(after) == sorted(before)
    assert len(before["employees"]) > 0 and len(before["badge_awards"]) > 0
    for name in before:
        assert after[name] == before[name], name


def test_file_removed_from_the_inbox_keeps_its_rows(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """Lineage: after roster_2026-09-30.csv leaves the inbox, the next run does not delete its
    rows. Active as of 2026-09-30 stays Eng 2 (E1, E2), Sales 2 (E3, E5), and `files` still
    lists it as current (not superseded)."""
    settings = settings_for()
    write_two_rosters(settings, write_roster, extra=[E9_BAD_HIRE_DATE])
    run_etl(settings)
    (settings.inbox / "roster_2026-09-30.csv").unlink()
    summary = run_etl(settings)
    assert [f.path for f in summary.files] == ["roster_2026-06-30.csv"]
    assert active_headcount(settings) == [("Eng", 2), ("Sales", 2)]
    assert query(settings.snapshot_path, "select path, superseded from files order by 1") == [
        ("roster_2026-06-30.csv", False),
        ("roster_2026-09-30.csv", False),
    ]


def test_forget_removes_one_files_rows_and_quarantine_then_republishes(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """roster_2026-09-30.csv (4 good rows, E9 quarantined for its 31 April hire date) is moved
    out of the inbox and forgotten: the store holds none of its rows, records or quarantine;
    the snapshot is rebuilt from roster_2026-06-30.csv alone: Eng 2 (E1, E2), Sales 1 (E3),
    and the quarantine is empty."""
    settings = settings_for()
    write_two_rosters(settings, write_roster, extra=[E9_BAD_HIRE_DATE])
    first = run_etl(settings)
    assert [f.rows_quarantined for f in first.files] == [0, 1]
    (settings.inbox / "roster_2026-09-30.csv").unlink()

    summary = forget_file(settings, "roster_2026-09-30.csv")
    assert summary.status == "published"
    assert active_headcount(settings) == [("Eng", 2), ("Sales", 1)]
    assert query(settings.snapshot_path, "select count(*) from quarantine") == [(0,)]
    assert query(settings.store_path, "select path from files") == [("roster_2026-06-30.csv",)]
    con = duckdb.connect()
    try:
        attach_read_only(con, settings.store_path)
        assert con.execute("select count(*) from raw.raw_roster").fetchall() == [(3,)]
    finally:
        con.close()
    # The forgotten file's rows are gone from disk too, not only from the views.
    assert [p.parent.name for p in segments_root(settings.store_path).rglob("*.parquet")] == [
        "file_id=1"
    ]


def test_forget_refuses_a_file_still_in_the_inbox(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """Forgetting a file the next run would load again is refused with what to do; the CLI
    exits 1 with that reason."""
    settings = settings_for()
    write_two_rosters(settings, write_roster, extra=[E9_BAD_HIRE_DATE])
    run_etl(settings)
    with pytest.raises(StillInInbox, match="move it out first"):
        forget_file(settings, "roster_2026-09-30.csv")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "skillboard.cli",
            "etl",
            "forget",
            "--file",
            "roster_2026-09-30.csv",
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
    assert proc.returncode == 1
    assert "still in the inbox" in proc.stderr


def test_forget_of_an_unknown_file_fails_with_a_suggestion(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """`etl forget --file roster_2026-09-31.csv` (a typo): exit 2, the reason and the closest
    known names on stderr; the published snapshot is unchanged (Eng 2, Sales 2)."""
    settings = settings_for()
    write_two_rosters(settings, write_roster, extra=[E9_BAD_HIRE_DATE])
    run_etl(settings)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "skillboard.cli",
            "etl",
            "forget",
            "--file",
            "roster_2026-09-31.csv",
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
    assert "no file 'roster_2026-09-31.csv' in the store (did you mean" in proc.stderr
    assert "roster_2026-09-30.csv" in proc.stderr
    assert active_headcount(settings) == [("Eng", 2), ("Sales", 2)]


def test_cli_rebuild_prints_one_json_summary(
    settings_for: Callable[..., Settings],
    write_roster: Writer,
) -> None:
    """`etl rebuild --json` after one run: exit 0, status published, no files read, run 2."""
    settings = settings_for()
    write_two_rosters(settings, write_roster, extra=[E9_BAD_HIRE_DATE])
    run_etl(settings)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "skillboard.cli",
            "etl",
            "rebuild",
            "--json",
            "--warehouse",
            str(settings.warehouse),
            "--inbox",
            str(settings.inbox / "nowhere"),
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["run_id"], summary["status"], summary["files"]) == (2, "published", [])
