"""The canonical records: the one definition of a valid row, shared by every loader.

Loaders validate whole columns with polars for speed and fall back to these models for the
rows polars flags, so that the error text always comes from one place and names the field
and the bad value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

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
    try:
        text = repr(value)
    except RecursionError:
        return "<a deeply nested value>"
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
        if error.get("type") == "missing" or (
            error.get("input") is None and error.get("type") != "value_error"
        ):
            parts.append(f"{field} is missing")
        elif error.get("type") == "value_error":
            parts.append(f"{field} {message}")
        else:
            parts.append(f"{field} {_short(error.get('input'))}: {message}")
    return "; ".join(parts) or "invalid"


# --------------------------------------------------------------------------------------------
# Shared pieces


class TextParser(Protocol):
    """Turns one cell's text into a typed value, or ``None`` when it cannot.

    A loader hands its per-column parsers (the chosen date format of a column, the salary
    grammar) to a model through the validation context ``{"parsers": {field: parser}}``, so a
    flagged row is judged by exactly the rule that read the rest of its column.
    """

    @property
    def expected(self) -> str:
        """What a good value looks like, for the error text ("YYYY-MM-DD")."""
        ...

    def __call__(self, text: str) -> Any:
        """Return the parsed value or ``None``."""
        ...


class IsoDate:
    """The parser used when no loader says otherwise: ISO dates only."""

    expected = "YYYY-MM-DD"

    def __call__(self, text: str) -> dt.date | None:
        """Parse ``YYYY-MM-DD`` (a time part is ignored)."""
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None


class PlainNumber:
    """The parser used when no loader says otherwise: a plain or comma-grouped number."""

    expected = "a number such as 12 or 1,200.50"
    _pattern = re.compile(r"^[$€£]?\s*-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")

    def __call__(self, text: str) -> float | None:
        """Parse ``54500``, ``$54,500.00`` or ``-3.5``."""
        cleaned = text.strip()
        if not self._pattern.match(cleaned):
            return None
        value = float(cleaned.lstrip("$€£ ").replace(",", ""))
        return value if math.isfinite(value) else None


BOOLEAN_WORDS: dict[str, bool] = {
    "y": True,
    "yes": True,
    "1": True,
    "true": True,
    "t": True,
    "n": False,
    "no": False,
    "0": False,
    "false": False,
    "f": False,
}
"""Lower-cased words exports use for yes/no flags; anything else is not a flag."""

VOLUNTARY_WORDS: dict[str, bool] = {**BOOLEAN_WORDS, "voluntary": True, "involuntary": False}
"""BambooHR writes the termination type as a word instead of a flag."""

_OWN_ERRORS = frozenset(
    {
        "missing_value",
        "not_a_date",
        "not_an_amount",
        "negative",
        "not_yes_no",
        "not_a_number",
        "out_of_range",
        "termination_before_hire",
        "one_of",
    }
)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parser(info: ValidationInfo, default: TextParser) -> TextParser:
    context = info.context if isinstance(info.context, Mapping) else {}
    parsers = context.get("parsers", {})
    found: TextParser = parsers.get(info.field_name, default)
    return found


def _show(value: float) -> str:
    """A number as a person would write it: 2, not 2.0."""
    return str(int(value)) if float(value).is_integer() else str(value)


def describe_errors(error: ValidationError) -> str:
    """One readable reason from a validation error, naming each field and its bad value.

    Args:
        error: what a model raised.

    Returns:
        e.g. ``"hire_date '2015-04-31' is not a date (expected YYYY-MM-DD)"``; several
        problems are joined with ``"; "``.
    """
    parts: list[str] = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"])
        message = item["msg"]
        if item["type"] in _OWN_ERRORS:
            parts.append(f"{field} {message}" if field else message)
        elif item["type"] == "missing":
            parts.append(f"{field} is missing")
        else:
            parts.append(
                f"{field} '{item.get('input')}' is invalid: {message[:1].lower()}{message[1:]}"
            )
    return "; ".join(parts)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
OptionalText = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=2000)]


class _Record(BaseModel):
    """Common behaviour: blank optional text is absent, unknown fields are a bug."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {key: (None if _blank(value) else value) for key, value in data.items()}
        return data


def _required(value: Any) -> Any:
    if _blank(value):
        raise PydanticCustomError("missing_value", "is missing")
    return value


