"""The rows an Open Badges 3.0 file gives, gathered per file into the raw badge tables.

One parsed credential (:class:`ParsedCredential`) gives an award row, its achievement's badge
class and alignment rows, and notes. :class:`FileRows` gathers them for a whole file, keeping
each badge class and its alignments once, and turns them into the ``raw_*`` tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from etl.sources.badge_tables import (
    ALIGNMENT_SCHEMA,
    AWARD_SCHEMA,
    BADGE_CLASS_SCHEMA,
    REVOCATION_SCHEMA,
)


@dataclass
class ParsedCredential:
    """One credential turned into canonical rows."""

    award: dict[str, Any]
    badge_class: dict[str, Any] | None
    alignments: list[dict[str, Any]]
    notes: list[str]


class FileRows:
    """The output rows of one file, badge classes and alignments once per achievement."""

    def __init__(self) -> None:
        self.awards: list[dict[str, Any]] = []
        self.award_frames: list[pl.DataFrame] = []
        self.classes: list[dict[str, Any]] = []
        self.alignments: list[dict[str, Any]] = []
        self.revocations: list[dict[str, Any]] = []
        self.seen_classes: set[str] = set()

    def add(self, row_number: int, parsed: ParsedCredential) -> None:
        """Add one parsed credential's rows; its badge class and alignments only the first time."""
        award = parsed.award
        award["row_number"] = row_number
        self.awards.append(award)
        if award["revoked"]:
            self.revocations.append(
                {
                    "row_number": row_number,
                    "award_id": award["award_id"],
                    "revoked_on": None,
                    "reason": award["revocation_reason"],
                }
            )
        badge_class = parsed.badge_class
        if badge_class is not None and badge_class["badge_class_id"] not in self.seen_classes:
            self.seen_classes.add(badge_class["badge_class_id"])
            self.classes.append({**badge_class, "row_number": row_number})
            self.alignments += [{**a, "row_number": row_number} for a in parsed.alignments]

    def tables(self) -> dict[str, pl.DataFrame]:
        """The file's tables by name; the awards always, the others when they have rows."""
        awards = _frame(self.awards, AWARD_SCHEMA)
        if self.award_frames:
            awards = pl.concat([awards, *self.award_frames]).sort("row_number")
        tables = {"raw_badge_awards": awards}
        for name, rows, schema in (
            ("raw_badge_classes", self.classes, BADGE_CLASS_SCHEMA),
            ("raw_alignments", self.alignments, ALIGNMENT_SCHEMA),
            ("raw_revocations", self.revocations, REVOCATION_SCHEMA),
        ):
            if rows:
                tables[name] = _frame(rows, schema)
        return tables


def _frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    # polars reads the dicts in Rust: twice as fast as building Python lists per column.
    return pl.DataFrame(rows, schema=schema)
