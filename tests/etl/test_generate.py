"""``skillboard generate``: the synthetic employer and the export files it writes.

Most tests share one small generated inbox (300 employees, seed 7). With 300 employees the
default is 7.5 awards per employee, so 300 x 7.5 = 2,250 awards are written in total.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from etl.generate import GenerateSummary, generate, org
from etl.generate.awards import simulate_awards
from etl.generate.reference_files import ROLE_REQUIREMENTS
from etl.generate.taxonomy import BADGE_CLASSES
from etl.generate.workforce import simulate

EMPLOYEES = 300
SEED = 7
LAST = date(2026, 10, 31)

WORKDAY = [
    "EmployeeID", "Legal_Name", "Email_Primary_Work", "SupervisoryOrganization", "Team",
    "ManagerReference", "BusinessTitle", "JobFamilyID", "LocationIdentifier", "StatusHireDate",
    "StatusTerminationDate", "Termination_Reason", "Voluntary_Termination",
    "Regrettable_Termination", "Active", "Annual_Salary", "Cost_Center", "Performance_Rating",
]  # fmt: skip
SUCCESSFACTORS = [
    "personIdExternal", "displayName", "email", "managerId", "department", "division",
    "jobTitle", "jobCode", "LocationName", "startDate", "lastDateWorked", "eventReason",
    "payGrade", "annualSalary", "costCenter",
]  # fmt: skip
BAMBOOHR = [
    "Employee #", "First Name", "Last Name", "Work Email", "Supervisor ID", "Department",
    "Division", "Job Title", "Job Family", "Location", "Hire Date", "Termination Date",
    "Termination Reason", "Termination Type", "Regrettable", "Pay Rate",
]  # fmt: skip
CREDLY = [
    "Badge Name", "Badge Template ID", "Issued by", "Earner Badge ID", "Issuer Earner ID",
    "Group Tag", "Badge URL", "Issued to First Name", "Issued to Middle Name",
    "Issued to Last Name", "Country", "State", "Region", "Sub-region", "Account status",
    "Issued to Email", "Issued to Email Domain", "Status", "Expired", "Issue Date",
    "Expiration Date", "Record Created",
]  # fmt: skip


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GenerateSummary]:
    out = tmp_path_factory.mktemp("inbox")
    return out, generate(out, EMPLOYEES, SEED)


def _csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def _ndjson_records(out: Path, pattern: str) -> list[dict[str, object]]:
    records = []
    for path in sorted(out.glob(pattern)):
        if path.suffix == ".ndjson":
            records += [json.loads(line) for line in path.read_text().splitlines()]
        else:
            records.append(json.loads(path.read_text()))
    return records


def _all_roster_emails(out: Path) -> set[str]:
    emails: set[str] = set()
    for path in sorted(out.glob("roster_*")):
        frame = pl.read_excel(path) if path.suffix == ".xlsx" else _csv(path)
        column = next(
            c for c in ("Email_Primary_Work", "email", "Work Email") if c in frame.columns
        )
        emails |= set(frame[column].to_list())
    return emails


def _matches(identity: str, salt: str, emails: set[str]) -> bool:
    return any(
        "sha256$" + hashlib.sha256((e + salt).encode()).hexdigest() == identity for e in emails
    )


def test_same_seed_writes_byte_identical_files(
    inbox: tuple[Path, GenerateSummary], tmp_path: Path
) -> None:
    """Two runs with seed 7 give the same file names and bytes; seed 8 gives other rosters."""
    out, _ = inbox
    again = tmp_path / "again"
    generate(again, EMPLOYEES, SEED)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in again.iterdir())
    for name in names:
        assert (out / name).read_bytes() == (again / name).read_bytes(), name
    other = tmp_path / "other"
    generate(other, EMPLOYEES, SEED + 1)
    last = "roster_2026-10-31.csv"
    assert (other / last).read_bytes() != (out / last).read_bytes()


def test_last_roster_has_the_requested_headcount_plus_the_quarters_leavers(
    inbox: tuple[Path, GenerateSummary],
) -> None:
    """N = 300 means 300 rows with Active = 1 on 2026-10-31; the other rows are leavers of the
    quarter, each with a termination date in 2026-08-01..2026-10-31."""
    out, summary = inbox
    roster = _csv(out / "roster_2026-10-31.csv")
    assert summary.employees == EMPLOYEES
    assert (roster["Active"] == "1").sum() == EMPLOYEES
    leavers = roster.filter(pl.col("Active") == "0")
    assert leavers.height > 0
    ends = leavers["StatusTerminationDate"].str.to_date("%Y-%m-%d")
    assert ends.min() >= date(2026, 8, 1)  # type: ignore[operator]
    assert ends.max() <= LAST  # type: ignore[operator]
    assert roster.filter(pl.col("Active") == "1")["StatusTerminationDate"].null_count() == 300


def test_twelve_quarterly_rosters_in_three_profiles(inbox: tuple[Path, GenerateSummary]) -> None:
    """Quarter-ends every three months back from 2026-10-31: 2024-01-31 ... 2026-10-31 = 12
    files; the oldest is BambooHR XLSX, the second SuccessFactors, the other ten Workday."""
    out, summary = inbox
    rosters = sorted(p.name for p in out.glob("roster_*"))
    assert summary.roster_files == 12
    assert rosters[0] == "roster_2024-01-31.xlsx"
    assert rosters[-1] == "roster_2026-10-31.csv"
    assert len(rosters) == 12
    assert _csv(out / "roster_2024-04-30.csv").columns == SUCCESSFACTORS
    for name in rosters[2:]:
        assert _csv(out / name).columns == WORKDAY, name


def test_headers_are_exactly_the_documented_ones(inbox: tuple[Path, GenerateSummary]) -> None:
    """Every tabular file's header, in order, as the loaders expect it."""
    out, _ = inbox
    assert pl.read_excel(out / "roster_2024-01-31.xlsx").columns == BAMBOOHR
    assert _csv(out / "credly_analytics_export_2026-10-31.csv").columns == CREDLY
    assert _csv(out / "skills_map.csv").columns == [
        "badge_class_id", "badge_name", "skill_id", "skill_name", "framework", "level"
    ]  # fmt: skip
    assert _csv(out / "role_requirements.csv").columns == [
        "job_family", "job_title", "skill_id", "required_level", "target", "weight"
    ]  # fmt: skip
    assert _csv(out / "programs.csv").columns == [
        "program_id", "program_name", "badge_class_id", "badge_name", "cost_per_learner",
        "learning_hours",
    ]  # fmt: skip
    assumptions = tomllib.loads((out / "assumptions.toml").read_text())
    assert assumptions == {
        "replacement_cost_share": 0.33,
        "loaded_hourly_rate": 60.0,
        "analysis_window_months": 24,
        "k_anonymity": 5,
    }


