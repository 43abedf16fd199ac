"""Dates are detected per column, never per cell (etl/sources/column_dates.py via the roster)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from etl.models import RosterRecord
from etl.sources import column_dates, roster
from etl.sources.base import LoadContext, LoadResult
from skillboard.settings import Settings

D = dt.date
HEADER = "EmployeeID,SupervisoryOrganization,StatusHireDate,StatusTerminationDate\n"


def load_rows(
    tmp_path: Path, body: str, settings: Settings | None = None, header: str = HEADER
) -> LoadResult:
    path = tmp_path / "roster_2026-10-31.csv"
    path.write_text(header + body)
    return roster.load(path, LoadContext(settings or Settings(), inbox=tmp_path))


def hire_dates(result: LoadResult) -> list[object]:
    return result.tables["raw_roster"]["hire_date"].to_list()


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (["2015-04-01", "2019-12-31"], "%Y-%m-%d"),
        (["2015-04-01T00:00:00", "2019-12-31 08:30:00"], "%Y-%m-%d"),
        (["4/1/2015", "12/31/2019"], "%m/%d/%Y"),
        (["1/4/2015", "31/12/2019"], "%d/%m/%Y"),
        (["4/1/15", "12/31/99"], "%m/%d/%y"),
        (["01.04.2015", "31.12.2019"], "%d.%m.%Y"),
        (["42095", "43830"], "excel"),
        (["2015/04/01"], "%Y/%m/%d"),
    ],
)
def test_the_format_that_reads_every_value_is_chosen(values: list[str], code: str) -> None:
    choice = column_dates.choose_format(pl.Series(values), day_first=False)
    assert choice.format.code == code
    assert all(choice.format(value) is not None for value in values)


def test_excel_serials_count_days_from_1899_12_30() -> None:
    """42095 = 2015-04-01 and 43830 = 2019-12-31 (Excel's 1900 date system)."""
    assert column_dates.EXCEL("42095") == D(2015, 4, 1)
    assert column_dates.EXCEL("43830.75") == D(2019, 12, 31)
    assert column_dates.EXCEL("2015") is None  # a bare year is not a day count


def test_two_digit_years_pivot_at_70() -> None:
    """00-69 are 2000-2069, 70-99 are 1970-1999."""
    assert column_dates.MDY_SHORT("1/1/00") == D(2000, 1, 1)
    assert column_dates.MDY_SHORT("1/1/69") == D(2069, 1, 1)
    assert column_dates.MDY_SHORT("1/1/70") == D(1970, 1, 1)
    assert column_dates.MDY_SHORT("1/1/99") == D(1999, 1, 1)


def test_four_digit_formats_do_not_read_two_digit_years_as_year_15() -> None:
    assert column_dates.MDY("4/1/15") is None


def test_each_column_gets_its_own_format(tmp_path: Path) -> None:
    """Hire dates are ISO, termination dates US month/day in the same file; both read right."""
    result = load_rows(tmp_path, "E1,Sales,2015-04-01,12/31/2019\nE2,Sales,2016-05-02,\n")
    assert hire_dates(result) == [D(2015, 4, 1), D(2016, 5, 2)]
    assert result.tables["raw_roster"]["termination_date"].to_list() == [D(2019, 12, 31), None]


def test_a_day_over_12_decides_day_first_for_the_whole_column(tmp_path: Path) -> None:
    """03/04/2015 alone could be 4 March or 3 April; 25/12/2016 in the same column proves the
    column is day/month, so row 1 is 3 April, not the US reading."""
    result = load_rows(tmp_path, "E1,Sales,03/04/2015,\nE2,Sales,25/12/2016,\n")
    assert hire_dates(result) == [D(2015, 4, 3), D(2016, 12, 25)]


def test_an_ambiguous_column_follows_the_order_another_column_proved(tmp_path: Path) -> None:
    """Hire dates all have day <= 12 (ambiguous); termination 31/01/2020 proves day/month for
    the file, so hire 02/03/2015 is 2 March 2015."""
    result = load_rows(tmp_path, "E1,Sales,02/03/2015,31/01/2020\n")
    assert hire_dates(result) == [D(2015, 3, 2)]


def test_an_ambiguous_column_in_a_us_profile_reads_month_first(tmp_path: Path) -> None:
    """Workday is a US profile: 02/03/2015 with nothing to tell is 3 February."""
    assert hire_dates(load_rows(tmp_path, "E1,Sales,02/03/2015,\n")) == [D(2015, 2, 3)]


def test_an_ambiguous_column_in_successfactors_reads_day_first(tmp_path: Path) -> None:
    header = "personIdExternal,department,startDate\n"
    result = load_rows(tmp_path, "S1,Ops,02/03/2015\n", header=header)
    assert hire_dates(result) == [D(2015, 3, 2)]


def test_a_value_the_column_format_cannot_read_quarantines_its_row(tmp_path: Path) -> None:
    """Two of three hire dates are MM/DD/YYYY; "13/25/2015" fits neither order and is quarantined
    with the column's format, not re-guessed on its own."""
    result = load_rows(
        tmp_path, "E1,Sales,04/13/2015,\nE2,Sales,12/25/2016,\nE3,Sales,13/25/2015,\n"
    )
    assert hire_dates(result) == [D(2015, 4, 13), D(2016, 12, 25)]
    assert [(q.row_number, q.reason) for q in result.quarantine] == [
        (3, "hire_date '13/25/2015' is not a date (expected MM/DD/YYYY)")
    ]


def test_mixed_orders_in_one_column_are_not_guessed_cell_by_cell(tmp_path: Path) -> None:
    """04/13/2015 reads only month/day, 13/04/2015 only day/month: one column, one format.
    Tied, the US profile keeps month/day and the day/month cell is quarantined."""
    result = load_rows(tmp_path, "E1,Sales,04/13/2015,\nE2,Sales,13/04/2015,\n")
    assert hire_dates(result) == [D(2015, 4, 13)]
    assert (
        result.quarantine[0].reason == "hire_date '13/04/2015' is not a date (expected MM/DD/YYYY)"
    )


def test_configured_date_format_overrides_detection(tmp_path: Path) -> None:
    """With date_format %d/%m/%Y, 02/03/2015 is 2 March even in a US profile."""
    settings = Settings(roster={"date_format": "%d/%m/%Y"})
    assert hire_dates(load_rows(tmp_path, "E1,Sales,02/03/2015,\n", settings)) == [D(2015, 3, 2)]


def test_configured_strftime_format_outside_the_built_ins_is_used(tmp_path: Path) -> None:
    settings = Settings(roster={"date_format": "%d-%b-%Y"})
    result = load_rows(tmp_path, "E1,Sales,01-Apr-2015,\nE2,Sales,31-Apr-2015,\n", settings)
    assert hire_dates(result) == [D(2015, 4, 1)]
    assert (
        result.quarantine[0].reason == "hire_date '31-Apr-2015' is not a date (expected %d-%b-%Y)"
    )


def test_the_model_reads_a_date_with_the_format_it_is_given() -> None:
    """RosterRecord alone takes ISO; given the column's parser it reads that column's format."""
    fields = {"employee_id": "E1", "department": "Sales", "hire_date": "12/31/99"}
    parsers = {"hire_date": column_dates.MDY_SHORT}
    record = RosterRecord.model_validate(fields, context={"parsers": parsers})
    assert record.hire_date == D(1999, 12, 31)
    assert RosterRecord.model_validate({**fields, "hire_date": "1999-12-31"}).hire_date == D(
        1999, 12, 31
    )
