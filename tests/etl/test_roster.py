"""The roster loader on small real-format exports (tests/fixtures/roster/, see its README)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import xlsxwriter

from etl.sources import roster
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from skillboard.settings import Settings, load_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "roster"
D = dt.date

HRDATASET_MAPPING = {
    "employee_id": "EmpID",
    "full_name": "Employee_Name",
    "department": "Department",
    "manager_id": "ManagerID",
    "job_title": "Position",
    "location": "State",
    "hire_date": "DateofHire",
    "termination_date": "DateofTermination",
    "termination_reason": "TermReason",
    "annual_salary": "Salary",
}


def load(path: Path, settings: Settings | None = None) -> LoadResult:
    """Detect then load, as the run does."""
    assert roster.detect(Probe(path=path, head=path.read_bytes()[:65536]))
    return roster.load(path, LoadContext(settings or Settings(), inbox=path.parent))


def rows(result: LoadResult) -> list[dict[str, object]]:
    return result.tables["raw_roster"].to_dicts()


def column(result: LoadResult, name: str) -> list[object]:
    return result.tables["raw_roster"][name].to_list()


def assert_counts(result: LoadResult, read: int, loaded: int) -> None:
    assert result.rows_read == read
    assert result.loaded == loaded
    assert result.rows_read == result.loaded + len(result.quarantine)
    assert result.tables["raw_roster"].height == loaded


def test_output_has_the_raw_roster_columns_of_the_store_schema() -> None:
    """The frame carries every raw_roster column of sql/store/raw_tables.sql except file_id."""
    ddl = (Path(__file__).resolve().parents[2] / "sql" / "store" / "raw_tables.sql").read_text()
    block = ddl.split("create table if not exists raw_roster (")[1].split(");")[0]
    ddl_columns = [line.split()[0] for line in block.strip().splitlines() if line.strip()]
    result = load(FIXTURES / "workday_export.csv")
    assert ["file_id", *result.tables["raw_roster"].columns] == ddl_columns


def test_workday_export_reads_every_field_and_takes_the_date_from_as_of_date() -> None:
    """workday_export.csv: 4 rows, ISO dates, "Last, First" names, Y/N flags, As_Of_Date column.

    W102 left 2026-06-30, voluntary (Y) and regrettable (Y); W103 left 2025-02-28, N/N.
    The file name has no date, so 2026-10-31 can only come from As_Of_Date.
    """
    result = load(FIXTURES / "workday_export.csv")
    assert result.loader == "roster:workday"
    assert_counts(result, read=4, loaded=4)
    first = rows(result)[0]
    assert first == {
        "row_number": 1,
        "snapshot_date": D(2026, 10, 31),
        "employee_id": "W100",
        "email": "ngozi.okafor@example.com",
        "full_name": "Ngozi Okafor",
        "department": "Engineering",
        "team": "Platform",
        "manager_id": None,
        "job_title": "VP Engineering",
        "job_family": "ENG-MGR",
        "location": "US-NYC",
        "hire_date": D(2012, 3, 5),
        "termination_date": None,
        "termination_reason": None,
        "termination_voluntary": None,
        "regrettable": None,
        "annual_salary": 185000.0,
        "performance_rating": "Exceeds",
        "cost_center": "CC-100",
    }
    assert column(result, "termination_date") == [None, None, D(2026, 6, 30), D(2025, 2, 28)]
    assert column(result, "termination_voluntary") == [None, None, True, False]
    assert column(result, "regrettable") == [None, None, True, False]
    assert column(result, "team") == ["Platform", "Platform", "Data", None]


def test_successfactors_export_reads_dotted_dates_euro_salaries_and_date_from_name() -> None:
    """successfactors_20261031.csv: DD.MM.YYYY dates, "54.500,00 EUR" and "€54.500" salaries.

    Both salaries are 54 500 euros; the snapshot date 2026-10-31 comes from YYYYMMDD in the name.
    """
    result = load(FIXTURES / "successfactors_20261031.csv")
    assert result.loader == "roster:successfactors"
    assert_counts(result, read=3, loaded=3)
    assert column(result, "snapshot_date") == [D(2026, 10, 31)] * 3
    assert column(result, "hire_date") == [D(2014, 4, 1), D(2019, 9, 15), D(2022, 5, 2)]
    assert column(result, "termination_date") == [None, D(2025, 3, 31), None]
    assert column(result, "annual_salary") == [98000.0, 54500.0, 54500.0]
    assert column(result, "job_family") == ["OPS-M", "OPS-IC", "OPS-IC"]
    assert column(result, "full_name")[2] == "Léa Dubois"


def test_bamboohr_export_joins_first_and_last_name_and_reads_termination_type() -> None:
    """bamboohr_2026-10-31.csv: "Employee #", First/Last Name, MM/DD/YYYY, "Voluntary", a band.

    Tom left 02/03/2025 = 3 February (US order), Voluntary -> True, Regrettable No -> False;
    Priya's "60000 - 65000" band is its midpoint 62 500.
    """
    result = load(FIXTURES / "bamboohr_2026-10-31.csv")
    assert result.loader == "roster:bamboohr"
    assert_counts(result, read=3, loaded=3)
    assert column(result, "employee_id") == ["17", "18", "19"]
    assert column(result, "full_name") == ["Maria Garcia", "Tom Becker", "Priya Nair"]
    assert column(result, "hire_date") == [D(2016, 3, 4), D(2020, 11, 20), D(2024, 1, 10)]
    assert column(result, "termination_date") == [None, D(2025, 2, 3), None]
    assert column(result, "termination_voluntary") == [None, True, None]
    assert column(result, "regrettable") == [None, False, None]
    assert column(result, "annual_salary") == [88000.0, 52000.0, 62500.0]
    assert column(result, "manager_id") == [None, "17", "17"]


def test_quirks_file_is_read_without_mangling() -> None:
    """quirks_2026-10-31.csv: BOM, CRLF, Windows-1252 bytes, padding, two-digit years, bands.

    Worked by hand:
    - names: "Núñez, José" -> "José Núñez"; "O'Brien,  Seán " -> "Seán O'Brien" (Latin-1 bytes
      decoded, not replaced); "Renée Côté" has no comma and stays as written.
    - "Production       " and "  Production " -> "Production"; manager "" and "  " -> None,
      "Q1 " -> "Q1".
    - two-digit years: 4/1/15 -> 2015-04-01, 12/31/99 -> 1999-12-31, 7/4/70 -> 1970-07-04,
      2/29/00 -> 2000-02-29 (2000 is a leap year); 1/2/20 -> 2020-01-02.
    - salaries: " $54,500 " -> 54500, "60000 - 65000" -> 62500, "54500.00" -> 54500,
      "€54.500" -> 54500.
    """
    result = load(FIXTURES / "quirks_2026-10-31.csv")
    assert result.loader == "roster:workday"
    assert_counts(result, read=4, loaded=4)
    assert column(result, "full_name") == ["José Núñez", "Zoë Müller", "Renée Côté", "Seán O'Brien"]
    assert column(result, "department") == ["Production", "Production", "Qualité", "Qualité"]
    assert column(result, "manager_id") == [None, "Q1", None, "Q1"]
    assert column(result, "hire_date") == [
        D(2015, 4, 1),
        D(1999, 12, 31),
        D(1970, 7, 4),
        D(2000, 2, 29),
    ]
    assert column(result, "termination_date") == [None, D(2020, 1, 2), None, None]
    assert column(result, "termination_voluntary") == [None, True, None, None]
    assert column(result, "annual_salary") == [54500.0, 62500.0, 54500.0, 54500.0]
    assert column(result, "snapshot_date") == [D(2026, 10, 31)] * 4


def test_bad_rows_are_quarantined_with_the_field_and_value_named() -> None:
    """bad_rows_2026-10-31.csv: 7 data rows, 2 good (B1 row 1, B6 row 7), 5 quarantined.

    row 2: 2015-04-31 does not exist; row 3: no department; row 4: salary -5000;
    row 5: B1 again (row 1 was first); row 6: left 2019-12-31, before joining 2020-03-01.
    """
    result = load(FIXTURES / "bad_rows_2026-10-31.csv")
    assert_counts(result, read=7, loaded=2)
    assert column(result, "row_number") == [1, 7]
    assert column(result, "annual_salary") == [90000.0, 71250.0]
    reasons = {row.row_number: row.reason for row in result.quarantine}
    assert reasons == {
        2: "hire_date '2015-04-31' is not a date (expected YYYY-MM-DD)",
        3: "department is missing",
        4: "annual_salary '-5000' is negative",
        5: "employee_id 'B1' repeats row 1 (a snapshot holds one row per employee)",
        6: "termination_date 2019-12-31 is before hire_date 2020-03-01",
    }


def test_quarantined_row_keeps_its_raw_values_by_header() -> None:
    """Row 3 of bad_rows keeps every header with the text as written ("" for empty cells)."""
    result = load(FIXTURES / "bad_rows_2026-10-31.csv")
    row3 = next(row for row in result.quarantine if row.row_number == 3)
    assert row3.raw == {
        "EmployeeID": "B3",
        "Legal_Name": "No Department",
        "SupervisoryOrganization": "",
        "ManagerReference": "B1",
        "StatusHireDate": "2016-02-01",
        "StatusTerminationDate": "",
        "Annual_Salary": "70000",
    }


def test_several_problems_in_one_row_are_all_named(tmp_path: Path) -> None:
    """A bad hire date, a non-flag and a garbage salary in one row: all three, in field order."""
    path = tmp_path / "roster_2026-10-31.csv"
    path.write_text(
        "EmployeeID,SupervisoryOrganization,StatusHireDate,Voluntary_Termination,Annual_Salary\n"
        "E1,Sales,2015-02-30,maybe,lots\n"
    )
    result = load(path)
    assert [row.reason for row in result.quarantine] == [
        "hire_date '2015-02-30' is not a date (expected YYYY-MM-DD); "
        "termination_voluntary 'maybe' is not yes/no (expected Y/N, Yes/No, 1/0 or true/false); "
        "annual_salary 'lots' is not an amount (expected an amount such as 54500, $54,500.00 or "
        "a band such as 60000 - 65000)"
    ]


def test_config_mapping_from_the_spec_reads_an_hrdataset_export(tmp_path: Path) -> None:
    """The SPEC §3 mapping, read from TOML, loads hrdataset_2026-10-31.csv (HRDataset headers).

    "Adinolfi, Wilson  K" -> "Wilson K Adinolfi" (double space collapsed); "Alagbe,Trina" ->
    "Trina Alagbe"; 7/5/2011 -> 2011-07-05 via date_format %m/%d/%Y; blank ManagerID -> None.
    """
    config = tmp_path / "skillboard.toml"
    lines = [f'{field} = "{header}"' for field, header in HRDATASET_MAPPING.items()]
    config.write_text(
        '[roster]\ndate_format = "%m/%d/%Y"\n[roster.columns]\n' + "\n".join(lines) + "\n"
    )
    settings = load_settings(config)
    result = load(FIXTURES / "hrdataset_2026-10-31.csv", settings)
    assert result.loader == "roster:config"
    assert_counts(result, read=5, loaded=5)
    assert column(result, "full_name") == [
        "Wilson K Adinolfi",
        "Karthikeyan Ait Sidi",
        "Sarah Akinkuolie",
        "Trina Alagbe",
        "Carol Anderson",
    ]
    assert column(result, "hire_date")[:2] == [D(2011, 7, 5), D(2015, 3, 30)]
    assert column(result, "termination_date")[:3] == [None, D(2016, 6, 16), D(2012, 9, 24)]
    assert column(result, "department")[0] == "Production"
    assert column(result, "manager_id") == ["22", "4", "20", "16", None]
    assert column(result, "annual_salary")[1] == 104437.0


def test_hrdataset_headers_are_recognised_without_settings_but_need_the_mapping() -> None:
    """detect() sees no settings, so EmpID + DateofHire make the file a roster; load() without
    the mapping says which columns are missing and how to map them."""
    path = FIXTURES / "hrdataset_2026-10-31.csv"
    assert roster.detect(Probe(path=path, head=path.read_bytes()))
    with pytest.raises(FileRejected, match=r"\[roster.columns\]"):
        roster.load(path, LoadContext(Settings(), inbox=path.parent))


def test_forced_profile_missing_its_headers_is_rejected_with_them_named() -> None:
    path = FIXTURES / "bamboohr_2026-10-31.csv"
    settings = Settings(roster={"profile": "workday"})
    with pytest.raises(FileRejected, match="lacks the EmployeeID, SupervisoryOrganization"):
        roster.load(path, LoadContext(settings, inbox=path.parent))


def test_unknown_profile_or_field_in_settings_is_rejected_with_the_known_ones() -> None:
    path = FIXTURES / "workday_export.csv"
    with pytest.raises(FileRejected, match="choose workday, successfactors, bamboohr"):
        roster.load(path, LoadContext(Settings(roster={"profile": "sap"}), inbox=path.parent))
    bad_field = Settings(roster={"columns": {"hire_dt": "DateofHire"}})
    with pytest.raises(FileRejected, match=r"unknown field.*hire_dt"):
        roster.load(path, LoadContext(bad_field, inbox=path.parent))


def test_headers_match_case_insensitively_after_trimming(tmp_path: Path) -> None:
    path = tmp_path / "roster_2026-01-15.csv"
    path.write_text(" employeeid ,SUPERVISORYORGANIZATION,statushiredate\nE1,Sales,2020-01-01\n")
    result = load(path)
    assert result.loader == "roster:workday"
    assert rows(result)[0]["department"] == "Sales"
    assert rows(result)[0]["snapshot_date"] == D(2026, 1, 15)


def test_snapshot_date_missing_everywhere_rejects_the_file(tmp_path: Path) -> None:
    path = tmp_path / "roster_latest.csv"
    path.write_text("EmployeeID,SupervisoryOrganization,StatusHireDate\nE1,Sales,2020-01-01\n")
    with pytest.raises(FileRejected) as caught:
        load(path)
    assert str(caught.value) == (
        "cannot tell the export date of roster_latest.csv: add an As_Of_Date column or put the "
        "date in the file name like roster_2026-10-31.csv"
    )


def test_snapshot_date_column_that_varies_falls_back_to_the_file_name(tmp_path: Path) -> None:
    """Two different As_Of_Date values are not an export date; the name's 2026-09-30 is."""
    path = tmp_path / "hr_2026-09-30_export.csv"
    path.write_text(
        "EmployeeID,SupervisoryOrganization,StatusHireDate,As_Of_Date\n"
        "E1,Sales,2020-01-01,2026-09-30\nE2,Sales,2020-01-01,2026-08-31\n"
    )
    assert column(load(path), "snapshot_date") == [D(2026, 9, 30)] * 2


