"""A small, hand-made published snapshot with the SPEC §4/§5 tables and columns.

The organisation on 2026-10-31 (the snapshot date):
- Sales: S1 (manager) and S2..S6 report to S1; S6 in Paris, the rest London; job family Sales.
  S7 (Sales, London) left on 2026-06-15 (voluntary, regrettable).
- Engineering: N1 (manager) and N2..N7 report to N1; all Paris but N7 (London). N7 moved from
  Sales to Engineering on 2026-03-01 (two history versions).
- Legal: L1 and L2 (reports to L1), London.
So active headcount on 2026-10-31 is Sales 6, Engineering 7, Legal 2 (15 people); on
2026-01-31 it is Sales 8 (S1..S7 and N7), Engineering 6, Legal 2.

Skills: SK1 Python (ESCO), SK2 Negotiation (O*NET), SK3 Contract law (employer's own).
Requirements: job family Engineering needs SK1 (target 0.8), Sales needs SK2 (1.0), Legal SK3.
Holdings: N1..N4 hold SK1; S2..S4 hold SK2; L1 holds SK3 (N4 only from October: on
2026-09-30 Engineering's SK1 coverage is 3 / 7).
Analysis dates: 2026-01-31, 2026-09-30 and the snapshot date; coverage marts have rows for the
last two (manager orgs and locations only for the snapshot date).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import duckdb

AS_OF = dt.date(2026, 10, 31)
PREVIOUS = dt.date(2026, 9, 30)
JANUARY = dt.date(2026, 1, 31)

D = dt.date


def _people() -> list[dict[str, Any]]:
    rows = []

    def add(
        eid: str,
        name: str,
        dept: str,
        manager: str | None,
        title: str,
        family: str,
        location: str,
        hire: dt.date,
        term: dt.date | None = None,
    ) -> None:
        rows.append(
            {
                "employee_id": eid,
                "full_name": name,
                "email": f"{eid.lower()}@x.test",
                "department": dept,
                "team": manager or eid,
                "manager_id": manager,
                "job_title": title,
                "job_family": family,
                "location": location,
                "hire_date": hire,
                "termination_date": term,
            }
        )

    add("S1", "Ada Sales", "Sales", None, "Sales Manager", "Sales", "London", D(2019, 1, 1))
    for i in range(2, 7):
        add(
            f"S{i}",
            f"Sam {i}",
            "Sales",
            "S1",
            "Account Executive",
            "Sales",
            "Paris" if i == 6 else "London",
            D(2020, 1, 1),
        )
    add(
        "S7",
        "Sid Seven",
        "Sales",
        "S1",
        "Account Executive",
        "Sales",
        "London",
        D(2020, 1, 1),
        D(2026, 6, 15),
    )
    add(
        "N1",
        "Nia Eng",
        "Engineering",
        None,
        "Engineering Manager",
        "Engineering",
        "Paris",
        D(2018, 1, 1),
    )
    for i in range(2, 8):
        add(
            f"N{i}",
            f"Ned {i}",
            "Engineering",
            "N1",
            "Engineer",
            "Engineering",
            "London" if i == 7 else "Paris",
            D(2021, 1, 1),
        )
    add("L1", "Lea Law", "Legal", None, "Counsel", "Legal", "London", D(2017, 1, 1))
    add("L2", "Leo Law", "Legal", "L1", "Counsel", "Legal", "London", D(2022, 1, 1))
    return rows


def _history(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for person in people:
        base = {
            **person,
            "version": 1,
            "valid_from": person["hire_date"],
            "valid_to": person["termination_date"],
            "is_current": True,
        }
        if person["employee_id"] == "N7":
            rows.append(
                {
                    **base,
                    "department": "Sales",
                    "manager_id": "S1",
                    "team": "S1",
                    "job_title": "Account Executive",
                    "job_family": "Sales",
                    "valid_to": D(2026, 3, 1),
                    "is_current": False,
                }
            )
            rows.append({**base, "version": 2, "valid_from": D(2026, 3, 1)})
        else:
            rows.append(base)
    return rows


def _coverage_rows() -> list[tuple[Any, ...]]:
    """(as_of, team_type, team, team_label, skill_id, skill_name, required, holders, target)."""
    now = [
        ("all", "all", "Whole organisation", "SK1", "Python", 7, 4, 0.8),
        ("all", "all", "Whole organisation", "SK2", "Negotiation", 6, 3, 1.0),
        ("all", "all", "Whole organisation", "SK3", "Contract law", 2, 1, 1.0),
        ("department", "Engineering", "Engineering", "SK1", "Python", 7, 4, 0.8),
        ("department", "Sales", "Sales", "SK2", "Negotiation", 6, 3, 1.0),
        ("department", "Legal", "Legal", "SK3", "Contract law", 2, 1, 1.0),
        ("manager_org", "N1", "Nia Eng (org)", "SK1", "Python", 7, 4, 0.8),
        ("location", "London", "London", "SK2", "Negotiation", 5, 3, 1.0),
        ("location", "London", "London", "SK1", "Python", 1, 0, 0.8),
        ("location", "London", "London", "SK3", "Contract law", 2, 1, 1.0),
    ]
    before = [
        ("all", "all", "Whole organisation", "SK1", "Python", 7, 3, 0.8),
        ("all", "all", "Whole organisation", "SK2", "Negotiation", 6, 3, 1.0),
        ("all", "all", "Whole organisation", "SK3", "Contract law", 2, 1, 1.0),
        ("department", "Engineering", "Engineering", "SK1", "Python", 7, 3, 0.8),
        ("department", "Sales", "Sales", "SK2", "Negotiation", 6, 3, 1.0),
        ("department", "Legal", "Legal", "SK3", "Contract law", 2, 1, 1.0),
    ]
    return [(AS_OF, *r) for r in now] + [(PREVIOUS, *r) for r in before]


def _index_rows() -> list[tuple[Any, ...]]:
    """(as_of, team_type, team, team_label, headcount, required_skills, index, spof)."""
    return [
        (AS_OF, "all", "all", "Whole organisation", 15, 3, (4 / 7 / 0.8 + 0.5 + 0.5) / 3, 1),
        (AS_OF, "department", "Engineering", "Engineering", 7, 1, 4 / 7 / 0.8, 0),
        (AS_OF, "department", "Sales", "Sales", 6, 1, 0.5, 0),
        (AS_OF, "department", "Legal", "Legal", 2, 1, 0.5, 1),
        (AS_OF, "manager_org", "N1", "Nia Eng (org)", 7, 1, 4 / 7 / 0.8, 0),
        (AS_OF, "location", "London", "London", 8, 3, (0.6 + 0 + 0.5) / 3, 1),
        (PREVIOUS, "all", "all", "Whole organisation", 15, 3, (3 / 7 / 0.8 + 0.5 + 0.5) / 3, 1),
        (PREVIOUS, "department", "Engineering", "Engineering", 7, 1, 3 / 7 / 0.8, 0),
        (PREVIOUS, "department", "Sales", "Sales", 6, 1, 0.5, 0),
        (PREVIOUS, "department", "Legal", "Legal", 2, 1, 0.5, 1),
    ]


def _months() -> list[dt.date]:
    months = []
    year, month = 2024, 11
    for _ in range(24):
        months.append(D(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _attrition_rows() -> list[tuple[Any, ...]]:
    """All months: the organisation has 16 people, Sales 7, Engineering 7, Legal 2, except
    June 2026 when S7 leaves (start 16 / end 15; Sales 7 / 6)."""
    rows = []
    for month in _months():
        june = month == D(2026, 6, 1)
        after = month > D(2026, 6, 1)
        org_start = 15 if after else 16
        sales_start = 6 if after else 7
        rows.append(
            (
                month,
                "all",
                "all",
                org_start,
                15 if (june or after) else 16,
                1 if june else 0,
                1 if june else 0,
                1 if june else 0,
            )
        )
        rows.append(
            (
                month,
                "department",
                "Sales",
                sales_start,
                6 if (june or after) else 7,
                1 if june else 0,
                1 if june else 0,
                1 if june else 0,
            )
        )
        rows.append((month, "department", "Engineering", 7, 7, 0, 0, 0))
        rows.append((month, "department", "Legal", 2, 2, 0, 0, 0))
    return rows


def rate_ratio_interval(rr: float, a: int, b: int) -> tuple[float, float]:
    """exp(ln RR ± 1.96 √(1/a + 1/b))."""
    half = 1.96 * math.sqrt(1 / a + 1 / b)
    return math.exp(math.log(rr) - half), math.exp(math.log(rr) + half)


def build(path: Path, *, k: int = 5, headcount_bump: int = 0) -> Path:
    """Write the snapshot at ``path`` (replacing any file there) and close it.

    Args:
        path: the DuckDB file to write.
        k: the k-anonymity threshold recorded in stg_params.
        headcount_bump: extra active Sales people (to tell two published files apart).
    """
    path.unlink(missing_ok=True)
    people = _people()
    for i in range(headcount_bump):
        people.append({**people[1], "employee_id": f"X{i}", "full_name": f"Extra {i}"})
    con = duckdb.connect(str(path))
    try:
        _write(con, people, k)
        con.execute("checkpoint")
    finally:
        con.close()
    return path


def _write(con: duckdb.DuckDBPyConnection, people: list[dict[str, Any]], k: int) -> None:
    con.execute("""create table employee_history (employee_id varchar, valid_from date,
        valid_to date, version integer, full_name varchar, email varchar, department varchar,
        team varchar, manager_id varchar, job_title varchar, job_family varchar,
        location varchar, hire_date date, termination_date date, is_current boolean)""")
    for r in _history(people):
        con.execute(
            "insert into employee_history values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                r["employee_id"],
                r["valid_from"],
                r["valid_to"],
                r["version"],
                r["full_name"],
                r["email"],
                r["department"],
                r["team"],
                r["manager_id"],
                r["job_title"],
                r["job_family"],
                r["location"],
                r["hire_date"],
                r["termination_date"],
                r["is_current"],
            ],
        )
    con.execute(
        """create table employees as select h.* exclude (valid_from, valid_to, version,
        is_current), (h.hire_date <= ?::date and (h.termination_date is null or
        h.termination_date > ?::date)) as active, ?::date as as_of
        from employee_history h where h.is_current""",
        [AS_OF, AS_OF, AS_OF],
    )
    con.execute("create table skills (skill_id varchar, skill_name varchar, framework varchar)")
    con.execute(
        "insert into skills values ('SK1','Python','ESCO'),"
        "('SK2','Negotiation','O*NET'),('SK3','Contract law','own')"
    )
    con.execute("""create table role_requirements (job_title varchar, job_family varchar,
        skill_id varchar, required_level integer, target double, weight double)""")
    con.execute(
        "insert into role_requirements values (null,'Engineering','SK1',null,0.8,1),"
        "(null,'Sales','SK2',null,1.0,1),(null,'Legal','SK3',null,1.0,1)"
    )
    con.execute("""create table employee_skills (employee_id varchar, skill_id varchar,
        level integer, badge_class_id varchar, issued_on date, expires_on date)""")
    for eid, skill in [
        ("N1", "SK1"),
        ("N2", "SK1"),
        ("N3", "SK1"),
        ("N4", "SK1"),
        ("S2", "SK2"),
        ("S3", "SK2"),
        ("S4", "SK2"),
        ("L1", "SK3"),
    ]:
        con.execute(
            "insert into employee_skills values (?,?,1,?,?,null)",
            [eid, skill, f"B-{skill}", D(2025, 1, 1)],
        )
    con.execute("""create table team_skill_coverage (as_of date, team_type varchar,
        team varchar, team_label varchar, skill_id varchar, skill_name varchar,
        framework varchar, required integer, holders integer, coverage double, target double,
        gap_people integer)""")
    frameworks = {"SK1": "ESCO", "SK2": "O*NET", "SK3": "own"}
    for r in _coverage_rows():
        as_of, team_type, team, label, sid, sname, required, holders, target = r
        gap = max(math.ceil(round(target * required, 9)) - holders, 0)
        con.execute(
            "insert into team_skill_coverage values (?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                as_of,
                team_type,
                team,
                label,
                sid,
                sname,
                frameworks[sid],
                required,
                holders,
                holders / required,
                target,
                gap,
            ],
        )
    con.execute("""create table team_coverage_index (as_of date, team_type varchar,
        team varchar, team_label varchar, headcount integer, required_skills integer,
        coverage_index double, single_points_of_failure integer)""")
    con.executemany("insert into team_coverage_index values (?,?,?,?,?,?,?,?)", _index_rows())
    con.execute("""create table skill_inventory (as_of date, team_type varchar, team varchar,
        skill_id varchar, skill_name varchar, headcount integer, holders integer,
        share double)""")
    con.execute("""create table single_points_of_failure (as_of date, team_type varchar,
        team varchar, team_label varchar, skill_id varchar, skill_name varchar,
        required integer, employee_id varchar, full_name varchar)""")
    con.execute(
        "insert into single_points_of_failure values "
        "(?,'department','Legal','Legal','SK3','Contract law',2,'L1','Lea Law'),"
        "(?,'all','all','Whole organisation','SK3','Contract law',2,'L1','Lea Law')",
        [AS_OF, AS_OF],
    )
    con.execute("""create table expiring_credentials (as_of date, employee_id varchar,
        full_name varchar, department varchar, location varchar, job_family varchar,
        manager_id varchar, badge_class_id varchar, badge_name varchar, skill_id varchar,
        skill_name varchar, expires_on date, days_left integer)""")
    by_id = {p["employee_id"]: p for p in people}
    names = {"SK1": "Python", "SK2": "Negotiation", "SK3": "Contract law"}
    for eid, dept, skill, days in [
        ("N1", "Engineering", "SK1", 20),
        ("N2", "Engineering", "SK1", 45),
        ("N3", "Engineering", "SK1", 50),
        ("N4", "Engineering", "SK1", 80),
        ("S2", "Sales", "SK2", 71),
        ("S3", "Sales", "SK2", 85),
        ("S4", "Sales", "SK2", 120),
    ]:
        person = by_id[eid]
        con.execute(
            "insert into expiring_credentials values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                AS_OF,
                eid,
                person["full_name"],
                dept,
                person["location"],
                person["job_family"],
                person["manager_id"],
                f"B-{skill}",
                f"{names[skill]} badge",
                skill,
                names[skill],
                AS_OF + dt.timedelta(days=days),
                days,
            ],
        )
    con.execute("""create table attrition_monthly (month date, team_type varchar, team varchar,
        headcount_start integer, headcount_end integer, leavers integer,
        voluntary_leavers integer, regrettable_leavers integer)""")
    con.executemany("insert into attrition_monthly values (?,?,?,?,?,?,?,?)", _attrition_rows())
    con.execute("alter table attrition_monthly add column average_headcount double")
    con.execute(
        "update attrition_monthly set average_headcount = (headcount_start + headcount_end) / 2"
    )
    con.execute("""create table retention_exposure (team_type varchar, team varchar,
        team_label varchar, exposure varchar, people integer, person_years double, leavers integer,
        leavers_per_100py double)""")
    con.execute(
        "insert into retention_exposure values "
        "('all','all','Whole organisation','badged',8,20.0,1,5.0),"
        "('all','all','Whole organisation','not_badged',12,30.0,3,10.0),"
        "('department','Sales','Sales','badged',3,6.0,0,0.0),"
        "('department','Sales','Sales','not_badged',5,10.0,1,10.0),"
        "('department','Engineering','Engineering','badged',6,12.0,1,8.333333),"
        "('department','Engineering','Engineering','not_badged',7,14.0,2,14.285714)"
    )
    low, high = rate_ratio_interval(0.5, 1, 3)
    eng_rr = (1 / 12) / (2 / 14)
    eng_low, eng_high = rate_ratio_interval(eng_rr, 1, 2)
    con.execute("""create table retention_summary (team_type varchar, team varchar,
        team_label varchar, rate_ratio double, rate_ratio_low double, rate_ratio_high double,
        hazard_ratio double, hazard_ratio_low double, hazard_ratio_high double,
        hazard_ratio_note varchar, badged_people integer, badged_leavers integer,
        not_badged_people integer, not_badged_leavers integer)""")
    con.executemany(
        "insert into retention_summary values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            ["all", "all", "Whole organisation", 0.5, low, high, 0.6, 0.2, 1.8, None, 8, 1, 12, 3],
            [
                "department",
                "Engineering",
                "Engineering",
                eng_rr,
                eng_low,
                eng_high,
                0.7,
                0.1,
                4.0,
                None,
                6,
                1,
                7,
                2,
            ],
            [
                "department",
                "Sales",
                "Sales",
                None,
                None,
                None,
                None,
                None,
                None,
                "no badged leavers",
                3,
                0,
                5,
                1,
            ],
        ],
    )
    con.execute("""create table retention_curve (team_type varchar, team varchar,
        exposure varchar, month_of_tenure integer, at_risk integer, leavers integer,
        retained_share double)""")
    con.execute(
        "insert into retention_curve values "
        "('all','all','badged',0,8,0,1.0),('all','all','badged',1,8,1,0.875),"
        "('all','all','badged',2,7,0,0.875),"
        "('all','all','not_badged',0,12,2,0.8333333),"
        "('all','all','not_badged',1,10,1,0.75),('all','all','not_badged',2,4,0,0.75)"
    )
    con.execute("""create table programs (program_id varchar, program_name varchar,
        badge_class_id varchar, cost_per_learner double, learning_hours double)""")
    con.execute("""create table training_roi (program_id varchar, program_name varchar,
        learners integer, person_years double, costs double, learner_leavers integer,
        comparison_rate_per_py double, avoided_leavers double, benefit double, roi_pct double,
        roi_pct_low double, roi_pct_high double, cost_per_learner double,
        learning_hours double, replacement_cost_share double, loaded_hourly_rate double)""")
    # P1: costs 10 × 500 + 10 × 20 h × 60 = 17,000; avoided 0.2 × 15 − 0 = 3;
    # benefit 3 × 0.33 × 60,000 = 59,400; ROI (59,400 − 17,000) / 17,000 = 249.41 %.
    con.execute(
        "insert into training_roi values "
        "('P1','Python Bootcamp',10,15.0,17000,0,0.2,3.0,59400,"
        "249.41176470588235,50.0,400.0,500,20,0.33,60),"
        "('P2','Negotiation 101',3,4.0,2400,0,0.2,0.8,15840,560.0,-10.0,900.0,"
        "400,20,0.33,60)"
    )
    con.execute("""create table etl_runs (run_id bigint, started_at timestamp,
        finished_at timestamp, status varchar, files_loaded integer, files_unchanged integer,
        files_rejected integer, rows_read bigint, rows_loaded bigint, rows_quarantined bigint,
        error varchar)""")
    con.execute(
        "insert into etl_runs values "
        "(1,'2026-11-01 02:00','2026-11-01 02:01','published',3,0,1,120,118,2,null),"
        "(2,'2026-11-02 02:00','2026-11-02 02:00','failed',0,3,0,0,0,0,'lock held')"
    )
    con.execute("""create table files (file_id bigint, path varchar, sha256 varchar,
        size_bytes bigint, loader varchar, run_id bigint, loaded_at timestamp, status varchar,
        superseded boolean, rows_read bigint, rows_loaded bigint, rows_quarantined bigint,
        error varchar)""")
    con.execute(
        "insert into files values "
        "(1,'roster_2026-10-31.csv','aa',100,'roster',1,'2026-11-01 02:00','loaded',"
        "false,100,98,2,null),"
        "(2,'notes.bin','bb',5,null,1,'2026-11-01 02:00','rejected',false,0,0,0,"
        "'notes.bin: not a format Skillboard reads')"
    )
    con.execute("""create table quarantine (run_id bigint, file_id bigint, path varchar,
        row_number bigint, raw varchar, reason varchar)""")
    con.execute(
        "insert into quarantine values "
        "(1,1,'roster_2026-10-31.csv',7,'{}','hire_date ''2015-04-31'' is not a date'),"
        "(1,1,'roster_2026-10-31.csv',9,'{}','employee_id is empty')"
    )
    con.execute("""create table unmatched_awards (award_id varchar, badge_class_id varchar,
        badge_name varchar, issuer_name varchar, issued_on date, source_format varchar,
        recipient_type varchar, identity_type varchar, recipient_employee_id varchar,
        recipient_identity varchar, reason varchar, file_id bigint)""")
    con.execute(
        "insert into unmatched_awards values "
        "('a1','B-SK1','Python','L&D','2026-01-01','ob2','email','hashed email',null,"
        "'sha256$x','no roster email hashes to it',1),"
        "('a2','B-SK1','Python','L&D','2026-01-02','ob2','email','hashed email',null,"
        "'sha256$y','no roster email hashes to it',1),"
        "('a3','B-SK1','Python','L&D','2026-01-03','credly_csv','email','email',null,"
        "'z@x.test','no roster employee has email z@x.test',2)"
    )
    con.execute("""create table snapshot_info (schema_version integer, run_id bigint,
        built_at timestamp, fingerprint varchar)""")
    con.execute("insert into snapshot_info values (1, 1, '2026-11-01 02:01', 'f')")
    _write_people_marts(con, people)
    con.execute(
        "create table stg_params as select ?::date as as_of, ?::integer as k_anonymity, "
        "0.33 as replacement_cost_share, 60.0 as loaded_hourly_rate",
        [AS_OF, k],
    )


def _write_people_marts(con: duckdb.DuckDBPyConnection, people: list[dict[str, Any]]) -> None:
    """analysis_dates, people_on_as_of, org_members_on_as_of and requirement_people (the
    last three for the snapshot date only), teams and attrition_summary."""
    con.execute("create table analysis_dates (as_of date, is_snapshot_date boolean)")
    con.execute(
        "insert into analysis_dates values (?, true), (?, false), (?, false)",
        [AS_OF, PREVIOUS, JANUARY],
    )
    con.execute("""create table people_on_as_of as
        select d.as_of, h.employee_id, h.full_name, h.department,
            h.location, h.job_family, h.job_title, h.manager_id, h.hire_date
        from analysis_dates d
        join employee_history h on h.valid_from <= d.as_of
            and (h.valid_to is null or h.valid_to > d.as_of)
            and h.hire_date <= d.as_of
            and (h.termination_date is null or h.termination_date > d.as_of)
        where d.is_snapshot_date""")
    con.execute("""create table org_members_on_as_of as
        select p.as_of, case when p.manager_id is null then p.employee_id else p.manager_id end
            as org_manager_id, p.employee_id
        from people_on_as_of p""")
    con.execute("""create table requirement_people as
        select p.as_of, p.employee_id, r.skill_id, p.department, p.location, p.job_family,
            r.required_level, r.target, r.weight, s.employee_id is not null as holds,
            case when s.employee_id is not null then s.level end as held_level
        from people_on_as_of p
        join role_requirements r on r.job_family = p.job_family
        left join employee_skills s on s.employee_id = p.employee_id
            and s.skill_id = r.skill_id""")
    con.execute("create table teams (team_type varchar, team varchar, team_label varchar)")
    con.execute(
        "insert into teams values ('all','all','Whole organisation'),"
        "('department','Engineering','Engineering'),('department','Legal','Legal'),"
        "('department','Sales','Sales'),('manager_org','S1','Ada Sales'),"
        "('manager_org','N1','Nia Eng'),('manager_org','L1','Lea Law'),"
        "('location','London','London'),('location','Paris','Paris'),"
        "('job_family','Engineering','Engineering'),('job_family','Legal','Legal'),"
        "('job_family','Sales','Sales')"
    )
    # Average headcounts: all (19 × 16 + 15.5 + 4 × 15) / 24 = 15.8125;
    # Sales (19 × 7 + 6.5 + 4 × 6) / 24 = 6.8125; rate = leavers / average × 12 / 24.
    con.execute("""create table attrition_summary (team_type varchar, team varchar,
        team_label varchar, window_start date, window_end date, months bigint,
        leavers hugeint, voluntary_leavers hugeint, regrettable_leavers hugeint,
        average_headcount double, attrition_rate double, voluntary_attrition_rate double,
        regrettable_attrition_rate double)""")
    start = D(2024, 10, 31)
    rows = [
        ("all", "all", "Whole organisation", 1, 15.8125),
        ("department", "Sales", "Sales", 1, 6.8125),
        ("department", "Engineering", "Engineering", 0, 7.0),
        ("department", "Legal", "Legal", 0, 2.0),
    ]
    for team_type, team, label, leavers, average in rows:
        rate = leavers / average * 12 / 24
        con.execute(
            "insert into attrition_summary values (?,?,?,?,?,24,?,?,?,?,?,?,?)",
            [
                team_type,
                team,
                label,
                start,
                AS_OF,
                leavers,
                leavers,
                leavers,
                average,
                rate,
                rate,
                rate,
            ],
        )
