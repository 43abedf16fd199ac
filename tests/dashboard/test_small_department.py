"""A department of 4 people is invisible everywhere (SPEC §5, k = 5), built by the real
pipeline: the generated employer (300 people, seed 1) plus a "Tiny Unit" of 4 active people
(T1..T4, hired 2023-01-01, reporting to the CEO E000001) added to every Workday roster, then
one ETL run.

No page, chart, CSV download or callback may show a Tiny Unit figure, directly or by
subtraction from a total: every sibling group holding a hidden Tiny Unit cell holds a second
hidden cell (complementary suppression), and a filter that picks the complement alone (or
every department but Tiny Unit) does not get its figure back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from flask.testing import FlaskClient

from dashboard import access, data, ids
from dashboard.filters import Filters
from dashboard.snapshot import Snapshot
from tests.dashboard.access_helpers import SECRET, login, secured_app, write_users

TINY = "Tiny Unit"
HEADER = "EmployeeID,Legal_Name,Email_Primary_Work,SupervisoryOrganization"


def _add_tiny_unit(roster: Path) -> None:
    text = roster.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    model = rows[2]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    for i in range(1, 5):
        writer.writerow(
            {
                **{name: "" for name in rows[0]},
                "EmployeeID": f"T{i}",
                "Legal_Name": f"Tiny, Tess{i}",
                "Email_Primary_Work": f"tess{i}.tiny@corp.example.com",
                "SupervisoryOrganization": TINY,
                "Team": TINY,
                "ManagerReference": "E000001",
                "BusinessTitle": model["BusinessTitle"],
                "JobFamilyID": model["JobFamilyID"],
                "LocationIdentifier": model["LocationIdentifier"],
                "StatusHireDate": "2023-01-01",
                "Active": "1",
                "Annual_Salary": "90000",
                "Cost_Center": "CC-TIN-00",
            }
        )
    roster.write_text(text.rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def tiny_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.generate import generate
    from etl.run import run_etl
    from skillboard.settings import load_settings

    root = tmp_path_factory.mktemp("tiny")
    inbox, warehouse = root / "inbox", root / "warehouse"
    generate(inbox, employees=300, seed=1)
    rosters = [p for p in sorted(inbox.glob("roster_*.csv")) if p.read_text().startswith(HEADER)]
    assert len(rosters) >= 8
    for roster in rosters:
        _add_tiny_unit(roster)
    summary = run_etl(load_settings(inbox=inbox, warehouse=warehouse))
    assert summary.status == "published", summary.error
    return warehouse


@pytest.fixture(scope="module")
def tiny_db(tiny_warehouse: Path) -> Iterator[Snapshot]:
    snapshot = Snapshot(tiny_warehouse / "skillboard.duckdb")
    yield snapshot
    snapshot.close()


def _departments(db: Snapshot) -> list[str]:
    return [o.value for o in data.filter_options(db, data.Scope())["department"]]


def test_the_tiny_unit_has_four_active_people(tiny_db: Snapshot) -> None:
    frame = tiny_db.query(
        "select count(*) as n from people_on_as_of where department = $d", {"d": TINY}
    )
    assert frame["n"][0] == 4
    assert TINY in _departments(tiny_db)


def _views(db: Snapshot) -> list[Filters]:
    others = tuple(d for d in _departments(db) if d != TINY)
    return [
        Filters(),
        Filters(department=(TINY,)),
        Filters(department=others),
        Filters(department=(TINY, others[0])),
        Filters(department=(others[0],)),
    ]


def _tiny_rows(frame: pl.DataFrame) -> pl.DataFrame:
    for column in ("department", "team"):
        if column in frame.columns:
            return frame.filter(pl.col(column) == TINY)
    return frame.clear()


def test_every_chart_hides_the_tiny_unit_and_a_complement(tiny_db: Snapshot) -> None:
    """Every chart's data, under every view: a Tiny Unit row is suppressed with its values
    empty, and no sibling group (same skill / month / exposure) hides exactly one cell."""
    siblings = {
        ids.COVERAGE_HEATMAP: ["skill_id"],
        ids.COVERAGE_TREND: ["as_of"],
        ids.OVERVIEW_ATTRITION: ["month"],
        ids.RETENTION_ATTRITION: ["month"],
    }
    for view in _views(tiny_db):
        for chart, frame_of in data.chart_frames().items():
            if chart == ids.ROI_CHART or chart == ids.DATA_UNMATCHED_CHART:
                continue  # organisation-wide per programme / per identity type: no department
            frame = frame_of(tiny_db, data.Scope(), view)
            if frame.height == 0 or "suppressed" not in frame.columns:
                continue
            tiny = _tiny_rows(frame)
            assert tiny["suppressed"].all(), (chart, view)
            if view == Filters():
                whole = frame
                group = siblings.get(chart, [])
                hidden = (
                    whole.group_by(group or pl.lit(1)).agg(pl.col("suppressed").sum().alias("h"))
                    if group
                    else pl.DataFrame({"h": [int(whole["suppressed"].sum())]})
                )
                assert not (hidden["h"] == 1).any(), chart


def test_headcount_cannot_be_subtracted_back(tiny_db: Snapshot) -> None:
    """Total of everyone minus total of everyone but the Tiny Unit would be 4: one of the two
    totals is hidden (the second complement is inside the 'everyone but' view, alone)."""
    views = _views(tiny_db)
    everyone = data.headcount_total(data.headcount_by_department(tiny_db, data.Scope(), views[0]))
    but_tiny = data.headcount_total(data.headcount_by_department(tiny_db, data.Scope(), views[2]))
    assert everyone is None or but_tiny is None
    alone = data.headcount_total(data.headcount_by_department(tiny_db, data.Scope(), views[1]))
    assert alone is None


def test_expiring_counts_cannot_be_subtracted_back(tiny_db: Snapshot) -> None:
    views = _views(tiny_db)
    counts = [data.expiring_counts(tiny_db, data.Scope(), v) for v in views[:3]]
    for horizon in range(3):
        everyone, alone, but_tiny = (c.row(horizon, named=True) for c in counts)
        assert alone["suppressed"] or alone["people"] in (None, 0)
        assert (
            everyone["suppressed"]
            or but_tiny["suppressed"]
            or (
                everyone["people"] == but_tiny["people"]  # the Tiny Unit has none expiring
            )
        )


def test_drill_down_and_single_points_of_failure_list_nobody_of_the_tiny_unit(
    tiny_db: Snapshot,
) -> None:
    cells = data.coverage_cells(tiny_db, data.Scope(), Filters(department=(TINY,)))
    assert cells.height > 0 and cells["suppressed"].all()
    for skill in cells["skill_id"].to_list():
        with pytest.raises(data.NotAllowed):
            data.skill_people(tiny_db, data.Scope(), Filters(), "department", TINY, skill)
        with pytest.raises(data.NotAllowed):
            data.skill_people_page(tiny_db, data.Scope(), Filters(), "department", TINY, skill)
    spof = data.single_points_of_failure(tiny_db, data.Scope(), Filters())
    assert TINY not in spof["team"].to_list()


@pytest.fixture(scope="module")
def hr_client(
    tiny_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FlaskClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(access.SECRET_ENV, SECRET)
        app = secured_app(tiny_warehouse, write_users(tmp_path_factory.mktemp("u") / "u.toml"))
    client = app.server.test_client()
    login(client, "hanna")
    yield client
    app.server.extensions["skillboard.snapshot"].close()


def test_csv_downloads_show_no_tiny_unit_figure(hr_client: FlaskClient) -> None:
    """Every chart's CSV through the real download callback, filtered to the Tiny Unit:
    its rows have every figure empty."""
    for chart in data.chart_frames():
        body = {
            "output": '{"chart":["MATCH"],"type":"csv-download"}.data',
            "outputs": {"id": {"chart": chart, "type": "csv-download"}, "property": "data"},
            "inputs": [
                {"id": {"chart": chart, "type": "csv-button"}, "property": "n_clicks", "value": 1}
            ],
            "state": [
                {"id": ids.FILTERS_STORE, "property": "data", "value": {"department": [TINY]}}
            ],
            "changedPropIds": [f'{{"chart":"{chart}","type":"csv-button"}}.n_clicks'],
        }
        response = hr_client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204), chart
        if response.status_code == 204:
            continue
        content = response.get_json()["response"][f'{{"chart":"{chart}","type":"csv-download"}}']
        rows = list(csv.DictReader(io.StringIO(content["data"]["content"])))
        for row in rows:
            if TINY in (row.get("department"), row.get("team")):
                assert row["suppressed"] == "true", (chart, row)
                figures = ("headcount", "holders", "required", "leavers", "coverage_index")
                assert all(row.get(name) in (None, "") for name in figures), (chart, row)


def test_headcount_callback_hides_the_tiny_unit(hr_client: FlaskClient) -> None:
    body = {
        "output": f"..{ids.OVERVIEW_HEADCOUNT}.figure...{ids.KPI_HEADCOUNT}.children..",
        "outputs": [
            {"id": ids.OVERVIEW_HEADCOUNT, "property": "figure"},
            {"id": ids.KPI_HEADCOUNT, "property": "children"},
        ],
        "inputs": [{"id": ids.FILTERS_STORE, "property": "data", "value": {"department": [TINY]}}],
        "state": [],
        "changedPropIds": [f"{ids.FILTERS_STORE}.data"],
    }
    text = hr_client.post("/_dash-update-component", json=body).get_data(as_text=True)
    assert "hidden" in text and "4 people" not in text