def test_bamboohr_xlsx_reads_back_with_the_snapshot_rows(
    inbox: tuple[Path, GenerateSummary],
) -> None:
    """The XLSX holds one row per person the simulation lists on 2024-01-31 (active that day or
    a non-silent leaver of Nov 2023 - Jan 2024), with US dates and dollar or band pay."""
    out, _ = inbox
    sheet = pl.read_excel(out / "roster_2024-01-31.xlsx")
    truth = simulate(EMPLOYEES, SEED).snapshots[0]
    assert sheet.height == truth.people.shape[0]
    assert sheet["Employee #"].str.starts_with("E").all()
    hired = sheet["Hire Date"].str.to_date("%m/%d/%Y")
    assert hired.max() <= date(2024, 1, 31)  # type: ignore[operator]
    assert sheet["Pay Rate"].str.contains(r"^(\$\d{1,3},\d{3}|\d+ - \d+)$").all()
    assert set(sheet["Department"].unique()) >= {"Data & Analytics", "Engineering"}


def test_awards_total_and_format_split(inbox: tuple[Path, GenerateSummary]) -> None:
    """2,250 awards = lines of the OB 2.0 and OB 3.0 NDJSON + single files + Credly rows; the
    split is steered to 40/30/30 and lands within 3 points of it."""
    out, summary = inbox
    ob2 = _ndjson_records(out, "ob2_assertion*")
    ob3 = _ndjson_records(out, "ob3_credential*")
    credly = _csv(out / "credly_analytics_export_2026-10-31.csv")
    assert summary.awards == 2250
    assert len(ob2) + len(ob3) + credly.height == 2250
    assert summary.awards_by_format == {"credly": credly.height, "ob2": len(ob2), "ob3": len(ob3)}
    for count, share in ((len(ob2), 0.4), (len(ob3), 0.3), (credly.height, 0.3)):
        assert abs(count / 2250 - share) < 0.03
    assert len(list(out.glob("ob2_assertion_*.json"))) == 20
    assert len(list(out.glob("ob3_credential_*.json"))) == 10


