"""HR roster exports (Workday, SuccessFactors, BambooHR or a mapped CSV/XLSX) -> ``raw_roster``.

One file is one snapshot of the workforce on its export date; the store replaces that date's
rows when the file is loaded again. The header row picks a built-in profile (or the
``[roster.columns]`` mapping of the settings), every column is cleaned and parsed with polars
over the whole column, and only the rows polars flags are re-checked one by one by
:class:`etl.models.RosterRecord`, so the quarantine reasons come from the model while good
rows never touch per-row Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError

from etl.models import BOOLEAN_WORDS, VOLUNTARY_WORDS, RosterRecord, TextParser, describe_errors
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe, QuarantinedRow
from etl.sources.column_dates import ColumnChoice, DateFormat, choose_format, configured_format
from etl.sources.tabular import ROW_NUMBER, header_of, normalise_header, read_text_table
from skillboard.settings import RosterSettings

NAME = "roster"
TABLE = "raw_roster"

REQUIRED_FIELDS = ("employee_id", "department", "hire_date")
DATE_FIELDS = ("hire_date", "termination_date")
FLAG_WORDS: Mapping[str, Mapping[str, bool]] = {
    "termination_voluntary": VOLUNTARY_WORDS,
    "regrettable": BOOLEAN_WORDS,
}
SNAPSHOT_FIELD = "snapshot_date"
MAPPABLE_FIELDS = (*RosterRecord.model_fields, SNAPSHOT_FIELD, "first_name", "last_name")
"""Canonical names ``[roster.columns]`` may use (first/last name build ``full_name``)."""

ROSTER_SCHEMA: dict[str, pl.DataType] = {
    ROW_NUMBER: pl.Int64(),
    SNAPSHOT_FIELD: pl.Date(),
    "employee_id": pl.String(),
    "email": pl.String(),
    "full_name": pl.String(),
    "department": pl.String(),
    "team": pl.String(),
    "manager_id": pl.String(),
    "job_title": pl.String(),
    "job_family": pl.String(),
    "location": pl.String(),
    "hire_date": pl.Date(),
    "termination_date": pl.Date(),
    "termination_reason": pl.String(),
    "termination_voluntary": pl.Boolean(),
    "regrettable": pl.Boolean(),
    "annual_salary": pl.Float64(),
    "performance_rating": pl.String(),
    "cost_center": pl.String(),
}
"""``raw_roster`` columns (sql/store/raw_tables.sql) a loader supplies; file_id is the writer's."""

# Cells that mean "nothing here" in typed columns; in free text they are kept as written.
_NULL_WORDS = ["null", "n/a", "#n/a", "na", "none", "nan", "-", "--"]
_NULLABLE_AS_WORD = ("manager_id", *DATE_FIELDS, "annual_salary", *FLAG_WORDS)
_SNAPSHOT_HEADERS = (
    "As_Of_Date",
    "As Of Date",
    "AsOfDate",
    "snapshot_date",
    "Snapshot Date",
    "Effective Date",
    "Effective_Date",
    "effectiveDate",
)
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20|21)\d{2})([-_.]?)(\d{2})\2(\d{2})(?!\d)")


@dataclass(frozen=True)
class HeaderProfile:
    """The headers a known HR system writes for each canonical field."""

    name: str
    headers: Mapping[str, tuple[str, ...]]
    """Canonical field -> accepted headers, first present one wins."""
    day_first: bool
    """Order to assume when a date column reads both ways: US systems write month/day."""


