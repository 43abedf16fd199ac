"""The data-access layer against the hand-made snapshot (see snapshot_factory's docstring for
the organisation every expected value below is worked out from)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import data
from dashboard.filters import Filters
from dashboard.snapshot import Snapshot
from tests.dashboard.snapshot_factory import AS_OF, JANUARY, PREVIOUS

EVERYONE = data.Scope.everything()


def _by(frame: pl.DataFrame, key: str) -> dict[str, dict[str, object]]:
    return {row[key]: row for row in frame.iter_rows(named=True)}


def test_headcount_by_department_suppresses_small_departments_and_their_sibling(
    db: Snapshot,
) -> None:
    """Sales 6, Engineering 7, Legal 2 on the snapshot date: Legal (< 5) is hidden, and Sales,
    the next-smallest, too (else 15 − 7 − 6 gives Legal away); the total 15 stays visible
    because two departments are hidden together."""
    frame = data.headcount_by_department(db, EVERYONE, Filters())
    rows = _by(frame, "department")
    assert rows["Engineering"]["headcount"] == 7
    assert rows["Legal"]["suppressed"] and rows["Legal"]["headcount"] is None
    assert rows["Sales"]["suppressed"] and rows["Sales"]["headcount"] is None
    assert data.headcount_total(frame) == 15


def test_headcount_as_of_a_past_date_uses_the_history(db: Snapshot) -> None:
    """On 2026-01-31 N7 was still in Sales and S7 had not left: Sales 8, Engineering 6."""
    frame = data.headcount_by_department(db, EVERYONE, Filters(as_of=JANUARY))
    rows = _by(frame, "department")
    assert rows["Sales"]["headcount"] == 8
    assert rows["Engineering"]["suppressed"]  # complementary to Legal's 2


def test_team_filter_keeps_the_managers_whole_org(db: Snapshot) -> None:
    """S1's org on the snapshot date: S1..S6 (S7 left) = 6 people, all in Sales."""
    frame = data.headcount_by_department(db, EVERYONE, Filters(team=("S1",)))
    assert frame.select("department", "headcount").rows() == [("Sales", 6)]


def test_filters_combine_for_people_counts(db: Snapshot) -> None:
    """London and Engineering: only N7 (1 person, hidden as fewer than 5)."""
    frame = data.headcount_by_department(
        db, EVERYONE, Filters(department=("Engineering",), location=("London",))
    )
    assert frame["suppressed"].to_list() == [True]
    assert data.headcount_total(frame) is None


def test_unknown_as_of_falls_back_to_the_snapshot_date(db: Snapshot) -> None:
    assert data.resolve_as_of(db, Filters(as_of=dt.date(2020, 1, 1))) == AS_OF
    assert data.as_of_dates(db) == [AS_OF, PREVIOUS, JANUARY]


def test_coverage_cells_follow_department_filter_and_framework(db: Snapshot) -> None:
    """Engineering needs SK1 (ESCO): 4 of 7 hold it, coverage 4/7, gap ceil(0.8 × 7) − 4 = 2."""
    cells = data.coverage_cells(db, EVERYONE, Filters(framework=("ESCO",)))
    assert cells.select("team", "skill_id", "holders", "required", "gap_people").rows() == [
        ("Engineering", "SK1", 4, 7, 2)
    ]
    assert cells["coverage"][0] == pytest.approx(4 / 7)


def test_coverage_cells_hide_teams_with_fewer_than_k_required(db: Snapshot) -> None:
    cells = _by(data.coverage_cells(db, EVERYONE, Filters()), "team")
    assert cells["Legal"]["suppressed"]
    assert cells["Legal"]["coverage"] is None and cells["Legal"]["required"] is None
    assert cells["Sales"]["gap_people"] == 3  # ceil(1.0 × 6) − 3


def test_coverage_at_a_past_month_end(db: Snapshot) -> None:
    """On 2026-09-30 Engineering had 3 of 7 SK1 holders: gap ceil(5.6) − 3 = 3."""
    cells = _by(data.coverage_cells(db, EVERYONE, Filters(as_of=PREVIOUS)), "team")
    assert cells["Engineering"]["holders"] == 3
    assert cells["Engineering"]["gap_people"] == 3


