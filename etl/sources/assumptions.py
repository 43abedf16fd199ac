"""``assumptions.toml``: the business assumptions behind the cost and retention metrics.

Recognised by content: a TOML document that sets at least one known key, at the top level or
in an ``[assumptions]`` table. Each known key present becomes one ``raw_assumptions`` row
(``row_number`` = its position among the known keys); unknown keys are ignored, so a file can
carry notes or settings for later versions. A bad value quarantines its row and the metric
falls back to the default in :data:`etl.models.ASSUMPTION_DEFAULTS`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, get_args

import polars as pl
from pydantic import ValidationError

from etl.models import Assumption, AssumptionKey, describe_errors
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe, QuarantinedRow
from etl.sources.tabular import ROW_NUMBER, decode_text

NAME = "assumptions"
TABLE = "raw_assumptions"
KNOWN_KEYS: tuple[str, ...] = get_args(AssumptionKey)
SCHEMA: dict[str, pl.DataType] = {ROW_NUMBER: pl.Int64(), "key": pl.String(), "value": pl.Float64()}


def assumptions_of(document: dict[str, Any]) -> dict[str, Any]:
    """The table holding the assumptions: ``[assumptions]`` when present, else the top level."""
    nested = document.get("assumptions")
    return nested if isinstance(nested, dict) else document


def detect(probe: Probe) -> bool:
    """True when the file is TOML that sets at least one known assumption.

    Args:
        probe: the file's first bytes (an assumptions file is far smaller than the probe).

    Returns:
        Whether this loader reads the file.
    """
    text = probe.text_head().lstrip()
    if not text or text[0] in "{<":  # JSON or XML/SVG; tomllib would only fail slower
        return False
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return any(key in assumptions_of(document) for key in KNOWN_KEYS)


def load(path: Path, ctx: LoadContext) -> LoadResult:
    """Read the known keys of an assumptions file, one row each.

    Args:
        path: the TOML file.
        ctx: unused.

    Returns:
        ``tables["raw_assumptions"]`` with ``row_number``, ``key`` and ``value``.

    Raises:
        FileRejected: when the file is not valid TOML.
    """
    try:
        document = tomllib.loads(decode_text(path.read_bytes()))
    except tomllib.TOMLDecodeError as error:
        raise FileRejected(f"{path.name} is not valid TOML ({error}); fix that line") from error
    present = [(key, value) for key, value in assumptions_of(document).items() if key in KNOWN_KEYS]
    rows: list[dict[str, Any]] = []
    quarantine: list[QuarantinedRow] = []
    for position, (key, value) in enumerate(present, start=1):
        try:
            assumption = Assumption.model_validate({"key": key, "value": value})
        except ValidationError as error:
            quarantine.append(
                QuarantinedRow(
                    row_number=position, raw={key: _as_text(value)}, reason=describe_errors(error)
                )
            )
            continue
        rows.append({ROW_NUMBER: position, "key": assumption.key, "value": assumption.value})
    return LoadResult(
        loader=NAME,
        rows_read=len(present),
        tables={TABLE: pl.DataFrame(rows, schema=SCHEMA, orient="row")},
        quarantine=quarantine,
    )


def _as_text(value: Any) -> str:
    # The quarantine keeps values as the file wrote them; TOML booleans are lower-case.
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
