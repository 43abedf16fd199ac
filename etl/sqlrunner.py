"""Run the SQL models of ``sql/`` in dependency order into a snapshot database.

A model is a ``.sql`` file holding one ``select`` (a chain of named CTEs ending in
``select * from final``); it is materialised as a table named after the file's stem.
``sql/staging/`` models read the store (attached as ``store``); ``sql/marts/`` models read staging
or other marts. Python models (statistics SQL cannot do, such as the Cox regression) are
declared in :mod:`etl.pymodels` with the models they read, and take part in the same ordering.

Dependencies are found by looking for other models' names after ``from`` / ``join`` in the SQL
text, so no templating engine or ``ref()`` macro is needed.

A model whose file holds the line ``-- materialize: temp`` is an intermediate step: it is built
as a temporary table, which later models read like any other but which is not written into the
snapshot file. At 5 million awards the staging copies and the person-time intervals are most of
the bytes a build would otherwise write and compress, and nothing outside the build reads them
(the dashboard's queries and the public tables of SPEC §4 never do). Values reach SQL as DuckDB
variables (``getvariable('as_of')``), set through parameters, never by string formatting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

import duckdb

MODEL_DIRS = ("staging", "marts")
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
    """Built as a temporary table: read by later models, not kept in the snapshot."""


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
) -> BuildReport:
    """Materialise every model as a table, in dependency order.

    Args:
        con: connection to the (temporary) snapshot, with the store attached as ``store``.
        models: from :func:`discover`.
        on_model: progress callback (name, index, total).

    Returns:
        The order and per-model timings.

    Raises:
        ModelError: naming the model whose SQL failed.
    """
    import time

    report = BuildReport()
    order = build_order(models)
    for index, name in enumerate(order, start=1):
        model = models[name]
        if on_model is not None:
            on_model(name, index, len(order))
        started = time.perf_counter()
        try:
            if model.run is not None:
                model.run(con)
            else:
                assert model.sql is not None
                body = model.sql.strip().rstrip(";")
                kind = "temp table" if model.temporary else "table"
                # The table name comes from a file name in our own sql/ folder, not from input.
                con.execute(f"create or replace {kind} {name} as {body}")
        except duckdb.Error as exc:
            where = model.path or f"python model {name}"
            raise ModelError(f"model {name} ({where}) failed: {exc}") from exc
        report.order.append(name)
        report.seconds[name] = time.perf_counter() - started
    return report