PROFILES: tuple[HeaderProfile, ...] = (
    HeaderProfile(
        "workday",
        {
            "employee_id": ("EmployeeID",),
            "full_name": ("Legal_Name",),
            "email": ("Email_Primary_Work",),
            "department": ("SupervisoryOrganization",),
            "team": ("Team",),
            "manager_id": ("ManagerReference", "Manager_ID"),
            "job_title": ("BusinessTitle",),
            "job_family": ("JobFamilyID",),
            "location": ("LocationIdentifier",),
            "hire_date": ("StatusHireDate",),
            "termination_date": ("StatusTerminationDate",),
            "termination_reason": ("Termination_Reason",),
            "termination_voluntary": ("Voluntary_Termination",),
            "regrettable": ("Regrettable_Termination",),
            "annual_salary": ("Annual_Salary",),
            "cost_center": ("Cost_Center",),
            "performance_rating": ("Performance_Rating",),
            SNAPSHOT_FIELD: ("As_Of_Date",),
        },
        day_first=False,
    ),
    HeaderProfile(
        "successfactors",
        {
            "employee_id": ("personIdExternal",),
            "full_name": ("displayName",),
            "email": ("email",),
            "manager_id": ("managerId",),
            "department": ("department",),
            "job_title": ("jobTitle",),
            "job_family": ("jobCode",),
            "location": ("LocationName",),
            "hire_date": ("startDate", "firstDateWorked"),
            "termination_date": ("lastDateWorked", "latestTerminationDate"),
            "termination_reason": ("eventReason",),
            "annual_salary": ("annualSalary",),
            "cost_center": ("costCenter",),
        },
        # SAP SuccessFactors is run mostly outside the US; where a column reads both ways,
        # day/month is the likelier convention.
        day_first=True,
    ),
    HeaderProfile(
        "bamboohr",
        {
            "employee_id": ("Employee ID", "Employee #"),
            "full_name": ("Full Name",),
            "first_name": ("First Name",),
            "last_name": ("Last Name",),
            "email": ("Work Email",),
            "manager_id": ("Supervisor ID",),
            "department": ("Department",),
            "job_title": ("Job Title",),
            "job_family": ("Job Family",),
            "location": ("Location",),
            "hire_date": ("Hire Date",),
            "termination_date": ("Termination Date",),
            "termination_reason": ("Termination Reason",),
            "termination_voluntary": ("Termination Type",),
            "regrettable": ("Regrettable",),
            "annual_salary": ("Pay Rate",),
        },
        day_first=False,
    ),
)
PROFILE_NAMES = tuple(profile.name for profile in PROFILES)

# Header words (lower-cased, letters and digits only) that make a file look like a roster when
# the settings are not at hand (detect() only sees the file); load() then applies the mapping.
_ID_WORDS = frozenset(
    {"employeeid", "empid", "employeenumber", "employeeno", "personid", "personidexternal",
     "workerid", "staffid", "employee"}
)  # fmt: skip
_HIRE_WORDS = frozenset(
    {"hiredate", "dateofhire", "datehired", "startdate", "statushiredate", "originalhiredate",
     "firstdateworked", "employmentstartdate", "doh"}
)  # fmt: skip


@dataclass(frozen=True)
class ColumnPlan:
    """Which header of this file feeds each canonical field."""

    profile: str
    columns: dict[str, str]
    """Canonical field -> header exactly as in the file."""
    day_first: bool


# --------------------------------------------------------------------------------------------
# Recognising the file


def detect(probe: Probe) -> bool:
    """True when the header row is a known roster profile's, or looks like a roster.

    Args:
        probe: the file's first bytes.

    Returns:
        Whether this loader reads the file.
    """
    headers = header_of(probe)
    if not headers:
        return False
    roster_settings = probe.settings.roster if probe.settings is not None else RosterSettings()
    if plan_columns(headers, roster_settings) is not None:
        return True
    compact = {re.sub(r"[^a-z0-9]", "", normalise_header(h)) for h in headers}
    return bool(compact & _ID_WORDS) and bool(compact & _HIRE_WORDS)


def plan_columns(headers: list[str], settings: RosterSettings) -> ColumnPlan | None:
    """Choose the header profile (or the configured mapping) that fits a header row.

    The mapping in the settings wins whenever its required headers are present; a forced
    profile is used as is; otherwise the built-in profile with the most matching headers.

    Args:
        headers: the header row as written.
        settings: ``roster`` settings (mapping, forced profile).

    Returns:
        The plan, or ``None`` when nothing fits (the file is not a roster we can read).
    """
    by_name = {normalise_header(h): h for h in reversed(headers)}  # first of duplicates wins
    if settings.columns:
        mapped = {
            field: by_name[normalise_header(header)]
            for field, header in settings.columns.items()
            if normalise_header(header) in by_name
        }
        if all(field in mapped for field in REQUIRED_FIELDS):
            return ColumnPlan("config", mapped, day_first=False)
    candidates = [p for p in PROFILES if settings.profile in (None, p.name)]
    plans = [_plan(profile, by_name) for profile in candidates]
    fitting = [plan for plan in plans if all(f in plan.columns for f in REQUIRED_FIELDS)]
    if not fitting:
        return None
    return max(fitting, key=lambda plan: len(plan.columns))