def test_manager_org_has_no_history_before_the_snapshot_date(db: Snapshot) -> None:
    assert data.coverage_cells(db, EVERYONE, Filters(team=("N1",), as_of=PREVIOUS)).height == 0
    assert data.coverage_cells(db, EVERYONE, Filters(team=("N1",))).height == 1


def test_biggest_gaps_sorted_in_people(db: Snapshot) -> None:
    gaps = data.biggest_gaps(db, EVERYONE, Filters())
    assert gaps.select("team", "gap_people").rows() == [("Sales", 3), ("Engineering", 2)]


def test_coverage_headline_leaves_out_hidden_teams_and_their_complement(db: Snapshot) -> None:
    """Departments: Engineering 7 people, index (4/7)/0.8 = 0.714; Sales 6, 0.5; Legal 2.
    Legal is hidden (2 < 5) and Sales with it (the smallest other department: the
    organisation's headcount of 15 is shown, so 15 − 7 − 6 would give Legal's 2 away).
    The headline is Engineering's own index, 0.714."""
    frame = data.coverage_index(db, EVERYONE, Filters(department=("Engineering", "Sales", "Legal")))
    headline = data.coverage_headline(frame)
    assert headline.coverage_index == pytest.approx((4 / 7) / 0.8)
    assert headline.suppressed
    reasons = dict(zip(frame["team"], frame["suppression_reason"], strict=True))
    assert reasons == {"Engineering": None, "Legal": "fewer than k", "Sales": "complementary"}


def test_coverage_headline_is_headcount_weighted() -> None:
    """Two shown teams: 7 people at 0.714 and 6 at 0.5; one hidden.
    Weighted: (7 × 0.714 + 6 × 0.5) / 13 = 0.6154."""
    frame = pl.DataFrame(
        {
            "team": ["Engineering", "Sales", "Legal"],
            "headcount": [7, 6, None],
            "coverage_index": [(4 / 7) / 0.8, 0.5, None],
            "suppressed": [False, False, True],
        }
    )
    headline = data.coverage_headline(frame)
    assert headline.coverage_index == pytest.approx((7 * (4 / 7) / 0.8 + 6 * 0.5) / 13)
    assert headline.suppressed


def test_drill_down_lists_holders_and_missing_people(db: Snapshot) -> None:
    people = data.skill_people(db, EVERYONE, Filters(), "department", "Engineering", "SK1")
    holders = sorted(people.filter(pl.col("status") == "holds")["employee_id"].to_list())
    missing = sorted(people.filter(pl.col("status") == "missing")["employee_id"].to_list())
    assert holders == ["N1", "N2", "N3", "N4"]
    assert missing == ["N5", "N6", "N7"]


def test_drill_down_for_a_manager_org(db: Snapshot) -> None:
    people = data.skill_people(db, EVERYONE, Filters(), "manager_org", "S1", "SK2")
    assert sorted(people.filter(pl.col("status") == "holds")["employee_id"].to_list()) == [
        "S2",
        "S3",
        "S4",
    ]
    assert people.height == 6


def test_drill_down_page_lists_the_first_people_by_name_and_counts_everyone(
    db: Snapshot,
) -> None:
    """Engineering × SK1 (Python), two per list. Holders by name: Ned 2 (N2), Ned 3 (N3),
    Ned 4 (N4), Nia Eng (N1): the first two are N2 and N3, of 4. Missing it: Ned 5 (N5),
    Ned 6 (N6), Ned 7 (N7): N5 and N6, of 3. 7 people in all, as in the heatmap cell."""
    page = data.skill_people_page(
        db, EVERYONE, Filters(), "department", "Engineering", "SK1", limit=2
    )
    assert page.holders.select("employee_id", "full_name").rows() == [
        ("N2", "Ned 2"),
        ("N3", "Ned 3"),
    ]
    assert page.missing["employee_id"].to_list() == ["N5", "N6"]
    assert (page.holders_total, page.missing_total, page.total) == (4, 3, 7)
    assert page.holders.columns == [
        "employee_id",
        "full_name",
        "job_title",
        "department",
        "location",
        "required_level",
        "held_level",
    ]


