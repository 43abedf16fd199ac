"""Each award keeps its own match and validity when the build joins them back together.

The staging models name an award by its row in stg_badge_awards (``award_row``), not by its
id's text; these cases check that the joins pair the right rows when copies of an award arrive
in two files and matches come from different rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from tests.sql.conftest import Snapshot, award, person

D = dt.date
SNAP = "2025-06-30"


def test_award_keeps_its_own_match_and_validity(snapshot: Callable[..., Snapshot]) -> None:
    """File 1 holds a1 (to E1, expires 2024-06-01) and a2 (to E2, revoked on 2024-03-01);
    file 2 re-exports a1 (now to E2, no expiry) and adds a3, a hashed email of E1 with salt
    's'. The later file wins for a1, so:
      a1 -> E2 by employee_id, valid [2024-01-01, open), from file 2
      a2 -> E2 by employee_id, revoked 2024-03-01, valid [2024-02-01, 2024-03-01), file 1
      a3 -> E1 by hashed_email, valid [2024-05-01, open), file 2
    On the as-of date 2025-06-30, a1 and a3 are valid, a2 is not. Nothing is unmatched.
    """
    digest = hashlib.sha256(b"e1@corp.example.coms").hexdigest()
    rows = {
        "raw_roster": [
            person("E1", "Eng", "2020-01-01", SNAP),
            person("E2", "Eng", "2020-01-01", SNAP),
        ],
        "raw_badge_awards": [
            award("a1", "E1", "b", "2024-01-01", expires_on="2024-06-01", file_id=1),
            award("a2", "E2", "b", "2024-02-01", revoked=True, revoked_on="2024-03-01", file_id=1),
            award("a1", "E2", "b", "2024-01-01", file_id=2),
            award(
                "a3",
                None,
                "b",
                "2024-05-01",
                recipient_type="email",
                recipient_identity="sha256$" + digest,
                recipient_hashed=True,
                recipient_salt="s",
                file_id=2,
            ),
        ],
    }
    snap = snapshot(rows)
    assert snap.rows(
        "select award_id, employee_id, match_method, revoked, revoked_on, valid_from, valid_to, "
        "valid_at_as_of, file_id from badge_awards order by award_id"
    ) == [
        ("a1", "E2", "employee_id", False, None, D(2024, 1, 1), None, True, 2),
        ("a2", "E2", "employee_id", True, D(2024, 3, 1), D(2024, 2, 1), D(2024, 3, 1), False, 1),
        ("a3", "E1", "hashed_email", False, None, D(2024, 5, 1), None, True, 2),
    ]
    assert snap.rows("select award_id from unmatched_awards") == []
