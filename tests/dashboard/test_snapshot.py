"""The read-only snapshot connection: lazy open, no-data state, reopen on a new publish."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from dashboard.snapshot import NoSnapshot, Snapshot
from tests.dashboard import snapshot_factory

HEADCOUNT = "select count(*) as n from employees where active"


def test_missing_snapshot_raises_no_snapshot(tmp_path: Path) -> None:
    snapshot = Snapshot(tmp_path / "skillboard.duckdb")
    assert not snapshot.exists()
    with pytest.raises(NoSnapshot):
        snapshot.query("select 1")


def test_nothing_is_opened_before_the_first_query(warehouse: Path) -> None:
    snapshot = Snapshot(warehouse / "skillboard.duckdb")
    assert snapshot.reopen_count == 0
    assert snapshot.query(HEADCOUNT)["n"][0] == 15
    assert snapshot.reopen_count == 1
    snapshot.close()


def test_new_file_published_by_rename_is_seen_by_the_next_query(warehouse: Path) -> None:
    """The fixture has 15 active people; the new file adds 3 (headcount_bump=3): 18."""
    path = warehouse / "skillboard.duckdb"
    snapshot = Snapshot(path)
    assert snapshot.query(HEADCOUNT)["n"][0] == 15
    tmp = warehouse / ".next.tmp.duckdb"
    snapshot_factory.build(tmp, headcount_bump=3)
    os.replace(tmp, path)
    assert snapshot.query(HEADCOUNT)["n"][0] == 18
    assert snapshot.reopen_count == 2
    snapshot.close()


def test_memo_is_dropped_when_a_new_file_is_published(warehouse: Path) -> None:
    path = warehouse / "skillboard.duckdb"
    snapshot = Snapshot(path)
    first = snapshot.memo("n", lambda: int(snapshot.query(HEADCOUNT)["n"][0]))
    tmp = warehouse / ".next.tmp.duckdb"
    snapshot_factory.build(tmp, headcount_bump=1)
    os.replace(tmp, path)
    second = snapshot.memo("n", lambda: int(snapshot.query(HEADCOUNT)["n"][0]))
    assert (first, second) == (15, 16)
    snapshot.close()


def test_snapshot_removed_after_opening_reports_no_snapshot(warehouse: Path) -> None:
    path = warehouse / "skillboard.duckdb"
    snapshot = Snapshot(path)
    snapshot.query(HEADCOUNT)
    path.unlink()
    with pytest.raises(NoSnapshot):
        snapshot.query(HEADCOUNT)


def test_queries_from_many_threads_share_one_connection(warehouse: Path) -> None:
    snapshot = Snapshot(warehouse / "skillboard.duckdb")
    results: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(20):
            n = int(snapshot.query(HEADCOUNT)["n"][0])
            with lock:
                results.append(n)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [15] * 80
    assert snapshot.reopen_count == 1
    snapshot.close()
