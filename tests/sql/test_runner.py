"""The model runner: dependency order with two models at a time, intermediates dropped after
their last reader, and a failing model named in the error."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl.sqlrunner import INTERMEDIATE, Model, ModelError, discover, run_models


def _write(sql_dir: Path, folder: str, name: str, sql: str) -> None:
    (sql_dir / folder).mkdir(parents=True, exist_ok=True)
    (sql_dir / folder / f"{name}.sql").write_text(sql, encoding="utf-8")


@pytest.fixture
def models(tmp_path: Path) -> dict[str, Model]:
    """stg_numbers (intermediate: 1, 2, 3) -> doubled (2, 4, 6) and tripled (3, 6, 9) ->
    summed (doubled + tripled per n: 5, 10, 15); `lonely` reads nothing."""
    sql_dir = tmp_path / "sql"
    _write(
        sql_dir,
        "staging",
        "stg_numbers",
        "-- materialize: temp\nwith final as (select * from range(1, 4) as r(n))\n"
        "select * from final",
    )
    _write(sql_dir, "marts", "doubled", "select n, 2 * n as v from stg_numbers")
    _write(sql_dir, "marts", "tripled", "select n, 3 * n as v from stg_numbers")
    _write(
        sql_dir,
        "marts",
        "summed",
        "select d.n, d.v + t.v as v from doubled as d join tripled as t on t.n = d.n",
    )
    _write(sql_dir, "marts", "lonely", "select getvariable('answer') as answer")
    return discover(sql_dir)


def test_two_workers_build_every_model_after_what_it_reads(models: dict[str, Model]) -> None:
    """summed = doubled + tripled = 5n for n = 1..3; each model finishes after its inputs; the
    variable reaches the models (answer = 42); the intermediate is not left in the database."""
    con = duckdb.connect()
    report = run_models(con, models, variables={"answer": 42}, workers=2)
    assert con.execute("select n, v from summed order by n").fetchall() == [
        (1, 5),
        (2, 10),
        (3, 15),
    ]
    assert con.execute("select answer from lonely").fetchall() == [(42,)]
    finished = report.order.index
    assert finished("stg_numbers") < finished("doubled") < finished("summed")
    assert finished("tripled") < finished("summed")
    assert set(report.seconds) == set(models)
    databases = {
        r[0] for r in con.execute("select database_name from duckdb_databases()").fetchall()
    }
    assert INTERMEDIATE not in databases
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert tables == {"doubled", "tripled", "summed", "lonely"}


def test_an_intermediate_is_dropped_once_its_last_reader_is_built(
    models: dict[str, Model],
) -> None:
    """With one worker, stg_numbers is read by doubled and tripled only: when summed starts,
    both are built and stg_numbers is already gone; when the first of them starts, it is there."""
    con = duckdb.connect()
    seen: dict[str, set[str]] = {}

    def on_model(name: str, _index: int, _total: int) -> None:
        rows = con.execute(
            "select table_name from duckdb_tables() where database_name = ?", [INTERMEDIATE]
        ).fetchall()
        seen[name] = {r[0] for r in rows}

    run_models(con, models, on_model=on_model, variables={"answer": 1}, workers=1)
    assert seen["summed"] == set()
    first_reader = min(("doubled", "tripled"), key=list(seen).index)
    assert seen[first_reader] == {"stg_numbers"}


def test_a_failing_model_is_named_and_stops_the_build(tmp_path: Path) -> None:
    """`broken` divides a string by a number: the error names the model and its file; `slow`
    (a Python model sleeping 0.2 s beside it) is waited for, and nothing after them starts."""
    sql_dir = tmp_path / "sql"
    _write(sql_dir, "marts", "broken", "select 'a' / 2 as x")
    _write(sql_dir, "marts", "after_broken", "select * from broken")
    running: list[str] = []
    lock = threading.Lock()

    def slow(con: duckdb.DuckDBPyConnection) -> None:
        with lock:
            running.append("slow")
        time.sleep(0.2)
        con.execute("create or replace table slow as select 1 as x")

    models = discover(sql_dir, [Model("slow", frozenset(), run=slow)])
    started: list[str] = []
    con = duckdb.connect()
    with pytest.raises(ModelError, match=r"model broken \(.*broken\.sql\) failed"):
        run_models(con, models, on_model=lambda n, _i, _t: started.append(n), workers=2)
    assert "after_broken" not in started
    assert running == ["slow"]
