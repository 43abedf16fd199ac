"""Date formats detected per column, never per cell.

A column of an export is written in one date format. Guessing each cell on its own turns
``04/01/2015`` into 1 April in one row and 4 January in the next; so the format is chosen once
for the whole column (the one that reads every non-empty value) and a value that format cannot
read is a bad value, reported with the format that was expected.

Each format is a regular expression with named groups, evaluated by polars over the whole
column and, through the same expression, on one value when a model re-checks a flagged row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

TWO_DIGIT_YEAR_PIVOT = 70
"""Two-digit years below this are 20xx, the rest 19xx (00-69 -> 2000-2069, 70-99 -> 1970-1999)."""

_TIME = r"(?:[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers outside 1930..2099 are far more likely a bare year or an id than an HR date.
_EXCEL_FIRST, _EXCEL_LAST = 10959, 73050


@dataclass(frozen=True)
class DateFormat:
    """One way of writing a date, readable over a polars column or a single string."""

    code: str
    """strftime-like name, e.g. ``%m/%d/%Y``."""
    expected: str
    """How a person would describe it in an error message, e.g. ``MM/DD/YYYY``."""
    pattern: str = ""
    """Regex with named groups ``y``, ``m``, ``d``."""
    day_first: bool | None = None
    """True for day/month, False for month/day, None where the order is not in question."""
    two_digit_year: bool = False

    def expr(self, text: pl.Expr) -> pl.Expr:
        """The column ``text`` (strings) as dates; null where this format cannot read a value."""
        parts = text.str.extract_groups(self.pattern)
        year = parts.struct.field("y")
        if self.two_digit_year:
            short = year.cast(pl.Int32, strict=False)
            year = (
                pl.when(short < TWO_DIGIT_YEAR_PIVOT)
                .then(short + 2000)
                .otherwise(short + 1900)
                .cast(pl.String)
            )
        iso = pl.concat_str(
            [year, parts.struct.field("m").str.zfill(2), parts.struct.field("d").str.zfill(2)],
            separator="-",
        )
        # strptime on the rebuilt ISO text rejects impossible days such as 2015-04-31.
        return iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False)

    def __call__(self, text: str) -> dt.date | None:
        """Read one value with exactly the column expression (used when a model re-checks)."""
        value = pl.select(self.expr(pl.lit(text, dtype=pl.String))).item()
        return value if isinstance(value, dt.date) else None


@dataclass(frozen=True)
class ExcelSerial(DateFormat):
    """Excel's day count from 1899-12-30, as a workbook cell or a CSV saved from one shows it."""

    def expr(self, text: pl.Expr) -> pl.Expr:
        """Serial numbers in 1930..2099 as dates; anything else null."""
        number = text.cast(pl.Float64, strict=False)
        readable = text.str.contains(r"^\d{4,5}(?:\.\d+)?$") & number.is_between(
            _EXCEL_FIRST, _EXCEL_LAST
        )
        days = number.floor().cast(pl.Int64, strict=False)
        return pl.when(readable).then(pl.lit(_EXCEL_EPOCH) + pl.duration(days=days)).cast(pl.Date)


@dataclass(frozen=True)
class Strftime(DateFormat):
    """A format named in the settings (``roster.date_format``), read with polars' strptime."""

    def expr(self, text: pl.Expr) -> pl.Expr:
        """The column read with the configured format."""
        has_time = any(code in self.code for code in ("%H", "%I", "%M", "%S", "%T", "%p"))
        if has_time:
            parsed = text.str.strptime(pl.Datetime, self.code, strict=False).dt.date()
        else:
            parsed = text.str.strptime(pl.Date, self.code, strict=False)
        if "%y" in self.code:
            # chrono reads '69' as 1969; the project's pivot makes 00-69 the 2000s.
            parsed = (
                pl.when(parsed.dt.year() == 1969)
                .then(parsed.dt.offset_by("100y"))
                .otherwise(parsed)
            )
        return parsed


