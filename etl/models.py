"""The canonical records: the one definition of a valid row, shared by every loader.

Loaders validate whole columns with polars for speed and fall back to these models for the
rows polars flags, so that the error text always comes from one place and names the field
and the bad value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

AwardSourceFormat = Literal["ob2", "ob1", "ob05", "ob3", "credly_csv", "canvas_csv", "mapped_csv"]
"""Where an award came from: Open Badges 2.0 / 1.x / 0.5, Open Badges 3.0, or a platform CSV."""

ISO_DATE_PATTERN = (
    r"^\d{4}-\d{2}-\d{2}"
    r"(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)?$"
)
"""An ISO 8601 date or date-time. Polars bulk parsing and :func:`parse_badge_date` both use it, so
the fast path and the model agree on what a date is."""

_ISO_DATE = re.compile(ISO_DATE_PATTERN)
_EPOCH = re.compile(r"^-?\d{1,12}(?:\.\d+)?$")
# Unix seconds outside 1970..2200 are far more likely milliseconds or junk than a real award date.
_EPOCH_MAX = 7_258_118_400


def parse_badge_date(value: object) -> date | None:
    """Read a badge date: ISO 8601 date or date-time, or Unix seconds (Open Badges 1.x).

    The calendar date is taken as the issuer wrote it, without shifting time zones, because the
    issuer's own day is the one people recognise ("issued on 31 December").

    Args:
        value: the raw JSON value (string, number, ``date``/``datetime`` or ``None``).

    Returns:
        The date, or ``None`` for ``None`` / an empty string.

    Raises:
        ValueError: with the bad value in the message.
    """
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        return _from_epoch(value, value)
    if not isinstance(value, str):
        raise ValueError(f"{_short(value)} is not a date")
    text = value.strip()
    if not text:
        return None
    if _ISO_DATE.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise ValueError(f"{_short(value)} is not a date") from None
    if _EPOCH.match(text):
        return _from_epoch(float(text), value)
    raise ValueError(
        f"{_short(value)} is not a date (expected ISO 8601 such as 2016-12-31T23:59:59Z, "
        "or Unix seconds)"
    )


def _from_epoch(seconds: float, raw: object) -> date:
    if not 0 <= seconds <= _EPOCH_MAX:
        raise ValueError(f"{_short(raw)} is not a date (Unix seconds out of range)")
    return datetime.fromtimestamp(seconds, tz=UTC).date()


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _label(info: ValidationInfo, field: str) -> str:
    """The name a person knows the field by in their file (``issuedOn``), else the column name."""
    labels = info.context.get("labels", {}) if isinstance(info.context, Mapping) else {}
    return str(labels.get(field, field))


class BadgeAward(BaseModel):
    """One badge award, whatever format it came from (a row of ``raw_badge_awards``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    award_id: str = Field(min_length=1)
    source_format: AwardSourceFormat
    badge_class_id: str | None = None
    badge_name: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    recipient_employee_id: str | None = None
    recipient_type: str | None = None
    recipient_identity: str | None = None
    recipient_hashed: bool | None = None
    recipient_salt: str | None = None
    issued_on: date
    expires_on: date | None = None
    revoked: bool = False
    revoked_on: date | None = None
    revocation_reason: str | None = None
    status: str | None = None
    evidence: str | None = None
    narrative: str | None = None

    @field_validator("issued_on", "expires_on", "revoked_on", mode="before")
    @classmethod
    def _badge_date(cls, value: object) -> date | None:
        return parse_badge_date(value)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> BadgeAward:
        if not self.recipient_identity and not self.recipient_employee_id:
            raise ValueError("recipient is missing: no identity and no employee id")
        identity = self.recipient_identity or ""
        if self.recipient_hashed and not identity.lower().startswith(("sha256$", "md5$")):
            raise ValueError(
                f"{_label(info, 'recipient_identity')} {_short(identity)} is marked hashed "
                "but has no 'sha256$' or 'md5$' prefix"
            )
        if self.expires_on is not None and self.expires_on < self.issued_on:
            raise ValueError(
                f"{_label(info, 'expires_on')} {self.expires_on.isoformat()} is before "
                f"{_label(info, 'issued_on')} {self.issued_on.isoformat()}"
            )
        return self


class BadgeClass(BaseModel):
    """One badge class / achievement (a row of ``raw_badge_classes``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    badge_class_id: str = Field(min_length=1)
    name: str | None = None
    description: str | None = None
    issuer_id: str | None = None
    issuer_name: str | None = None
    criteria: str | None = None
    source_format: AwardSourceFormat | None = None


class Alignment(BaseModel):
    """One alignment of a badge class to a skill / competency (a row of ``raw_alignments``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    badge_class_id: str = Field(min_length=1)
    target_name: str | None = None
    target_url: str | None = None
    target_framework: str | None = None
    target_code: str | None = None
    target_type: str | None = None


def describe_validation_error(exc: ValidationError, labels: Mapping[str, str] | None = None) -> str:
    """Turn a pydantic error into one line a person can act on, naming field and bad value.

    Args:
        exc: the error raised by ``model_validate``.
        labels: column name -> the name used in the source file (``issued_on`` -> ``issuedOn``).

    Returns:
        e.g. ``"issuedOn 'yesterday' is not a date (expected ISO 8601 ...)"``; several problems
        are joined with ``"; "``.
    """
    names = labels or {}
    parts: list[str] = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error.get("loc", ()) if part != "__root__"]
        message = str(error.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        if not loc:
            parts.append(message)
            continue
        field = names.get(loc[0], loc[0])
        if error.get("type") == "missing":
            parts.append(f"{field} is missing")
        elif error.get("type") == "value_error":
            parts.append(f"{field} {message}")
        else:
            parts.append(f"{field} {_short(error.get('input'))}: {message}")
    return "; ".join(parts) or "invalid"
