"""Reference files: ``skills_map.csv``, ``role_requirements.csv`` and ``programs.csv``.

Each is recognised by its header row, whatever its name, and read into the raw table of the
same name. Every line is judged by its model in :mod:`etl.models` (these files are small and
hand-edited, so per-row validation is cheap and gives the clearest reasons); extra columns are
ignored so people can keep notes next to the data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import BaseModel, ValidationError

from etl.models import Program, RoleRequirement, SkillMapping, describe_errors
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe, QuarantinedRow
from etl.sources.tabular import ROW_NUMBER, header_of, read_text_table

NAME = "reference"


@dataclass(frozen=True)
class ReferenceKind:
    """One kind of reference file: how to recognise it and where its rows go."""

    name: str
    table: str
    model: type[BaseModel]
    schema: dict[str, pl.DataType]
    """Output columns (``raw_<name>`` in sql/store/raw_tables.sql, minus file_id)."""
    recognise: Callable[[set[str]], bool]
    """Given the normalised header names, is this the file?"""


KINDS: tuple[ReferenceKind, ...] = (
    ReferenceKind(
        "programs",
        "raw_programs",
        Program,
        {
            ROW_NUMBER: pl.Int64(),
            "program_id": pl.String(),
            "program_name": pl.String(),
            "badge_class_id": pl.String(),
            "badge_name": pl.String(),
            "cost_per_learner": pl.Float64(),
            "learning_hours": pl.Float64(),
        },
        lambda h: {"program_id", "cost_per_learner"} <= h,
    ),
    ReferenceKind(
        "role_requirements",
        "raw_role_requirements",
        RoleRequirement,
        {
            ROW_NUMBER: pl.Int64(),
            "job_title": pl.String(),
            "job_family": pl.String(),
            "skill_id": pl.String(),
            "required_level": pl.Int32(),
            "target": pl.Float64(),
            "weight": pl.Float64(),
        },
        lambda h: (
            "skill_id" in h
            and bool(h & {"job_title", "job_family"})
            and bool(h & {"required_level", "target", "weight"})
        ),
    ),
    ReferenceKind(
        "skills_map",
        "raw_skills_map",
        SkillMapping,
        {
            ROW_NUMBER: pl.Int64(),
            "badge_class_id": pl.String(),
            "badge_name": pl.String(),
            "skill_id": pl.String(),
            "skill_name": pl.String(),
            "framework": pl.String(),
            "level": pl.Int32(),
        },
        lambda h: (
            "skill_id" in h
            and bool(h & {"badge_class_id", "badge_name"})
            and bool(h & {"framework", "skill_name"})
        ),
    ),
)


def reference_name(header: str) -> str:
    """A header as a field name, e.g. "Skill ID" -> "skill_id"."""
    return re.sub(r"[\s\-]+", "_", header.strip().lstrip("\ufeff").strip().lower())


def kind_of(headers: list[str]) -> ReferenceKind | None:
    """The reference file these headers belong to, if any."""
    names = {reference_name(h) for h in headers}
    return next((kind for kind in KINDS if kind.recognise(names)), None)


def detect(probe: Probe) -> bool:
    """True when the header row is that of a skills map, role requirements or programs file.

    Args:
        probe: the file's first bytes.

    Returns:
        Whether this loader reads the file.
    """
    headers = header_of(probe)
    return bool(headers) and kind_of(headers or []) is not None


def load(path: Path, ctx: LoadContext) -> LoadResult:
    """Read one reference file into its raw table.

    Args:
        path: the CSV (or XLSX) file.
        ctx: unused; reference files need no settings.

    Returns:
        ``tables[<raw table>]`` with the canonical columns and ``row_number``; defaults filled
        in (target 1.0, weight 1.0).

    Raises:
        FileRejected: when the file cannot be read or its headers match no reference file.
    """
    table = read_text_table(path)
    kind = kind_of(table.headers)
    if kind is None:
        raise FileRejected(
            f"{path.name}: not a reference file; skills_map needs skill_id, badge_class_id or "
            "badge_name, and framework or skill_name; role_requirements needs job_title or "
            "job_family, skill_id and target/weight/required_level; programs needs program_id "
            "and cost_per_learner"
        )
    # First header of each canonical name wins when a file repeats a column.
    source_of: dict[str, str] = {}
    for header in table.headers:
        source_of.setdefault(reference_name(header), header)
    fields = [name for name in kind.schema if name != ROW_NUMBER]

    rows: list[dict[str, Any]] = []
    quarantine: list[QuarantinedRow] = []
    for raw in table.frame.to_dicts():
        values = {f: raw[source_of[f]] for f in fields if f in source_of}
        try:
            record = kind.model.model_validate(values)
        except ValidationError as error:
            quarantine.append(
                QuarantinedRow(
                    row_number=raw[ROW_NUMBER],
                    raw={h: ("" if raw[h] is None else raw[h]) for h in table.headers},
                    reason=describe_errors(error),
                )
            )
            continue
        rows.append({ROW_NUMBER: raw[ROW_NUMBER], **record.model_dump()})
    frame = pl.DataFrame(rows, schema=kind.schema, orient="row")
    return LoadResult(
        loader=f"{NAME}:{kind.name}",
        rows_read=table.frame.height,
        tables={kind.table: frame},
        quarantine=quarantine,
    )