def _plan(profile: HeaderProfile, by_name: Mapping[str, str]) -> ColumnPlan:
    columns: dict[str, str] = {}
    for field, accepted in profile.headers.items():
        found = next(
            (by_name[normalise_header(h)] for h in accepted if normalise_header(h) in by_name), None
        )
        if found is not None:
            columns[field] = found
    if SNAPSHOT_FIELD not in columns:
        generic = next(
            (
                by_name[normalise_header(h)]
                for h in _SNAPSHOT_HEADERS
                if normalise_header(h) in by_name
            ),
            None,
        )
        if generic is not None:
            columns[SNAPSHOT_FIELD] = generic
    return ColumnPlan(profile.name, columns, profile.day_first)


def _unreadable_roster(path: Path, headers: list[str], settings: RosterSettings) -> FileRejected:
    wanted = "employee id, department and hire date"
    if settings.profile is not None:
        profile = next(p for p in PROFILES if p.name == settings.profile)
        missing = [
            " / ".join(profile.headers[f])
            for f in REQUIRED_FIELDS
            if f not in _plan(profile, {normalise_header(h): h for h in headers}).columns
        ]
        return FileRejected(
            f"{path.name}: roster.profile is '{settings.profile}' but the file lacks the "
            f"{', '.join(missing)} column(s); fix the export or the profile setting"
        )
    return FileRejected(
        f"{path.name}: looks like a roster but no header profile ({', '.join(PROFILE_NAMES)}) "
        f"finds its {wanted} columns; name them in [roster.columns] of the config, e.g. "
        'employee_id = "EmpID", department = "Department", hire_date = "DateofHire"'
    )


# --------------------------------------------------------------------------------------------
# Loading


def load(path: Path, ctx: LoadContext) -> LoadResult:
    """Read one roster export into ``raw_roster`` rows and quarantined rows.

    Args:
        path: the CSV or XLSX file.
        ctx: settings (``roster.columns``, ``roster.profile``, ``roster.date_format``).

    Returns:
        ``tables["raw_roster"]`` with the canonical columns, ``row_number`` and the snapshot date.

    Raises:
        FileRejected: when the file is unreadable, matches no profile or has no export date.
    """
    settings = ctx.settings.roster
    _check_settings(settings)
    table = read_text_table(path)
    plan = plan_columns(table.headers, settings)
    if plan is None:
        raise _unreadable_roster(path, table.headers, settings)
    text = _clean_text(table.frame, plan)
    formats = _date_formats(text, plan, settings)
    snapshot = snapshot_date_of(path, text, formats.get(SNAPSHOT_FIELD))

    parsed = _typed_columns(text, formats)
    checked = parsed.with_columns(_flags().alias("_flagged"), _duplicate_of().alias("_dup_of"))
    good = checked.filter(~pl.col("_flagged"))
    suspects = checked.filter(pl.col("_flagged"))

    parsers: dict[str, TextParser] = {field: formats[field] for field in DATE_FIELDS}
    parsers["annual_salary"] = AMOUNT
    rescued, quarantine = _recheck(suspects, table.frame, parsers)

    rows = pl.concat([good.select(_output_columns()), rescued], how="vertical")
    rows = rows.with_columns(pl.lit(snapshot, dtype=pl.Date).alias(SNAPSHOT_FIELD))
    rows = rows.select(list(ROSTER_SCHEMA)).sort(ROW_NUMBER)
    return LoadResult(
        loader=f"{NAME}:{plan.profile}",
        rows_read=table.frame.height,
        tables={TABLE: rows},
        quarantine=quarantine,
    )


def _check_settings(settings: RosterSettings) -> None:
    if settings.profile is not None and settings.profile not in PROFILE_NAMES:
        raise FileRejected(
            f"roster.profile '{settings.profile}' is not a known profile "
            f"(choose {', '.join(PROFILE_NAMES)}, or leave it unset to detect)"
        )
    unknown = sorted(set(settings.columns) - set(MAPPABLE_FIELDS))
    if unknown:
        raise FileRejected(
            f"[roster.columns] names unknown field(s) {', '.join(unknown)}; "
            f"known fields: {', '.join(MAPPABLE_FIELDS)}"
        )