def test_workbook_with_native_dates_and_numbers_loads_like_a_csv(tmp_path: Path) -> None:
    """An XLSX written with xlsxwriter: native date cells, numeric ids and salaries.

    Hire dates: a date cell 2015-04-01 and a date cell 2019-12-31; employee ids typed as numbers
    1001/1002 come back as "1001"/"1002"; salary 54500.5 stays 54500.5; the date is in the name.
    """
    path = tmp_path / "workday_2026-10-31.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Workers")
    date_cell = book.add_format({"num_format": "yyyy-mm-dd"})
    headers = ["EmployeeID", "Legal_Name", "SupervisoryOrganization", "StatusHireDate"]
    headers += ["Annual_Salary", "Regrettable_Termination"]
    sheet.write_row(0, 0, headers)
    for row, (emp, name, hired, salary) in enumerate(
        [
            (1001, "Ito, Ken", dt.datetime(2015, 4, 1), 54500.5),
            (1002, "Ana Lima", dt.datetime(2019, 12, 31), 61000),
        ],
        start=1,
    ):
        sheet.write_number(row, 0, emp)
        sheet.write_string(row, 1, name)
        sheet.write_string(row, 2, "Sales ")
        sheet.write_datetime(row, 3, hired, date_cell)
        sheet.write_number(row, 4, salary)
        sheet.write_string(row, 5, "No")
    book.close()

    result = load(path)
    assert result.loader == "roster:workday"
    assert_counts(result, read=2, loaded=2)
    assert column(result, "employee_id") == ["1001", "1002"]
    assert column(result, "full_name") == ["Ken Ito", "Ana Lima"]
    assert column(result, "department") == ["Sales", "Sales"]
    assert column(result, "hire_date") == [D(2015, 4, 1), D(2019, 12, 31)]
    assert column(result, "annual_salary") == [54500.5, 61000.0]
    assert column(result, "regrettable") == [False, False]
    assert column(result, "snapshot_date") == [D(2026, 10, 31)] * 2


