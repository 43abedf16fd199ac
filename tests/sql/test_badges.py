"""Recipient matching, validity at a date, revocations, expiry and skill merging."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest

from tests.sql.conftest import Snapshot, award, person

D = dt.date
SNAP = "2025-06-30"


def test_hashed_email_with_salt_matches_employee(snapshot: Callable[..., Snapshot]) -> None:
    """N1's roster email is nobody@example.org; the award hashes it as OB 2.0 does,
    'sha256$' + hex(sha256(email + salt)) with the spec examples' salt 'deadsea' (the spec's
    printed digest c7ef8640... is illustrative: it is not the hash of this address, so the
    test computes the real one with hashlib). The award carries
    'sha256$C7EF86BC...' (upper-case hex), an md5$ award with the same salt, a hash of an
    address nobody has, and a plain email written ' Nobody@Example.org ' with spaces."""
    digest = hashlib.sha256(b"nobody@example.orgdeadsea").hexdigest()
    md5 = hashlib.md5(b"nobody@example.orgdeadsea").hexdigest()
    rows = {
        "raw_roster": [
            person("N1", "Eng", "2020-01-01", SNAP, email="nobody@example.org"),
            person("E2", "Eng", "2020-01-01", SNAP),
        ],
        "raw_badge_awards": [
            award(
                "h1",
                None,
                "b",
                "2024-01-01",
                recipient_type="email",
                recipient_identity="sha256$" + digest.upper(),
                recipient_hashed=True,
                recipient_salt="deadsea",
            ),
            award(
                "h2",
                None,
                "b",
                "2024-01-01",
                recipient_type="email",
                recipient_identity="md5$" + md5,
                recipient_hashed=True,
                recipient_salt="deadsea",
            ),
            award(
                "h3",
                None,
                "b",
                "2024-01-01",
                recipient_type="email",
                recipient_identity="sha256$" + hashlib.sha256(b"x@y.zdeadsea").hexdigest(),
                recipient_hashed=True,
                recipient_salt="deadsea",
            ),
            award(
                "p1",
                None,
                "b",
                "2024-01-01",
                recipient_type="email",
                recipient_identity=" Nobody@Example.org ",
            ),
            # Explicit id wins over the email it also carries.
            award(
                "x1",
                "E2",
                "b",
                "2024-01-01",
                recipient_type="email",
                recipient_identity="nobody@example.org",
            ),
        ],
    }
    snap = snapshot(rows)
    matched = snap.rows(
        "select award_id, employee_id, match_method from badge_awards order by award_id"
    )
    assert matched == [
        ("h1", "N1", "hashed_email"),
        ("h2", "N1", "hashed_email"),
        ("h3", None, "none"),
        ("p1", "N1", "email"),
        ("x1", "E2", "employee_id"),
    ]
    assert snap.rows("select award_id, identity_type from unmatched_awards") == [
        ("h3", "hashed_email")
    ]


def test_validity_at_a_date_follows_revocation_and_expiry(
    snapshot: Callable[..., Snapshot],
) -> None:
    """All issued 2025-01-01 to E1, each of its own class mapped to its own skill:
      v1 expires 2025-07-01            -> valid [2025-01-01, 2025-07-01): valid on the as-of date
      v2 revoked on 2025-03-01         -> valid [2025-01-01, 2025-03-01)
      v3 revoked, date unknown         -> never valid
      v4 revoked by a revocation list on 2025-04-01 -> valid [2025-01-01, 2025-04-01)
      v5 platform status 'pending'     -> never valid
      v6 issued 2025-07-01 (after the as-of date) -> valid from 2025-07-01, not yet
    So on 2025-06-30 E1 holds only v1's skill, expiring 2025-07-01 (1 day left, 30-day bucket).
    """
    awards = [
        award("v1", "E1", "c1", "2025-01-01", expires_on="2025-07-01"),
        award("v2", "E1", "c2", "2025-01-01", revoked=True, revoked_on="2025-03-01"),
        award("v3", "E1", "c3", "2025-01-01", revoked=True),
        award("v4", "E1", "c4", "2025-01-01"),
        award("v5", "E1", "c5", "2025-01-01", status="pending"),
        award("v6", "E1", "c6", "2025-07-01"),
    ]
    rows = {
        "raw_roster": [person("E1", "Eng", "2020-01-01", SNAP)],
        "raw_badge_awards": awards,
        "raw_revocations": [{"award_id": "v4", "revoked_on": "2025-04-01"}],
        "raw_skills_map": [{"badge_class_id": f"c{i}", "skill_id": f"S{i}"} for i in range(1, 7)],
    }
    snap = snapshot(rows)
    validity = snap.rows(
        "select award_id, ever_valid, valid_from, valid_to, valid_at_as_of, revoked "
        "from badge_awards order by award_id"
    )
    start = D(2025, 1, 1)
    assert validity == [
        ("v1", True, start, D(2025, 7, 1), True, False),
        ("v2", True, start, D(2025, 3, 1), False, True),
        ("v3", False, None, None, False, True),
        ("v4", True, start, D(2025, 4, 1), False, True),
        ("v5", False, None, None, False, False),
        ("v6", True, D(2025, 7, 1), None, False, False),
    ]
    assert snap.rows(
        "select employee_id, skill_id, first_valid_on, expires_on from employee_skills"
    ) == [("E1", "S1", start, D(2025, 7, 1))]
    assert snap.rows(
        "select employee_id, skill_id, days_left, within_days, bucket from expiring_credentials"
    ) == [("E1", "S1", 1, 30, "0-30 days")]


def test_renewed_credential_is_not_expiring(snapshot: Callable[..., Snapshot]) -> None:
    """E1's first safety badge expires 2025-07-20 but a renewal issued 2025-06-01 runs to
    2026-06-01, so the holding does not stop within 90 days. E2's only badge expires
    2025-09-15: 77 days left -> 90-day bucket."""
    rows = {
        "raw_roster": [
            person("E1", "Ops", "2020-01-01", SNAP),
            person("E2", "Ops", "2020-01-01", SNAP),
        ],
        "raw_badge_awards": [
            award("r1", "E1", "safe", "2024-07-20", expires_on="2025-07-20"),
            award("r2", "E1", "safe", "2025-06-01", expires_on="2026-06-01"),
            award("r3", "E2", "safe", "2024-09-15", expires_on="2025-09-15"),
        ],
        "raw_skills_map": [{"badge_class_id": "safe", "skill_id": "SAFE"}],
    }
    snap = snapshot(rows)
    assert snap.rows(
        "select employee_id, award_id, days_left, within_days from expiring_credentials"
    ) == [("E2", "r3", 77, 90)]


def test_equal_skills_across_frameworks_merge_when_the_map_says_so(
    snapshot: Callable[..., Snapshot],
) -> None:
    """Class c1 ('Python Course') aligns to the ESCO skill 'Python (computer programming)'
    (keyed by its URI). skills_map.csv names the class by its exact name and maps it to the
    employer's SB-PY 'python (computer programming)': same name, other framework -> one skill
    SB-PY with the ESCO URI merged into it. A role requirement that names the ESCO URI
    resolves to SB-PY. Class c2 aligns to O*NET 2.B.3.e only: a skill of its own."""
    esco = "http://data.europa.eu/esco/skill/ccd0a1d9"
    rows = {
        "raw_roster": [person("E1", "Eng", "2020-01-01", SNAP, job_title="Dev")],
        "raw_badge_classes": [
            {"badge_class_id": "c1", "name": "Python Course"},
            {"badge_class_id": "c2", "name": "Programming"},
        ],
        "raw_alignments": [
            {
                "badge_class_id": "c1",
                "target_name": "Python (computer programming)",
                "target_url": esco,
                "target_framework": "ESCO",
            },
            {
                "badge_class_id": "c2",
                "target_name": "Programming",
                "target_code": "2.B.3.e",
                "target_framework": "O*NET",
                "target_url": "https://www.onetonline.org/find/descriptor/result/2.B.3.e",
            },
        ],
        "raw_skills_map": [
            {
                "badge_name": "Python Course",
                "skill_id": "SB-PY",
                "skill_name": "python (computer programming)",
                "framework": "Skillboard",
                "level": 2,
            },
        ],
        "raw_role_requirements": [{"job_title": "Dev", "skill_id": esco}],
        "raw_badge_awards": [award("a1", "E1", "c1", "2024-01-01")],
    }
    snap = snapshot(rows)
    assert snap.rows(
        "select skill_id, skill_name, framework, code, merged_ids from skills order by skill_id"
    ) == [
        ("2.B.3.e", "Programming", "O*NET", "2.B.3.e", []),
        ("SB-PY", "python (computer programming)", "Skillboard", None, [esco]),
    ]
    assert snap.rows(
        "select badge_class_id, skill_id, level from badge_class_skills order by badge_class_id"
    ) == [("c1", "SB-PY", 2), ("c2", "2.B.3.e", None)]
    assert snap.one(
        "select skill_id, required, holders from team_skill_coverage "
        "where team_type = 'all' and as_of = ?",
        [D(2025, 6, 30)],
    ) == ("SB-PY", 1, 1)


def test_latest_file_wins_for_a_duplicated_award(snapshot: Callable[..., Snapshot]) -> None:
    """Award d1 arrives in file 1 (issued 2024-01-01) and again in file 2 (issued 2024-02-01):
    one row, from file 2."""
    rows = {
        "raw_roster": [person("E1", "Eng", "2020-01-01", SNAP)],
        "raw_badge_awards": [
            {**award("d1", "E1", "b", "2024-01-01"), "file_id": 1},
            {**award("d1", "E1", "b", "2024-02-01"), "file_id": 2},
        ],
    }
    snap = snapshot(rows)
    assert snap.rows("select award_id, issued_on from badge_awards") == [("d1", D(2024, 2, 1))]


@pytest.mark.parametrize("status", ["rejected", "pending"])
def test_platform_status_not_accepted_is_never_valid(
    snapshot: Callable[..., Snapshot], status: str
) -> None:
    """A Credly row with status pending/rejected never counts as a holding."""
    rows = {
        "raw_roster": [person("E1", "Eng", "2020-01-01", SNAP)],
        "raw_badge_awards": [award("c1", "E1", "b", "2024-01-01", status=status)],
        "raw_skills_map": [{"badge_class_id": "b", "skill_id": "S"}],
    }
    snap = snapshot(rows)
    assert snap.rows("select count(*) from employee_skills") == [(0,)]