def _clean_text(raw: pl.DataFrame, plan: ColumnPlan) -> pl.DataFrame:
    """Canonical text columns: trimmed, blank -> null, names as "First Last"."""
    columns = [pl.col(ROW_NUMBER)]
    for field in (*RosterRecord.model_fields, SNAPSHOT_FIELD):
        if field == "full_name":
            columns.append(_full_name(plan).alias(field))
        elif field in plan.columns:
            value = _trimmed(pl.col(plan.columns[field]))
            if field in _NULLABLE_AS_WORD:
                value = (
                    pl.when(value.str.to_lowercase().is_in(_NULL_WORDS)).then(None).otherwise(value)
                )
            columns.append(value.alias(field))
        else:
            columns.append(pl.lit(None, dtype=pl.String).alias(field))
    return raw.select(columns)


def _trimmed(column: pl.Expr) -> pl.Expr:
    value = column.str.strip_chars()
    return pl.when(value.str.len_chars() > 0).then(value)


def _full_name(plan: ColumnPlan) -> pl.Expr:
    if "full_name" in plan.columns:
        name = _trimmed(pl.col(plan.columns["full_name"])).str.replace_all(r"\s+", " ")
        # "Last, First" (exactly one comma) reads as "First Last"; anything else is kept as
        # written. split_exact rather than a regex: it is ten times faster on 500k names.
        parts = name.str.split_exact(",", 1)
        last = parts.struct.field("field_0").str.strip_chars()
        first = parts.struct.field("field_1").str.strip_chars()
        swap = (
            (name.str.count_matches(",", literal=True) == 1)
            & (last.str.len_chars() > 0)
            & (first.str.len_chars() > 0)
        )
        return pl.when(swap).then(pl.concat_str([first, last], separator=" ")).otherwise(name)
    given = [
        _trimmed(pl.col(plan.columns[f])) for f in ("first_name", "last_name") if f in plan.columns
    ]
    if not given:
        return pl.lit(None, dtype=pl.String)
    joined = pl.concat_str(given, separator=" ", ignore_nulls=True)
    return pl.when(joined.str.len_chars() > 0).then(joined)


def _date_formats(
    text: pl.DataFrame, plan: ColumnPlan, settings: RosterSettings
) -> dict[str, DateFormat]:
    """One format per date column, chosen from all of the column's values.

    When a column reads both as month/day and day/month (every day <= 12), the order another
    date column of the same file proved is used, then the profile's convention.
    """
    fields = (*DATE_FIELDS, SNAPSHOT_FIELD)
    if settings.date_format:
        configured = configured_format(settings.date_format)
        return dict.fromkeys(fields, configured)
    first_pass: dict[str, ColumnChoice] = {
        field: choose_format(text[field], day_first=plan.day_first) for field in fields
    }
    proven = [
        choice.format.day_first
        for choice in first_pass.values()
        if not choice.order_ambiguous and choice.format.day_first is not None
    ]
    day_first = proven[0] if proven else plan.day_first
    return {
        field: choose_format(text[field], day_first=day_first).format
        if choice.order_ambiguous
        else choice.format
        for field, choice in first_pass.items()
    }


def snapshot_date_of(path: Path, text: pl.DataFrame, fmt: DateFormat | None) -> dt.date:
    """The export date: a constant date column, else a date in the file name.

    Args:
        path: the file (its name may carry ``2026-10-31`` or ``20261031``).
        text: the cleaned canonical columns (``snapshot_date`` holds the column's text).
        fmt: the format detected for that column.

    Raises:
        FileRejected: when neither gives a date.
    """
    values = text[SNAPSHOT_FIELD].drop_nulls().unique()
    column_note = ""
    if values.len() == 1 and fmt is not None:
        found = fmt(values[0])
        if found is not None:
            return found
        column_note = f" (its date column holds '{values[0]}', not a {fmt.expected} date)"
    elif values.len() > 1:
        column_note = f" (its date column holds {values.len()} different dates)"
    for match in _NAME_DATE.finditer(path.name):
        try:
            return dt.date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            continue
    raise FileRejected(
        f"cannot tell the export date of {path.name}{column_note}: add an As_Of_Date column or "
        "put the date in the file name like roster_2026-10-31.csv"
    )