def test_blank_rows_are_not_counted_but_row_numbers_point_at_the_file(tmp_path: Path) -> None:
    """Data rows: E1 (1), blank (2), ",,," (3), E2 (4): 2 read, numbered 1 and 4."""
    path = tmp_path / "roster_2026-10-31.csv"
    path.write_text(
        "EmployeeID,SupervisoryOrganization,StatusHireDate\r\n"
        "E1,Sales,2020-01-01\r\n\r\n,,\r\nE2,Sales,2021-01-01\r\n"
    )
    result = load(path)
    assert_counts(result, read=2, loaded=2)
    assert column(result, "row_number") == [1, 4]


def test_semicolon_delimited_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "roster_2026-10-31.csv"
    path.write_text("Employee ID;Department;Hire Date\n7;Sales;12/31/2020\n")
    result = load(path)
    assert result.loader == "roster:bamboohr"
    assert rows(result)[0]["hire_date"] == D(2020, 12, 31)


def test_badge_and_reference_csvs_are_not_rosters(tmp_path: Path) -> None:
    credly = tmp_path / "credly.csv"
    credly.write_text("Badge Name,Badge Template ID,Issued to Email,Issue Date,Status\n")
    skills = tmp_path / "skills_map.csv"
    skills.write_text("badge_class_id,skill_id,skill_name,framework\n")
    assert not roster.detect(Probe(path=credly, head=credly.read_bytes()))
    assert not roster.detect(Probe(path=skills, head=skills.read_bytes()))


def test_as_of_date_column_wins_over_a_date_in_the_name(tmp_path: Path) -> None:
    """workday_export.csv says As_Of_Date 2026-10-31; renamed roster_2026-09-30.csv it still is."""
    path = tmp_path / "roster_2026-09-30.csv"
    shutil.copy(FIXTURES / "workday_export.csv", path)
    assert set(column(load(path), "snapshot_date")) == {D(2026, 10, 31)}
