"""Quarterly roster snapshots in the header profiles of three real HR systems.

Each snapshot lists everyone employed at its date plus the quarter's leavers with their
termination, except the "silent" leavers, who are simply missing from the next snapshot (the
loader then infers "absent from roster"). The oldest snapshot is a BambooHR XLSX, the second a
SuccessFactors CSV, the rest Workday CSVs; the last snapshot is always Workday. Only one XLSX is
written at any scale because writing XLSX is slow.

SuccessFactors' ``jobCode`` carries the job family (the same value as Workday's JobFamilyID and
BambooHR's Job Family), so that the three exports agree on the family that
``role_requirements.csv`` names.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

from etl.generate import identities, org
from etl.generate.workforce import (
    LAST_SNAPSHOT,
    ROLE_CEO,
    ROLE_HEAD,
    ROLE_LEAD,
    ROLE_MANAGER,
    ROLE_STAFF,
    Snapshot,
    Workforce,
)

Profile = Literal["workday", "successfactors", "bamboohr"]

WORKDAY_COLUMNS = (
    "EmployeeID",
    "Legal_Name",
    "Email_Primary_Work",
    "SupervisoryOrganization",
    "Team",
    "ManagerReference",
    "BusinessTitle",
    "JobFamilyID",
    "LocationIdentifier",
    "StatusHireDate",
    "StatusTerminationDate",
    "Termination_Reason",
    "Voluntary_Termination",
    "Regrettable_Termination",
    "Active",
    "Annual_Salary",
    "Cost_Center",
    "Performance_Rating",
)
SUCCESSFACTORS_COLUMNS = (
    "personIdExternal",
    "displayName",
    "email",
    "managerId",
    "department",
    "division",
    "jobTitle",
    "jobCode",
    "LocationName",
    "startDate",
    "lastDateWorked",
    "eventReason",
    "payGrade",
    "annualSalary",
    "costCenter",
)
BAMBOOHR_COLUMNS = (
    "Employee #",
    "First Name",
    "Last Name",
    "Work Email",
    "Supervisor ID",
    "Department",
    "Division",
    "Job Title",
    "Job Family",
    "Location",
    "Hire Date",
    "Termination Date",
    "Termination Reason",
    "Termination Type",
    "Regrettable",
    "Pay Rate",
)


def snapshot_profile(index: int, count: int) -> Profile:
    """Which system exported snapshot ``index`` (0 = oldest) of ``count``."""
    if index == 0 and count > 2:
        return "bamboohr"
    if index == 1 and count > 2:
        return "successfactors"
    return "workday"


def _lookup(values: list[str], codes: npt.NDArray[np.int64]) -> npt.NDArray[np.str_]:
    return np.asarray(values)[codes]


def _canonical(
    wf: Workforce,
    snap: Snapshot,
    ids: npt.NDArray[np.str_],
    emails: npt.NDArray[np.str_],
    rng: np.random.Generator,
) -> pl.DataFrame:
    """One row per listed person with every field any profile needs, still unformatted."""
    people = snap.people
    n_depts = len(org.DEPARTMENTS)
    dept_code = np.where(snap.dept < 0, n_depts, snap.dept)  # n_depts = the executive office
    depts = [*org.DEPARTMENTS]
    dept_names = [d.name for d in depts] + ["Executive Office"]
    divisions = [d.division for d in depts] + ["Corporate"]
    families = [d.family for d in depts] + [org.EXECUTIVE_FAMILY]

    # Titles: staff by department and level; leaders by department and role.
    titles = [t for d in depts for t in d.titles]
    lead_titles = [f"{d.short} Team Lead" for d in depts]
    manager_titles = [f"{d.short} Manager" for d in depts]
    head_titles = [f"VP, {d.name}" for d in depts]
    all_titles = titles + lead_titles + manager_titles + head_titles + [org.CEO_TITLE]
    safe_dept = np.minimum(dept_code, n_depts - 1)
    title_code = np.select(
        [
            snap.role == ROLE_STAFF,
            snap.role == ROLE_LEAD,
            snap.role == ROLE_MANAGER,
            snap.role == ROLE_HEAD,
        ],
        [
            safe_dept * 4 + np.maximum(snap.level, 1) - 1,
            4 * n_depts + safe_dept,
            5 * n_depts + safe_dept,
            6 * n_depts + safe_dept,
        ],
        7 * n_depts,
    )
    team_names = [*wf.chart.team_name]
    team_label = np.select(
        [snap.role >= ROLE_LEAD, snap.role == ROLE_MANAGER, snap.role == ROLE_HEAD],
        [
            _lookup(team_names, np.maximum(snap.team, 0)),
            np.char.add(_lookup(dept_names, dept_code), " Management"),
            np.char.add(_lookup(dept_names, dept_code), " Leadership"),
        ],
        "Executive Office",
    )
    left = wf.term_day[people] <= snap.day
    voluntary = wf.voluntary[people]
    reason = np.where(
        voluntary,
        _lookup(list(org.VOLUNTARY_REASONS), np.maximum(wf.reason[people], 0)),
        _lookup(
            list(org.INVOLUNTARY_REASONS),
            np.minimum(np.maximum(wf.reason[people], 0), len(org.INVOLUNTARY_REASONS) - 1),
        ),
    )
    grade = np.select(
        [
            snap.role == ROLE_STAFF,
            snap.role == ROLE_LEAD,
            snap.role == ROLE_MANAGER,
            snap.role == ROLE_HEAD,
            snap.role == ROLE_CEO,
        ],
        [
            snap.level + 2,
            np.full_like(snap.level, 7),
            np.full_like(snap.level, 8),
            np.full_like(snap.level, 10),
            np.full_like(snap.level, 12),
        ],
    )
    manager = np.where(snap.manager >= 0, ids[np.maximum(snap.manager, 0)], "")
    return pl.DataFrame(
        {
            "employee_id": ids[people],
            "first": identities.first_names(wf)[people],
            "last": identities.last_names(wf)[people],
            "email": emails[people],
            "department": _lookup(dept_names, dept_code),
            "division": _lookup(divisions, dept_code),
            "team": team_label,
            "manager_id": manager,
            "job_title": _lookup(all_titles, title_code),
            "job_family": _lookup(families, dept_code),
            "location": _lookup([x.city for x in org.LOCATIONS], snap.location),
            "hire_day": wf.hire_day[people],
            "term_day": np.where(left, wf.term_day[people], -1),
            "reason": np.where(left, reason, ""),
            "voluntary": voluntary,
            "regrettable": wf.regrettable[people],
            "left": left,
            "salary": snap.salary.astype(np.int64),
            "cost_center": np.char.add(
                np.char.add("CC-", _lookup([d.code for d in depts] + ["EXE"], dept_code)),
                np.char.add("-", np.char.zfill(snap.location.astype(str), 2)),
            ),
            "performance": _lookup(list(org.PERFORMANCE_RATINGS), wf.perf[people] - 1),
            "pay_grade": np.char.add("PG", np.char.zfill(grade.astype(str), 2)),
            "style": rng.random(people.shape[0]),
        }
    ).with_columns(
        pl.when(pl.col("term_day") < 0).then(None).otherwise(pl.col("term_day")).alias("term_day")
    )


def _dollars(col: str, cents: bool) -> pl.Expr:
    """``$54,500.00`` (or ``$54,500``) for salaries from $1,000 to $999,999."""
    thousands = (pl.col(col) // 1000).cast(pl.String)
    rest = (pl.col(col) % 1000).cast(pl.String).str.zfill(3)
    return pl.format("${},{}" + (".00" if cents else ""), thousands, rest)


def _yes_no(flag: str, yes: str, no: str) -> pl.Expr:
    return (
        pl.when(~pl.col("left"))
        .then(pl.lit(""))
        .when(pl.col(flag))
        .then(pl.lit(yes))
        .otherwise(pl.lit(no))
    )


def _workday(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("employee_id").alias("EmployeeID"),
        pl.format("{}, {}", "last", "first").alias("Legal_Name"),
        pl.col("email").alias("Email_Primary_Work"),
        pl.col("department").alias("SupervisoryOrganization"),
        pl.col("team").alias("Team"),
        pl.col("manager_id").alias("ManagerReference"),
        pl.col("job_title").alias("BusinessTitle"),
        pl.col("job_family").alias("JobFamilyID"),
        pl.col("location").alias("LocationIdentifier"),
        identities.date_column(pl.col("hire_day"), "%Y-%m-%d").alias("StatusHireDate"),
        identities.date_column(pl.col("term_day"), "%Y-%m-%d").alias("StatusTerminationDate"),
        pl.col("reason").alias("Termination_Reason"),
        _yes_no("voluntary", "Y", "N").alias("Voluntary_Termination"),
        _yes_no("regrettable", "Y", "N").alias("Regrettable_Termination"),
        pl.when(pl.col("left")).then(pl.lit("0")).otherwise(pl.lit("1")).alias("Active"),
        # Workday reports mix formatted currency and plain numbers depending on the field used.
        pl.when(pl.col("style") < 0.35)
        .then(_dollars("salary", cents=True))
        .otherwise(pl.col("salary").cast(pl.String))
        .alias("Annual_Salary"),
        pl.col("cost_center").alias("Cost_Center"),
        pl.col("performance").alias("Performance_Rating"),
    )


def _successfactors(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        pl.col("employee_id").alias("personIdExternal"),
        pl.format("{} {}", "first", "last").alias("displayName"),
        pl.col("email"),
        pl.col("manager_id").alias("managerId"),
        pl.col("department"),
        pl.col("division"),
        pl.col("job_title").alias("jobTitle"),
        pl.col("job_family").alias("jobCode"),
        pl.col("location").alias("LocationName"),
        identities.date_column(pl.col("hire_day"), "%m/%d/%Y").alias("startDate"),
        identities.date_column(pl.col("term_day"), "%m/%d/%Y").alias("lastDateWorked"),
        pl.col("reason").alias("eventReason"),
        pl.col("pay_grade").alias("payGrade"),
        pl.col("salary").cast(pl.String).alias("annualSalary"),
        pl.col("cost_center").alias("costCenter"),
    )


def _bamboohr(frame: pl.DataFrame) -> pl.DataFrame:
    low = (pl.col("salary") // 5000) * 5000
    return frame.select(
        pl.col("employee_id").alias("Employee #"),
        pl.col("first").alias("First Name"),
        pl.col("last").alias("Last Name"),
        pl.col("email").alias("Work Email"),
        pl.col("manager_id").alias("Supervisor ID"),
        pl.col("department").alias("Department"),
        pl.col("division").alias("Division"),
        pl.col("job_title").alias("Job Title"),
        pl.col("job_family").alias("Job Family"),
        pl.col("location").alias("Location"),
        identities.date_column(pl.col("hire_day"), "%m/%d/%Y").alias("Hire Date"),
        identities.date_column(pl.col("term_day"), "%m/%d/%Y").alias("Termination Date"),
        pl.col("reason").alias("Termination Reason"),
        _yes_no("voluntary", "Voluntary", "Involuntary").alias("Termination Type"),
        _yes_no("regrettable", "Yes", "No").alias("Regrettable"),
        # Some BambooHR accounts store a pay band instead of the exact rate.
        pl.when(pl.col("style") < 0.2)
        .then(pl.format("{} - {}", low, low + 5000))
        .otherwise(_dollars("salary", cents=False))
        .alias("Pay Rate"),
    )


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    ),
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>Employee export</dc:title><dc:creator>BambooHR</dc:creator>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">{created}T00:00:00Z</dcterms:created>'
        "</cp:coreProperties>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Employees" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _xml_text(col: pl.Expr) -> pl.Expr:
    return (
        col.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _sheet_xml(frame: pl.DataFrame) -> bytes:
    """The worksheet part: one inline-string cell per non-blank value, built column-wise."""
    header = pl.DataFrame([pl.Series(c, [c], dtype=pl.String) for c in frame.columns])
    table = pl.concat([header, frame.select(pl.all().cast(pl.String))])
    row_no = pl.int_range(1, pl.len() + 1).cast(pl.String)
    cells = []
    for i, name in enumerate(table.columns):
        letter = chr(ord("A") + i)
        value = pl.col(name)
        cells.append(
            pl.when(value.is_null() | (value == ""))
            .then(pl.lit(""))
            .otherwise(
                pl.concat_str(
                    [
                        pl.lit(f'<c r="{letter}'),
                        row_no,
                        pl.lit('" t="inlineStr"><is><t>'),
                        _xml_text(value),
                        pl.lit("</t></is></c>"),
                    ]
                )
            )
        )
    rows = table.select(
        pl.concat_str([pl.lit('<row r="'), row_no, pl.lit('">'), *cells, pl.lit("</row>")]).alias(
            "row"
        )
    )["row"].str.join("")[0]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def _write_xlsx(frame: pl.DataFrame, path: Path) -> None:
    """Write a one-sheet XLSX workbook with inline-string cells, as some HR exports do.

    xlsxwriter (through ``polars.write_excel``) needs about 20 s for 50,000 rows and minutes
    for 500,000; building the sheet XML with polars takes a second. Zip entries carry a fixed
    timestamp so the same data gives the same bytes.
    """
    if frame.width > 26:
        raise ValueError("the XLSX writer handles at most 26 columns")
    created = LAST_SNAPSHOT.isoformat()
    with zipfile.ZipFile(path, "w") as archive:
        parts = {
            name: text.replace("{created}", created).encode("utf-8")
            for name, text in _XLSX_PARTS.items()
        }
        parts["xl/worksheets/sheet1.xml"] = _sheet_xml(frame)
        for name in (
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml",
        ):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, parts[name], compresslevel=6)


def write_rosters(
    out: Path,
    wf: Workforce,
    ids: npt.NDArray[np.str_],
    emails: npt.NDArray[np.str_],
    rng: np.random.Generator,
) -> list[Path]:
    """Write every quarterly snapshot as ``roster_<date>.csv`` / ``.xlsx``.

    Args:
        out: the inbox folder.
        wf: the simulated workforce.
        ids: every person's employee id.
        emails: every person's work e-mail.
        rng: the seeded generator.

    Returns:
        The files written, oldest first.
    """
    paths = []
    for index, snap in enumerate(wf.snapshots):
        frame = _canonical(wf, snap, ids, emails, rng)
        profile = snapshot_profile(index, len(wf.snapshots))
        stem = f"roster_{np.datetime64(snap.day, 'D')}"
        if profile == "bamboohr":
            path = out / f"{stem}.xlsx"
            _write_xlsx(_bamboohr(frame), path)
        elif profile == "successfactors":
            path = out / f"{stem}.csv"
            identities.write_csv(_successfactors(frame), path)
        else:
            path = out / f"{stem}.csv"
            identities.write_csv(_workday(frame), path)
        paths.append(path)
    return paths