def _typed_columns(text: pl.DataFrame, formats: Mapping[str, DateFormat]) -> pl.DataFrame:
    """Add ``_<field>`` columns holding the parsed dates, salary and flags."""
    typed = [
        _by_distinct(text[field], formats[field].expr, pl.Date()).alias(f"_{field}")
        for field in DATE_FIELDS
    ]
    typed.append(_amounts(text["annual_salary"]).alias("_annual_salary"))
    for field, words in FLAG_WORDS.items():
        typed.append(
            text[field]
            .str.to_lowercase()
            .replace_strict(dict(words), default=None, return_dtype=pl.Boolean)
            .alias(f"_{field}")
        )
    return text.with_columns(typed)


def _by_distinct(
    column: pl.Series, parse: Callable[[pl.Expr], pl.Expr], dtype: pl.DataType
) -> pl.Series:
    """Parse each distinct value once: an export repeats the same dates thousands of times."""
    distinct = column.drop_nulls().unique()
    parsed = distinct.to_frame("text").select(parse(pl.col("text")).cast(dtype)).to_series()
    return column.replace_strict(distinct, parsed, default=None, return_dtype=dtype)


_PLAIN_AMOUNT = r"^\d+(?:\.\d{1,2})?$"


def _amounts(column: pl.Series) -> pl.Series:
    """The salary column as numbers: plain numbers cast directly, the rest by the grammar.

    The shortcut gives the same value :func:`amount_expr` would ("54500", "54500.5"); it only
    avoids running a dozen regular expressions over half a million plain cells.
    """
    plain = column.str.contains(_PLAIN_AMOUNT).fill_null(False)
    others = pl.select(pl.when(~plain).then(column)).to_series()
    tricky = _by_distinct(others, amount_expr, pl.Float64())
    quick = column.cast(pl.Float64, strict=False)
    return pl.select(pl.when(plain).then(quick).otherwise(tricky)).to_series()


def _flags() -> pl.Expr:
    """True for every row the model must look at: polars flags a superset of its rejections."""
    unreadable = [
        pl.col(field).is_not_null() & pl.col(f"_{field}").is_null()
        for field in ("termination_date", "annual_salary", *FLAG_WORDS)
    ]
    problems = [
        pl.col("employee_id").is_null(),
        pl.col("department").is_null(),
        pl.col("_hire_date").is_null(),
        *unreadable,
        (pl.col("_termination_date") < pl.col("_hire_date")).fill_null(False),
        (pl.col("_annual_salary") < 0).fill_null(False),
        pl.col("employee_id").is_not_null() & ~pl.col("employee_id").is_first_distinct(),
    ]
    return pl.any_horizontal(problems)


def _duplicate_of() -> pl.Expr:
    """For a repeated employee id, the row number where it first appeared."""
    first = pl.col(ROW_NUMBER).min().over("employee_id")
    return pl.when(pl.col("employee_id").is_not_null() & (first != pl.col(ROW_NUMBER))).then(first)


def _output_columns() -> list[pl.Expr]:
    typed = {*DATE_FIELDS, "annual_salary", *FLAG_WORDS}
    return [
        (pl.col(f"_{field}") if field in typed else pl.col(field)).cast(dtype).alias(field)
        for field, dtype in ROSTER_SCHEMA.items()
        if field != SNAPSHOT_FIELD
    ]


def _recheck(
    suspects: pl.DataFrame, raw: pl.DataFrame, parsers: Mapping[str, TextParser]
) -> tuple[pl.DataFrame, list[QuarantinedRow]]:
    """Judge the flagged rows with RosterRecord; return the rows it accepts and the quarantine."""
    schema = {k: v for k, v in ROSTER_SCHEMA.items() if k != SNAPSHOT_FIELD}
    if suspects.height == 0:
        return pl.DataFrame(schema=schema), []
    raw_by_row = {
        row[ROW_NUMBER]: row
        for row in raw.filter(pl.col(ROW_NUMBER).is_in(suspects[ROW_NUMBER].implode())).to_dicts()
    }
    fields = list(RosterRecord.model_fields)
    accepted: list[dict[str, Any]] = []
    quarantine: list[QuarantinedRow] = []
    for row in suspects.select(ROW_NUMBER, "_dup_of", *fields).to_dicts():
        reasons: list[str] = []
        record: RosterRecord | None = None
        try:
            record = RosterRecord.model_validate(
                {field: row[field] for field in fields}, context={"parsers": parsers}
            )
        except ValidationError as error:
            reasons.append(describe_errors(error))
        if row["_dup_of"] is not None:
            reasons.append(
                f"employee_id '{row['employee_id']}' repeats row {row['_dup_of']} "
                "(a snapshot holds one row per employee)"
            )
        if reasons or record is None:
            quarantine.append(
                QuarantinedRow(
                    row_number=row[ROW_NUMBER],
                    raw=_raw_values(raw_by_row[row[ROW_NUMBER]]),
                    reason="; ".join(reasons),
                )
            )
        else:
            accepted.append({ROW_NUMBER: row[ROW_NUMBER], **record.model_dump()})
    return pl.DataFrame(accepted, schema=schema, orient="row") if accepted else pl.DataFrame(
        schema=schema
    ), quarantine