def test_drill_down_page_below_its_limit_lists_everyone(db: Snapshot) -> None:
    """S1's org × SK2: 6 people (S1..S6), 3 hold it (S2..S4); the default limit cuts nothing,
    so the page holds exactly the full list."""
    page = data.skill_people_page(db, EVERYONE, Filters(), "manager_org", "S1", "SK2")
    everyone = data.skill_people(db, EVERYONE, Filters(), "manager_org", "S1", "SK2")
    assert page.holders["employee_id"].to_list() == ["S2", "S3", "S4"]
    assert page.missing["employee_id"].to_list() == ["S1", "S5", "S6"]  # Ada, Sam 5, Sam 6
    assert page.total == everyone.height == 6


def test_drill_down_page_keeps_the_checks_of_the_full_list(db: Snapshot) -> None:
    """A viewer gets no people; Legal × SK3 has 2 required people (< 5): hidden; a scope of
    Sales only may not open Engineering."""
    with pytest.raises(data.NotAllowed):
        data.skill_people_page(
            db, data.Scope(person_level=False), Filters(), "department", "Sales", "SK2"
        )
    with pytest.raises(data.NotAllowed, match="fewer than 5"):
        data.skill_people_page(db, EVERYONE, Filters(), "department", "Legal", "SK3")
    with pytest.raises(data.NotAllowed, match="outside your scope"):
        data.skill_people_page(
            db, data.Scope(departments=("Sales",)), Filters(), "department", "Engineering", "SK1"
        )


def test_drill_down_csv_has_everyone(db: Snapshot) -> None:
    """Engineering × SK1: the 4 holders, then the 3 missing it, by name; one header line."""
    text = data.skill_people_csv(db, EVERYONE, Filters(), "department", "Engineering", "SK1")
    lines = text.splitlines()
    assert lines[0] == (
        "employee_id,full_name,job_title,department,location,required_level,held_level,status"
    )
    assert [line.split(",")[0] for line in lines[1:]] == ["N2", "N3", "N4", "N1", "N5", "N6", "N7"]
    assert [line.split(",")[-1] for line in lines[1:]] == ["holds"] * 4 + ["missing"] * 3


def test_person_level_lists_refused_without_permission(db: Snapshot) -> None:
    viewer = data.Scope(person_level=False)
    with pytest.raises(data.NotAllowed):
        data.skill_people(db, viewer, Filters(), "department", "Sales", "SK2")


def test_expiring_counts_are_cumulative_and_small_counts_hidden(db: Snapshot) -> None:
    """Days left 20, 45, 50, 71, 80, 85 (and 120, beyond 90): ≤30 → 1, ≤60 → 3 (hidden),
    ≤90 → 6 credentials held by 6 people."""
    counts = data.expiring_counts(db, EVERYONE, Filters())
    assert counts["suppressed"].to_list() == [True, True, False]
    assert counts["holdings"].to_list() == [None, None, 6]


def test_attrition_summary_for_the_organisation(db: Snapshot) -> None:
    """1 leaver / 15.8125 average headcount × 12 / 24 months = 3.162 % a year."""
    frame = data.attrition_by_group(db, EVERYONE, Filters(), group_by_default="all")
    assert frame["attrition_pct"][0] == pytest.approx(1 / 15.8125 * 0.5 * 100)


def test_attrition_by_department_hides_legal_and_its_complement(db: Snapshot) -> None:
    """Average headcounts: Legal 2 (< 5: hidden), Sales 6.8125, Engineering 7. The
    organisation's leavers are shown, so the smallest other department, Sales, is hidden too;
    Engineering shows 0 leavers / 7 × 12 / 24 = 0 % a year."""
    rows = _by(data.attrition_by_group(db, EVERYONE, Filters()), "team")
    assert rows["Legal"]["suppression_reason"] == "fewer than k"
    assert rows["Legal"]["attrition_pct"] is None
    assert rows["Sales"]["suppression_reason"] == "complementary"
    assert rows["Sales"]["leavers"] is None
    assert rows["Engineering"]["attrition_pct"] == 0.0


def test_attrition_of_a_complement_stays_hidden_when_filtered_alone(db: Snapshot) -> None:
    """Sales hides as Legal's complement in the whole table; selecting Sales alone must not
    show its 1 leaver (else 1 − 0 − 1 = Legal's leavers by subtraction)."""
    rows = _by(data.attrition_by_group(db, EVERYONE, Filters(department=("Sales",))), "team")
    assert list(rows) == ["Sales"]
    assert rows["Sales"]["suppressed"] and rows["Sales"]["leavers"] is None