def _number(value: Any, info: ValidationInfo) -> float | None:
    """A cell as a number through the field's parser; ``None`` when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise PydanticCustomError("not_a_number", "{value} is not a number", {"value": value})
    if isinstance(value, int | float):
        return float(value)
    parser = _parser(info, PlainNumber())
    parsed = parser(str(value).strip())
    if parsed is None:
        raise PydanticCustomError(
            "not_a_number",
            "'{value}' is not a number (expected {expected})",
            {"value": value, "expected": parser.expected},
        )
    return float(parsed)


def _not_negative(value: float | None, shown: Any) -> float | None:
    if value is not None and value < 0:
        raise PydanticCustomError("negative", "'{value}' is negative", {"value": shown})
    return value


# --------------------------------------------------------------------------------------------
# HR roster


class RosterRecord(_Record):
    """One employee in one roster snapshot: the definition of a valid ``raw_roster`` row.

    Text cells arrive as strings; dates, amounts and flags are parsed by the parsers in the
    validation context (``{"parsers": {"hire_date": <date format>, ...}}``), ISO dates and
    plain numbers when none is given.
    """

    employee_id: Text
    email: OptionalText = None
    full_name: OptionalText = None
    department: Text
    team: OptionalText = None
    manager_id: OptionalText = None
    job_title: OptionalText = None
    job_family: OptionalText = None
    location: OptionalText = None
    hire_date: dt.date
    termination_date: dt.date | None = None
    termination_reason: OptionalText = None
    termination_voluntary: bool | None = None
    regrettable: bool | None = None
    annual_salary: float | None = None
    performance_rating: OptionalText = None
    cost_center: OptionalText = None

    @field_validator("employee_id", "department", mode="before")
    @classmethod
    def _present(cls, value: Any) -> Any:
        return _required(value)

    @field_validator("hire_date", "termination_date", mode="before")
    @classmethod
    def _date(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            if info.field_name == "hire_date":
                raise PydanticCustomError("missing_value", "is missing")
            return None
        if not isinstance(value, str):
            return value
        parser = _parser(info, IsoDate())
        parsed = parser(value.strip())
        if parsed is None:
            raise PydanticCustomError(
                "not_a_date",
                "'{value}' is not a date (expected {expected})",
                {"value": value, "expected": parser.expected},
            )
        return parsed

    @field_validator("annual_salary", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return _not_negative(float(value), value)
        parser = _parser(info, PlainNumber())
        parsed = parser(str(value).strip())
        if parsed is None:
            raise PydanticCustomError(
                "not_an_amount",
                "'{value}' is not an amount (expected {expected})",
                {"value": value, "expected": parser.expected},
            )
        return _not_negative(float(parsed), value)

    @field_validator("termination_voluntary", "regrettable", mode="before")
    @classmethod
    def _flag(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None or isinstance(value, bool):
            return value
        words = VOLUNTARY_WORDS if info.field_name == "termination_voluntary" else BOOLEAN_WORDS
        flag = words.get(str(value).strip().lower())
        if flag is None:
            raise PydanticCustomError(
                "not_yes_no",
                "'{value}' is not yes/no (expected {expected})",
                {"value": value, "expected": "Y/N, Yes/No, 1/0 or true/false"},
            )
        return flag

    @model_validator(mode="after")
    def _terminated_after_hire(self) -> RosterRecord:
        if self.termination_date is not None and self.termination_date < self.hire_date:
            raise PydanticCustomError(
                "termination_before_hire",
                "termination_date {termination} is before hire_date {hire}",
                {
                    "termination": self.termination_date.isoformat(),
                    "hire": self.hire_date.isoformat(),
                },
            )
        return self


# --------------------------------------------------------------------------------------------
# Reference files


def _one_of(first: str | None, second: str | None, names: str) -> None:
    if first is None and second is None:
        raise PydanticCustomError("one_of", "{names} are both empty: give one", {"names": names})


class SkillMapping(_Record):
    """A ``skills_map.csv`` line: a badge class (by id or exact name) grants a skill."""

    badge_class_id: OptionalText = None
    badge_name: OptionalText = None
    skill_id: Text
    skill_name: OptionalText = None
    framework: OptionalText = None
    level: int | None = None

    @field_validator("skill_id", mode="before")
    @classmethod
    def _present(cls, value: Any) -> Any:
        return _required(value)

    @field_validator("level", mode="before")
    @classmethod
    def _level(cls, value: Any, info: ValidationInfo) -> Any:
        return _whole_level(value, info)

    @model_validator(mode="after")
    def _names_a_badge(self) -> SkillMapping:
        _one_of(self.badge_class_id, self.badge_name, "badge_class_id and badge_name")
        return self


def _whole_level(value: Any, info: ValidationInfo) -> int | None:
    number = _number(value, info)
    if number is None:
        return None
    if not number.is_integer() or number < 0:
        raise PydanticCustomError(
            "out_of_range", "'{value}' is not a whole level of 0 or more", {"value": value}
        )
    return int(number)


class RoleRequirement(_Record):
    """A ``role_requirements.csv`` line: a role (title or family) needs a skill."""

    job_title: OptionalText = None
    job_family: OptionalText = None
    skill_id: Text
    required_level: int | None = None
    target: float = 1.0
    """Share of the role's people who should hold the skill (0..1)."""
    weight: float = 1.0

    @field_validator("skill_id", mode="before")
    @classmethod
    def _present(cls, value: Any) -> Any:
        return _required(value)

    @field_validator("required_level", mode="before")
    @classmethod
    def _level(cls, value: Any, info: ValidationInfo) -> Any:
        return _whole_level(value, info)

    @field_validator("target", mode="before")
    @classmethod
    def _share(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return 1.0
        text = str(value).strip()
        # "80%" is how people write a share in a spreadsheet; 80 without the sign is ambiguous.
        percent = text.endswith("%")
        number = _number(text[:-1] if percent else value, info)
        share = None if number is None else number / 100 if percent else number
        if share is None or not 0 <= share <= 1:
            raise PydanticCustomError(
                "out_of_range",
                "'{value}' is not a share between 0 and 1 (write 0.8 or 80%)",
                {"value": value},
            )
        return share

    @field_validator("weight", mode="before")
    @classmethod
    def _weight(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            return 1.0
        return _not_negative(_number(value, info), value)

    @model_validator(mode="after")
    def _names_a_role(self) -> RoleRequirement:
        _one_of(self.job_title, self.job_family, "job_title and job_family")
        return self


class Program(_Record):
    """A ``programs.csv`` line: a learning program that leads to a badge, and its cost."""

    program_id: Text
    program_name: OptionalText = None
    badge_class_id: OptionalText = None
    badge_name: OptionalText = None
    cost_per_learner: float | None = None
    learning_hours: float | None = None

    @field_validator("program_id", mode="before")
    @classmethod
    def _present(cls, value: Any) -> Any:
        return _required(value)

    @field_validator("cost_per_learner", "learning_hours", mode="before")
    @classmethod
    def _amount(cls, value: Any, info: ValidationInfo) -> Any:
        return _not_negative(_number(value, info), value)

    @model_validator(mode="after")
    def _names_a_badge(self) -> Program:
        _one_of(self.badge_class_id, self.badge_name, "badge_class_id and badge_name")
        return self


AssumptionKey = Literal[
    "replacement_cost_share", "loaded_hourly_rate", "analysis_window_months", "k_anonymity"
]

ASSUMPTION_DEFAULTS: dict[str, float] = {
    "replacement_cost_share": 0.33,
    "loaded_hourly_rate": 60.0,
    "analysis_window_months": 24,
    "k_anonymity": 5,
}
"""The value each assumption takes when ``assumptions.toml`` does not set it."""

K_ANONYMITY_FLOOR = 3
"""Groups smaller than this would let a viewer single out a person, whatever the file says."""


class Assumption(_Record):
    """One key of ``assumptions.toml`` with a value the metrics can use."""

    key: AssumptionKey
    value: float

    @model_validator(mode="before")
    @classmethod
    def _numeric(cls, data: Any) -> Any:
        # Checked here rather than on the field so the message can name the key.
        if not isinstance(data, Mapping):
            return data
        value = data.get("value")
        # TOML types its values: a quoted "60" is text, and true is not 1.
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise PydanticCustomError(
                "not_a_number",
                "{key} {value} is not a number (write a plain number, without quotes)",
                {"key": data.get("key"), "value": repr(value)},
            )
        return data

    @model_validator(mode="after")
    def _sensible(self) -> Assumption:
        shown = _show(self.value)
        if self.key == "replacement_cost_share" and not 0 <= self.value <= 1:
            raise PydanticCustomError(
                "out_of_range",
                "replacement_cost_share {value} is outside 0..1 (a share: 0.33 means 33%)",
                {"value": shown},
            )
        if self.key == "loaded_hourly_rate" and self.value < 0:
            raise PydanticCustomError(
                "negative", "loaded_hourly_rate {value} is negative", {"value": shown}
            )
        if self.key == "analysis_window_months" and (not self.value.is_integer() or self.value < 1):
            raise PydanticCustomError(
                "out_of_range",
                "analysis_window_months {value} is not a whole number of months of 1 or more",
                {"value": shown},
            )
        if self.key == "k_anonymity" and self.value < K_ANONYMITY_FLOOR:
            raise PydanticCustomError(
                "out_of_range",
                "k_anonymity {value} is below the minimum of {floor} (smaller groups would "
                "identify individuals)",
                {"value": shown, "floor": K_ANONYMITY_FLOOR},
            )
        if self.key == "k_anonymity" and not self.value.is_integer():
            raise PydanticCustomError(
                "out_of_range",
                "k_anonymity {value} is not a whole number of people",
                {"value": shown},
            )
        return self