ISO = DateFormat(
    "%Y-%m-%d", "YYYY-MM-DD", rf"^(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}$"
)
YMD_SLASH = DateFormat(
    "%Y/%m/%d", "YYYY/MM/DD", rf"^(?P<y>\d{{4}})/(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}}){_TIME}$"
)
MDY = DateFormat(
    "%m/%d/%Y",
    "MM/DD/YYYY",
    rf"^(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>\d{{4}}){_TIME}$",
    day_first=False,
)
DMY = DateFormat(
    "%d/%m/%Y",
    "DD/MM/YYYY",
    rf"^(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{4}}){_TIME}$",
    day_first=True,
)
MDY_SHORT = DateFormat(
    "%m/%d/%y",
    "MM/DD/YY",
    rf"^(?P<m>\d{{1,2}})/(?P<d>\d{{1,2}})/(?P<y>\d{{2}}){_TIME}$",
    day_first=False,
    two_digit_year=True,
)
DMY_SHORT = DateFormat(
    "%d/%m/%y",
    "DD/MM/YY",
    rf"^(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>\d{{2}}){_TIME}$",
    day_first=True,
    two_digit_year=True,
)
DMY_DOTS = DateFormat(
    "%d.%m.%Y", "DD.MM.YYYY", rf"^(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{4}}){_TIME}$"
)
DMY_DOTS_SHORT = DateFormat(
    "%d.%m.%y",
    "DD.MM.YY",
    rf"^(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y>\d{{2}}){_TIME}$",
    two_digit_year=True,
)
EXCEL = ExcelSerial("excel", "an Excel date number")

CANDIDATES: tuple[DateFormat, ...] = (
    ISO,
    MDY,
    DMY,
    MDY_SHORT,
    DMY_SHORT,
    DMY_DOTS,
    DMY_DOTS_SHORT,
    YMD_SLASH,
    EXCEL,
)
"""Every format detection considers, in order of preference when several read a column."""


def configured_format(code: str) -> DateFormat:
    """The format named in the settings; a built-in one when it is one of ours.

    Built-in formats are preferred because chrono's ``%Y`` happily reads ``4/1/15`` as the
    year 15 and its ``%y`` pivot differs from ours.
    """
    for candidate in CANDIDATES:
        if candidate.code == code:
            return candidate
    return Strftime(code, code)


@dataclass(frozen=True)
class ColumnChoice:
    """The format chosen for one column and whether the day/month order was a guess."""

    format: DateFormat
    order_ambiguous: bool
    """True when month/day and day/month both read every value (e.g. only days <= 12)."""


def choose_format(values: pl.Series, *, day_first: bool) -> ColumnChoice:
    """Pick the one format that reads the most (ideally all) distinct values of a column.

    Args:
        values: the column's non-empty values (duplicates are fine; they are removed here).
        day_first: the order to prefer when month/day and day/month read equally well.

    Returns:
        The chosen format; for an empty column, ISO.
    """
    distinct = values.drop_nulls().unique()
    if distinct.len() == 0:
        return ColumnChoice(ISO, order_ambiguous=False)
    frame = distinct.to_frame("value")
    scores = frame.select(
        [
            fmt.expr(pl.col("value")).is_not_null().sum().alias(str(i))
            for i, fmt in enumerate(CANDIDATES)
        ]
    ).row(0)
    best = max(scores)
    leaders = [fmt for fmt, score in zip(CANDIDATES, scores, strict=True) if score == best]
    orders = {fmt.day_first for fmt in leaders if fmt.day_first is not None}
    return ColumnChoice(_prefer(leaders, day_first), order_ambiguous=len(orders) > 1)


def _prefer(formats: Sequence[DateFormat], day_first: bool) -> DateFormat:
    for fmt in formats:
        if fmt.day_first is None or fmt.day_first == day_first:
            return fmt
    return formats[0]