def test_retention_summary_rate_ratio_interval(db: Snapshot) -> None:
    """RR 0.5 with a = 1, b = 3 leavers: exp(ln 0.5 ± 1.96 √(1 + 1/3)) = 0.0520 to 4.807."""
    row = data.retention_summary(db, EVERYONE, Filters()).row(0, named=True)
    assert row["rate_ratio"] == 0.5
    assert row["rate_ratio_low"] == pytest.approx(0.05201, rel=1e-3)
    assert row["rate_ratio_high"] == pytest.approx(4.8066, rel=1e-3)


def test_retention_summary_hides_teams_with_a_small_exposure_group(db: Snapshot) -> None:
    """Sales has 3 badged people (< 5): its ratios are hidden. Engineering is the only other
    department: the organisation's leaver counts are shown, so it is hidden as the
    complement."""
    rows = _by(
        data.retention_summary(db, EVERYONE, Filters(), group_by_default="department"), "team"
    )
    assert rows["Sales"]["suppression_reason"] == "fewer than k"
    assert rows["Engineering"]["suppression_reason"] == "complementary"
    assert rows["Engineering"]["badged_leavers"] is None


def test_km_points_with_fewer_than_k_at_risk_are_dropped(db: Snapshot) -> None:
    curve = data.retention_curve(db, EVERYONE, Filters())
    assert curve.filter(pl.col("exposure") == "not_badged")["month_of_tenure"].to_list() == [0, 1]


def test_training_roi_hides_programmes_with_fewer_than_k_learners(db: Snapshot) -> None:
    rows = _by(data.training_roi(db, EVERYONE, Filters()), "program_id")
    assert rows["P1"]["roi_pct"] == pytest.approx(249.4118, rel=1e-6)
    assert rows["P2"]["suppressed"] and rows["P2"]["roi_pct"] is None


def test_data_quality_lists(db: Snapshot) -> None:
    assert data.etl_runs(db, EVERYONE)["status"].to_list() == ["failed", "published"]
    assert data.quarantine(db, EVERYONE)["row_number"].to_list() == [7, 9]
    assert data.unmatched_by_identity(db, EVERYONE).rows() == [("hashed email", 2), ("email", 1)]


def test_unmatched_list_is_the_newest_few_and_the_csv_has_all(db: Snapshot) -> None:
    """3 unmatched awards issued 2026-01-01 (a1), -02 (a2), -03 (a3): the list with limit 2 is
    a3, a2 (newest first); the CSV has all three, a header and 3 lines, in the same order."""
    listed = data.unmatched_awards(db, EVERYONE, limit=2)
    assert listed["award_id"].to_list() == ["a3", "a2"]
    lines = data.unmatched_awards_csv(db, EVERYONE).strip().splitlines()
    assert lines[0].startswith("award_id,badge_name,")
    assert [line.split(",")[0] for line in lines[1:]] == ["a3", "a2", "a1"]


def test_chart_csv_has_the_rows_of_the_chart(db: Snapshot) -> None:
    text = data.chart_csv(db, EVERYONE, Filters(), "overview-headcount")
    lines = text.strip().splitlines()
    assert lines[0] == "department,headcount,total,suppressed,suppression_reason"
    assert "Engineering,7,15,false," in lines
    assert "Legal,,15,true,fewer than k" in lines


def test_filter_options_come_from_the_snapshot(db: Snapshot) -> None:
    options = data.filter_options(db, EVERYONE)
    assert [o.value for o in options["department"]] == ["Engineering", "Legal", "Sales"]
    assert ("N1", "Nia Eng (org)") in [(o.value, o.label) for o in options["team"]]
    assert [o.value for o in options["framework"]] == ["ESCO", "O*NET", "own"]


def test_combined_filters_explain_which_one_aggregates_follow() -> None:
    selection = data.team_selection(Filters(department=("Sales",), location=("Paris",)), EVERYONE)
    assert (selection.team_type, selection.teams) == ("department", ("Sales",))
    assert selection.note is not None and "ignore location" in selection.note
