"""Run the SQL models of ``sql/`` in dependency order into a snapshot database.

A model is a ``.sql`` file holding one ``select`` (a chain of named CTEs ending in
``select * from final``); it is materialised as a table named after the file's stem.
``sql/staging/`` models read the store (attached as ``store``); ``sql/marts/`` models read staging
or other marts. Python models (statistics SQL cannot do, such as the Cox regression) are
declared in :mod:`etl.pymodels` with the models they read, and take part in the same ordering.

Dependencies are found by looking for other models' names after ``from`` / ``join`` in the SQL
text, so no templating engine or ``ref()`` macro is needed.

A model whose file holds the line ``-- materialize: temp`` is an intermediate step: it is built
in an in-memory database attached for the build, which later models read like any other but
which is not written into the snapshot file. At 5 million awards the staging copies and the
person-time intervals are most of the bytes a build would otherwise write and compress, and
nothing outside the build reads them (the dashboard's queries and the public tables of SPEC §4
never do). Values reach SQL as DuckDB variables (``getvariable('as_of')``), set through
parameters, never by string formatting.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

MODEL_DIRS = ("staging", "marts")
INTERMEDIATE = "intermediate"
"""The in-memory database that holds the temporary models during a build."""
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_REFERENCE = re.compile(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)\b", re.IGNORECASE)
_TEMPORARY = re.compile(r"^--\s*materialize:\s*temp\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Model:
    """One node of the build graph."""

    name: str
    depends_on: frozenset[str]
    sql: str | None = None
    path: Path | None = None
    run: Callable[[duckdb.DuckDBPyConnection], None] | None = None
    """For Python models: builds the table ``name`` on the connection."""
    temporary: bool = False
    """An intermediate step: read by later models, not kept in the snapshot."""


@dataclass
class BuildReport:
    """What the build did, in order, with the time each model took."""

    order: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


class ModelError(RuntimeError):
    """A model failed; the message names the model file."""


def discover(sql_dir: Path, python_models: Iterable[Model] = ()) -> dict[str, Model]:
    """Collect the SQL models under ``sql_dir`` and the given Python models.

    Args:
        sql_dir: the project's ``sql/`` folder.
        python_models: models computed in Python, each naming what it reads.

    Returns:
        Model name -> model, with dependencies resolved to known model names only.
    """
    texts: dict[str, tuple[Path, str]] = {}
    for sub in MODEL_DIRS:
        for path in sorted((sql_dir / sub).glob("*.sql")):
            if path.stem in texts:
                raise ModelError(
                    f"two models are named {path.stem}: {texts[path.stem][0]} and {path}"
                )
            texts[path.stem] = (path, path.read_text(encoding="utf-8"))
    py = {m.name: m for m in python_models}
    names = set(texts) | set(py)
    models: dict[str, Model] = {}
    for name, (path, text) in texts.items():
        refs = {r.lower() for r in _REFERENCE.findall(_COMMENT.sub(" ", text))}
        models[name] = Model(
            name,
            frozenset((refs & names) - {name}),
            sql=text,
            path=path,
            temporary=bool(_TEMPORARY.search(text)),
        )
    for name, model in py.items():
        models[name] = Model(name, frozenset(model.depends_on & names), run=model.run)
    return models


def build_order(models: Mapping[str, Model]) -> list[str]:
    """Return model names so that every model comes after what it reads.

    Raises:
        ModelError: when the models form a cycle.
    """
    sorter: TopologicalSorter[str] = TopologicalSorter()
    for name in sorted(models):
        sorter.add(name, *sorted(models[name].depends_on))
    try:
        return list(sorter.static_order())
    except CycleError as exc:
        raise ModelError(f"the SQL models form a cycle: {' -> '.join(exc.args[1])}") from exc


def set_variables(con: duckdb.DuckDBPyConnection, variables: Mapping[str, Any]) -> None:
    """Set DuckDB session variables read by models through ``getvariable(name)``."""
    for name, value in variables.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"bad variable name {name!r}")
        # The name is checked above; the value goes in as a parameter.
        con.execute(f"set variable {name} = ?", [value])


def run_models(
    con: duckdb.DuckDBPyConnection,
    models: Mapping[str, Model],
    *,
    on_model: Callable[[str, int, int], None] | None = None,
    variables: Mapping[str, Any] | None = None,
    workers: int = 1,
) -> BuildReport:
    """Materialise every model as a table, each once the models it reads are built.

    Up to ``workers`` models are built at once, each through its own cursor on ``con``.
    Temporary models go to an in-memory database attached as ``intermediate`` (a temp table
    would be visible to one cursor only) and are dropped as soon as no model left to build
    reads them: at 5 million awards the staging copies alone outgrow the build's memory limit,
    and every block kept past its last reader is one that later models spill to disk.

    Args:
        con: connection to the (temporary) snapshot, with the store attached as ``store``.
        models: from :func:`discover`.
        on_model: progress callback (name, index, total), called as each model starts.
        variables: DuckDB variables the models read (see :func:`set_variables`).
        workers: how many models may be built at the same time.

    Returns:
        The order in which models were finished and the seconds each took.

    Raises:
        ModelError: naming the model whose SQL failed.
    """
    order = build_order(models)
    readers = _readers(models, order)
    queue = _by_longest_chain(order, readers)
    con.execute(f"attach if not exists ':memory:' as {INTERMEDIATE}")
    cursors: list[duckdb.DuckDBPyConnection] = []
    local = threading.local()
    lock = threading.Lock()

    def build(name: str) -> float:
        own: duckdb.DuckDBPyConnection | None = getattr(local, "cursor", None)
        if own is None:
            own = con.cursor()
            # Models name what they read without a catalog; this finds the intermediates too.
            own.execute(f"set search_path = 'main,{INTERMEDIATE}.main'")
            set_variables(own, variables or {})
            local.cursor = own
            with lock:
                cursors.append(own)
        started = time.perf_counter()
        _build(own, models[name])
        return time.perf_counter() - started

    report = BuildReport()
    built: set[str] = set()
    running: dict[Future[float], str] = {}
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="model") as pool:
            try:
                while len(built) < len(order):
                    started = built | set(running.values())
                    ready = [n for n in queue if n not in started and models[n].depends_on <= built]
                    for name in ready[: workers - len(running)]:
                        if on_model is not None:
                            on_model(name, len(started) + 1, len(order))
                        running[pool.submit(build, name)] = name
                        started.add(name)
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        name = running.pop(future)
                        report.seconds[name] = future.result()
                        report.order.append(name)
                        built.add(name)
                        for read in models[name].depends_on | {name}:
                            if models[read].temporary and readers[read] <= built:
                                con.execute(f"drop table {INTERMEDIATE}.{read}")
            except BaseException:
                # Stop the models still running; leaving the pool waits for their threads.
                for other in cursors:
                    other.interrupt()
                raise
    finally:
        for own in cursors:
            own.close()
    con.execute(f"detach database {INTERMEDIATE}")
    return report


def _readers(models: Mapping[str, Model], order: list[str]) -> dict[str, set[str]]:
    """Model name -> the models that read it."""
    readers: dict[str, set[str]] = {name: set() for name in order}
    for name in order:
        for read in models[name].depends_on:
            readers[read].add(name)
    return readers


def _by_longest_chain(order: list[str], readers: Mapping[str, set[str]]) -> list[str]:
    """The models, those with the longest chain of readers after them first.

    Of the models ready to start, these go first: the build ends when its longest chain does.
    """
    chain: dict[str, int] = {}
    for name in reversed(order):
        chain[name] = 1 + max((chain[r] for r in readers[name]), default=0)
    return sorted(order, key=lambda name: -chain[name])


def _build(con: duckdb.DuckDBPyConnection, model: Model) -> None:
    """Materialise one model on ``con``."""
    try:
        if model.run is not None:
            model.run(con)
            return
        assert model.sql is not None
        body = model.sql.strip().rstrip(";")
        table = f"{INTERMEDIATE}.{model.name}" if model.temporary else model.name
        # The table name comes from a file name in our own sql/ folder, not from input.
        con.execute(f"create or replace table {table} as {body}")
    except duckdb.Error as exc:
        where = model.path or f"python model {model.name}"
        raise ModelError(f"model {model.name} ({where}) failed: {exc}") from exc