def _raw_values(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        header: ("" if value is None else value)
        for header, value in row.items()
        if header != ROW_NUMBER
    }


# --------------------------------------------------------------------------------------------
# Salaries

_CURRENCY = r"(?i)[$€£¥]|\b(?:usd|eur|gbp|chf|cad|aud)\b"


def _number_text(token: pl.Expr, euro: pl.Expr) -> pl.Expr:
    """A non-negative number written with thousands/decimal separators, as plain text."""
    nothing = pl.lit(None, dtype=pl.String)
    return (
        pl.when(token.str.contains(r"^\d+(?:\.\d+)?$") & ~token.str.contains(r"^\d{1,3}\.\d{3}$"))
        .then(token)
        .when(token.str.contains(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$"))  # 54,500 / 54,500.00
        .then(token.str.replace_all(",", ""))
        .when(token.str.contains(r"^\d{1,3}(?:\.\d{3})+,\d+$"))  # 54.500,00
        .then(token.str.replace_all(r"\.", "").str.replace(",", "."))
        .when(token.str.contains(r"^\d{1,3}(?:\.\d{3}){2,}$"))  # 1.054.500
        .then(token.str.replace_all(r"\.", ""))
        # "54.500" is 54500 only when a euro sign says the writer groups thousands with dots;
        # bare, it could be 54.5, so it is not guessed.
        .when(euro & token.str.contains(r"^\d{1,3}\.\d{3}$"))
        .then(token.str.replace_all(r"\.", ""))
        .when(token.str.contains(r"^\d+,\d{1,2}$"))  # 54500,50
        .then(token.str.replace(",", "."))
        .otherwise(nothing)
    )


def amount_expr(text: pl.Expr) -> pl.Expr:
    """Salary text as a number: " $54,500 ", "54500.00", "€54.500", band "60000 - 65000" -> 62500.

    Args:
        text: a string column.

    Returns:
        A Float64 column; null where the text is not an unambiguous amount.
    """
    euro = text.str.contains(r"(?i)€|\beur\b").fill_null(False)
    bare = text.str.replace_all(_CURRENCY, "").str.replace_all(r"\s+", "")
    band = bare.str.extract_groups(r"^(?P<low>\d[\d.,]*)[-–—](?P<high>\d[\d.,]*)$")
    low = _number_text(band.struct.field("low"), euro).cast(pl.Float64, strict=False)
    high = _number_text(band.struct.field("high"), euro).cast(pl.Float64, strict=False)
    single = bare.str.extract_groups(r"^(?P<sign>-?)(?P<digits>\d[\d.,]*)$")
    magnitude = _number_text(single.struct.field("digits"), euro).cast(pl.Float64, strict=False)
    signed = pl.when(single.struct.field("sign") == "-").then(-magnitude).otherwise(magnitude)
    return pl.when(band.struct.field("low").is_not_null()).then((low + high) / 2).otherwise(signed)


@dataclass(frozen=True)
class AmountParser:
    """The salary grammar on one value, for the model's re-check of a flagged row."""

    expected: str = "an amount such as 54500, $54,500.00 or a band such as 60000 - 65000"

    def __call__(self, text: str) -> float | None:
        """Read one salary with exactly the column expression."""
        value = pl.select(amount_expr(pl.lit(text, dtype=pl.String))).item()
        return float(value) if value is not None else None


AMOUNT = AmountParser()
