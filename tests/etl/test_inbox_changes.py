"""What a run does with files it has seen before, parsed in this process and in workers.

A run hashes every new or touched file (in the loader workers when the inbox is big enough
to start them) and skips parsing content the store already holds; the writer then decides
whether the file is unchanged (a touch, a rename) or a new file with known bytes (a copy under
a second path that stays in the inbox, which must be loaded: a roster's date can come from its
name). Each test runs twice: with everything in this process, and with the worker pool forced
on for these small files, so both paths of :mod:`etl.parallel` give the same store.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb
import pytest

from etl import parallel
from etl.run import RunSummary, run_etl
from etl.store import attach_read_only
from skillboard.settings import Settings
from tests.conftest import workday_row

Writer = Callable[[Path, Sequence[str]], Path]

ROWS = [
    workday_row("E1", "Ann Lee", "Eng", "2020-01-15"),
    workday_row("E2", "Bob Ray", "Eng", "2021-02-01", manager="E1"),
    workday_row("E3", "Cy Dao", "Sales", "2022-03-01", manager="E1"),
]


@pytest.fixture(params=["in process", "workers"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run in this process, or start the worker pool whatever the inbox's size."""
    if request.param == "workers":
        monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    return str(request.param)


def _outcomes(summary: RunSummary) -> list[tuple[str, str, int]]:
    return [(f.path, f.status, f.rows_loaded) for f in summary.files]


def _files(settings: Settings) -> list[tuple[object, ...]]:
    con = duckdb.connect()
    try:
        attach_read_only(con, settings.store_path)
        return con.execute(
            "select f.path, f.superseded_by is null, f.rows_loaded, "
            "(select count(*) from raw.raw_roster as r where r.file_id = f.file_id) "
            "from store.files as f order by f.file_id"
        ).fetchall()
    finally:
        con.close()


def test_touched_file_is_unchanged_and_its_new_mtime_is_remembered(
    mode: str, settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """Run 1 loads 3 rows. `touch` gives the file a new mtime with the same bytes: run 2 hashes
    it, finds the content and lists it 'unchanged' (0 rows loaded, still 1 file record); the
    store remembers the new mtime, so run 3 skips it without hashing (also 'unchanged')."""
    settings = settings_for()
    path = write_roster(settings.inbox / "roster_2026-06-30.csv", ROWS)
    assert _outcomes(run_etl(settings)) == [("roster_2026-06-30.csv", "loaded", 3)]

    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert _outcomes(run_etl(settings)) == [("roster_2026-06-30.csv", "unchanged", 0)]
    assert _files(settings) == [("roster_2026-06-30.csv", True, 3, 3)]
    con = duckdb.connect(str(settings.store_path), read_only=True)
    try:
        assert con.execute("select mtime_ns from files").fetchall() == [(1_000_000_000,)]
    finally:
        con.close()
    assert _outcomes(run_etl(settings)) == [("roster_2026-06-30.csv", "unchanged", 0)]


def test_renamed_file_is_unchanged_and_keeps_its_rows(
    mode: str, settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """Moving roster_2026-06-30.csv to archive/ (the old path is gone) is a rename: run 2 lists
    the new path 'unchanged' under the roster loader, and the store still has 1 file, 3 rows."""
    settings = settings_for()
    path = write_roster(settings.inbox / "roster_2026-06-30.csv", ROWS)
    run_etl(settings)
    (settings.inbox / "archive").mkdir()
    shutil.move(path, settings.inbox / "archive" / path.name)

    second = run_etl(settings)
    assert _outcomes(second) == [("archive/roster_2026-06-30.csv", "unchanged", 0)]
    assert second.files[0].loader is not None and second.files[0].loader.startswith("roster")
    assert _files(settings) == [("roster_2026-06-30.csv", True, 3, 3)]


def test_copy_under_a_second_path_is_loaded_as_its_own_file(
    mode: str, settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """The same bytes as roster_2026-06-30.csv saved as roster_2026-07-31.csv, both in the
    inbox: the copy is a second snapshot (its date comes from its name), so run 2 loads its 3
    rows as file 2 although its hash is known; file 1 is untouched (2 files, 3 + 3 rows)."""
    settings = settings_for()
    path = write_roster(settings.inbox / "roster_2026-06-30.csv", ROWS)
    run_etl(settings)
    shutil.copy(path, settings.inbox / "roster_2026-07-31.csv")

    second = run_etl(settings)
    assert _outcomes(second) == [
        ("roster_2026-06-30.csv", "unchanged", 0),
        ("roster_2026-07-31.csv", "loaded", 3),
    ]
    assert _files(settings) == [
        ("roster_2026-06-30.csv", True, 3, 3),
        ("roster_2026-07-31.csv", True, 3, 3),
    ]


def test_new_files_and_a_rejected_one_in_inbox_order(
    mode: str, settings_for: Callable[..., Settings], write_roster: Writer
) -> None:
    """Three new files, the middle one unreadable: outcomes come back in inbox order whoever
    parsed them (loaded 3, rejected 0, loaded 4) and the store holds the two rosters' 7 rows
    plus the rejected file's record."""
    settings = settings_for()
    write_roster(settings.inbox / "a_roster_2026-06-30.csv", ROWS)
    (settings.inbox / "b_notes.txt").write_text("not a roster\n", encoding="utf-8")
    write_roster(
        settings.inbox / "c_roster_2026-07-31.csv",
        [*ROWS, workday_row("E4", "Di Fox", "Sales", "2026-07-01", manager="E3")],
    )
    summary = run_etl(settings)
    assert _outcomes(summary) == [
        ("a_roster_2026-06-30.csv", "loaded", 3),
        ("b_notes.txt", "rejected", 0),
        ("c_roster_2026-07-31.csv", "loaded", 4),
    ]
    assert _files(settings) == [
        ("a_roster_2026-06-30.csv", True, 3, 3),
        ("b_notes.txt", True, 0, 0),
        ("c_roster_2026-07-31.csv", True, 4, 4),
    ]