def test_every_recipient_matches_a_roster_email_except_the_stray_ones(
    inbox: tuple[Path, GenerateSummary],
) -> None:
    """Hash every roster e-mail with each award's salt: all awards match one, except those sent
    to a personal address or a mistyped one. Those are about 2.5 % of 2,250 (~56) and must
    equal the summary's count exactly; Credly rows match by e-mail lower-cased."""
    out, summary = inbox
    emails = _all_roster_emails(out)
    unmatched = 0
    for assertion in _ndjson_records(out, "ob2_assertion*"):
        recipient = assertion["recipient"]
        assert isinstance(recipient, dict)
        if recipient["hashed"]:
            unmatched += not _matches(recipient["identity"], recipient["salt"], emails)
        else:
            unmatched += recipient["identity"] not in emails
    for credential in _ndjson_records(out, "ob3_credential*"):
        subject = credential["credentialSubject"]
        assert isinstance(subject, dict)
        identity = subject["identifier"][0]
        assert identity["identityType"] == "emailAddress"
        if identity["hashed"]:
            unmatched += not _matches(identity["identityHash"], identity["salt"], emails)
        else:
            unmatched += identity["identityHash"] not in emails
    credly = _csv(out / "credly_analytics_export_2026-10-31.csv")
    unmatched += credly.filter(~pl.col("Issued to Email").str.to_lowercase().is_in(emails)).height
    assert unmatched == summary.unmatched_awards
    assert 0.01 < unmatched / 2250 < 0.04
    # A stray Credly recipient never carries an employee id to match by instead.
    stray = credly.filter(~pl.col("Issued to Email").str.to_lowercase().is_in(emails))
    assert stray["Issuer Earner ID"].null_count() == stray.height


def test_ob3_credentials_follow_vcdm2_or_vcdm11(inbox: tuple[Path, GenerateSummary]) -> None:
    """VCDM 2 credentials carry validFrom and the v2 context; the ~5 % VCDM 1.1 ones carry
    issuanceDate and the 2018 context; every achievement aligns to at least one skill."""
    out, _ = inbox
    credentials = _ndjson_records(out, "ob3_credential*")
    versions = {"v2": 0, "v1": 0}
    for c in credentials:
        context = c["@context"]
        assert isinstance(context, list)
        if context[0] == "https://www.w3.org/ns/credentials/v2":
            assert "validFrom" in c and "issuanceDate" not in c
            assert c["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
            versions["v2"] += 1
        else:
            assert context[0] == "https://www.w3.org/2018/credentials/v1"
            assert "issuanceDate" in c and "validFrom" not in c
            versions["v1"] += 1
        subject = c["credentialSubject"]
        assert isinstance(subject, dict)
        assert subject["achievement"]["alignment"][0]["targetType"] == "ceasn:Competency"
    assert versions["v1"] > 0 and versions["v2"] > versions["v1"]


def test_ob2_badge_classes_resolve_and_revocations_are_listed(
    inbox: tuple[Path, GenerateSummary],
) -> None:
    """Every assertion's badge URL is the id of a BadgeClass file (or the class is embedded);
    the revoked assertions are exactly those in the issuer's RevocationList."""
    out, summary = inbox
    classes = {json.loads(p.read_text())["id"] for p in out.glob("ob2_badgeclass_*.json")}
    assert len(classes) == sum(b.format == "ob2" for b in BADGE_CLASSES)
    assertions = _ndjson_records(out, "ob2_assertion*")
    embedded = 0
    for a in assertions:
        badge = a["badge"]
        if isinstance(badge, dict):
            embedded += 1
            assert badge["id"] in classes
        else:
            assert badge in classes
    assert embedded == 10
    revoked = {a["id"] for a in assertions if a.get("revoked")}
    listed = json.loads((out / "ob2_revocation_list.json").read_text())["revokedAssertions"]
    assert revoked == {r["id"] for r in listed}
    credly = _csv(out / "credly_analytics_export_2026-10-31.csv")
    assert len(revoked) + (credly["Status"] == "revoked").sum() == summary.revoked_awards


def test_some_credentials_expire_within_90_days(inbox: tuple[Path, GenerateSummary]) -> None:
    """Awards not revoked whose expiry falls in 2026-11-01..2027-01-29 (90 days after the last
    snapshot), read back from all three formats, equal the summary's count, which is > 0."""
    out, summary = inbox
    first, last = LAST + timedelta(days=1), LAST + timedelta(days=90)
    soon = 0
    for a in _ndjson_records(out, "ob2_assertion*"):
        if "expires" in a and not a.get("revoked"):
            soon += first <= date.fromisoformat(str(a["expires"])[:10]) <= last
    for c in _ndjson_records(out, "ob3_credential*"):
        end = c.get("validUntil") or c.get("expirationDate")
        if end:
            soon += first <= date.fromisoformat(str(end)[:10]) <= last
    credly = _csv(out / "credly_analytics_export_2026-10-31.csv").filter(
        pl.col("Status") != "revoked"
    )
    expires = credly["Expiration Date"].str.to_date("%m/%d/%y").drop_nulls()
    soon += int(((expires >= first) & (expires <= last)).sum())
    assert soon == summary.expiring_within_90_days
    assert soon > 0


def test_badge_holders_leave_less_often_in_the_simulation_truth() -> None:
    """Hazard x0.7 from the month after a first badge. With 2,000 employees the log holds about
    70,000 person-months; unexposed months also include new hires (hazard x1.25-1.5), so the
    observed monthly rate ratio is at most ~0.7 and must be clearly below 1 (< 0.85)."""
    log = simulate(2000, SEED).hazard_log
    assert log.exposed_months + log.unexposed_months > 60_000
    assert log.rate(exposed=True) / log.rate(exposed=False) < 0.85


def test_some_required_skills_miss_their_target_and_some_meet_it() -> None:
    """Coverage per (job family, required skill) at 2026-10-31 from the truth: share of active
    people of the family holding a valid award of a class aligned to the skill. Core courses
    (privacy, safety...) reach 80-95 %; optional ones stay far lower, so both cases occur."""
    wf = simulate(2000, SEED)
    awards = simulate_awards(wf, 7.5, SEED).frame
    end = int(wf.month_ends[-1])
    active = np.flatnonzero(wf.active_at(end))
    families = [d.family for d in org.DEPARTMENTS]
    class_skills = pl.DataFrame(
        [(i, s) for i, b in enumerate(BADGE_CLASSES) for s in b.skills],
        schema={"class_index": pl.Int64, "skill_id": pl.String},
        orient="row",
    )
    holdings = (
        awards.filter(
            ~pl.col("revoked")
            & (pl.col("issued_day") <= end)
            & (pl.col("expires_day").is_null() | (pl.col("expires_day") > end))
        )
        .join(class_skills, on="class_index")
        .select("person", "skill_id")
        .unique()
    )
    people = pl.DataFrame(
        {"person": active, "family": np.asarray([*families, "Executive"])[wf.dept[active]]}
    )
    below = above = 0
    for family, skill_id, target, _ in ROLE_REQUIREMENTS:
        members = people.filter(pl.col("family") == family)
        holders = members.join(holdings.filter(pl.col("skill_id") == skill_id), on="person")
        coverage = holders.height / members.height
        below += coverage < target
        above += coverage >= target
    assert below > 0
    assert above > 0


def test_some_leavers_simply_vanish_from_the_next_roster(
    inbox: tuple[Path, GenerateSummary],
) -> None:
    """About 8 % of leavers get no termination row: active on one Workday roster, absent from
    the next. Managers on the last roster are all listed employees of that roster."""
    out, _ = inbox
    before = _csv(out / "roster_2026-07-31.csv").filter(pl.col("Active") == "1")
    after = _csv(out / "roster_2026-10-31.csv")
    vanished = set(before["EmployeeID"]) - set(after["EmployeeID"])
    assert vanished
    managers = set(after["ManagerReference"].drop_nulls())
    assert managers <= set(after.filter(pl.col("Active") == "1")["EmployeeID"])
    assert after["ManagerReference"].null_count() == 1  # only the CEO has no manager


def test_stale_badge_chunks_are_removed_and_other_files_kept(tmp_path: Path) -> None:
    """A chunk left by a bigger earlier run would mix two employers: it goes; notes stay."""
    (tmp_path / "ob2_assertions_0009.ndjson").write_text("{}\n")
    (tmp_path / "notes.txt").write_text("keep me")
    generate(tmp_path, 100, SEED)
    assert not (tmp_path / "ob2_assertions_0009.ndjson").exists()
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_refuses_an_employer_too_small_for_an_org_chart(tmp_path: Path) -> None:
    """Ten departments with a head each need at least 50 people."""
    with pytest.raises(ValueError, match="at least 50"):
        generate(tmp_path, 10, SEED)
