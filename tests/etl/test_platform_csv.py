"""Badge-platform CSV loader: Credly and Canvas profiles, column mappings, quarantine, counts.

Fixtures (tests/fixtures/badges/, hand-written from the vendors' documented headers):
- credly_analytics_export.csv: UTF-8 BOM, CRLF, 8 rows:
  1 accepted (E001), 2 pending (no Issuer Earner ID), 3 revoked, 4 rejected,
  5 accepted + "Expired" without Expiration Date, 6 Issue Date "13/45/22",
  7 Issued to Email "not-an-email" and no Issuer Earner ID, 8 Status "archived".
  -> read 8, loaded 5, quarantined rows 6, 7, 8.
- canvas_award_list.csv: 4 rows: email, URL, phone (expires 2024-01-01 before issue 2024-03-01),
  "just a name" -> read 4, loaded 2, quarantined rows 3 and 4.
- other_platform_latin1.csv: Latin-1 bytes ("Z\\xfcrich"), dd.mm.yyyy dates, read through a
  [badges.columns] mapping -> read 2, loaded 2.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.sources import platform_csv
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from skillboard.settings import load_settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "badges"
CREDLY_HEADER = (
    "Badge Name,Badge Template ID,Issued by,Earner Badge ID,Issuer Earner ID,"
    "Issued to First Name,Issued to Last Name,Issued to Email,Status,Expired,Issue Date,"
    "Expiration Date"
)
OTHER_MAPPING = {
    "badge_name": "Credential",
    "recipient_email": "Holder Mail",
    "recipient_employee_id": "Holder No",
    "issued_on": "Awarded On",
    "expires_on": "Valid Until",
}


def _load(path: Path, **badges: Any) -> LoadResult:
    ctx = LoadContext(settings=load_settings(badges=badges or None), inbox=path.parent)
    return platform_csv.load(path, ctx)


def _detect(path: Path) -> bool:
    return platform_csv.detect(Probe(path=path, head=path.read_bytes()[:65536]))


def _write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _by_id(result: LoadResult) -> dict[str, dict[str, Any]]:
    return {row["award_id"]: row for row in result.tables["raw_badge_awards"].to_dicts()}


def test_credly_export_statuses_become_status_and_revoked() -> None:
    """mm/dd/yy: 03/15/23 -> 2023-03-15. pending/rejected are kept with their status (SQL treats
    them as not valid); revoked sets revoked; "Expired" without a date -> status "expired",
    expires_on null."""
    result = _load(FIXTURES / "credly_analytics_export.csv")
    assert (result.loader, result.rows_read, result.loaded) == ("platform_csv:credly", 8, 5)
    awards = _by_id(result)
    assert [(a["status"], a["revoked"]) for a in awards.values()] == [
        ("accepted", False),
        ("pending", False),
        ("revoked", True),
        ("rejected", False),
        ("expired", False),
    ]
    first = awards["eb-0001"]
    assert first["issued_on"] == date(2023, 3, 15)
    assert first["source_format"] == "credly_csv"
    assert (first["badge_class_id"], first["badge_name"]) == ("tmpl-py", "Python Foundations")
    assert first["recipient_employee_id"] == "E001"
    assert (first["recipient_type"], first["recipient_identity"]) == (
        "email",
        "ann.lee@example.com",
    )
    assert first["recipient_hashed"] is False
    assert awards["eb-0005"]["expires_on"] is None
    classes = result.tables["raw_badge_classes"]
    assert classes.get_column("badge_class_id").to_list() == ["tmpl-py", "tmpl-cloud"]


def test_credly_bad_rows_are_quarantined_with_row_values_and_reason() -> None:
    result = _load(FIXTURES / "credly_analytics_export.csv")
    reasons = {q.row_number: q.reason for q in result.quarantine}
    assert reasons == {
        6: "Issue Date '13/45/22' is not a date (expected MM/DD/YY)",
        7: "Issued to Email 'not-an-email' is not an email address",
        8: "Status 'archived' is not one of accepted, pending, revoked, rejected",
    }
    raw = result.quarantine[0].raw
    assert raw["Earner Badge ID"] == "eb-0006"
    assert raw["Badge Name"] == "Cloud Basics"  # the BOM is not part of the first header


def test_canvas_identifier_is_told_apart_by_shape() -> None:
    """Award ids are synthetic: urn:sha256 of (format, class id, name, identity, employee id,
    issue date), so the same award in a later export gets the same id."""
    result = _load(FIXTURES / "canvas_award_list.csv")
    assert (result.loader, result.rows_read, result.loaded) == ("platform_csv:canvas", 4, 2)
    rows = result.tables["raw_badge_awards"].to_dicts()
    assert [(r["recipient_type"], r["recipient_identity"]) for r in rows] == [
        ("email", "ann.lee@example.com"),
        ("url", "https://people.example/bob"),
    ]
    key = "\x1f".join(
        ["canvas_csv", "65f803ac53ae0b2639ac0eba", "", "ann.lee@example.com", "", "2024-02-01"]
    )
    assert rows[0]["award_id"] == "urn:sha256:" + hashlib.sha256(key.encode()).hexdigest()
    assert (rows[0]["expires_on"], rows[0]["narrative"]) == (date(2026, 2, 1), "Built a pipeline")
    assert rows[0]["evidence"] == "https://evidence.example/1"
    assert rows[1]["evidence"] == "Wrote docs"
    reasons = {q.row_number: q.reason for q in result.quarantine}
    assert reasons[3] == "Expiration Date 2024-01-01 is before Issue Date 2024-03-01"
    assert reasons[4] == "Identifier 'just a name' is not an email address, URL or phone number"


def test_mapping_reads_any_platform_with_latin1_bytes() -> None:
    """31.12.2023 is detected as dd.mm.yyyy for the whole column."""
    path = FIXTURES / "other_platform_latin1.csv"
    assert _detect(path)
    with pytest.raises(FileRejected, match=r"\[badges.columns\]"):
        _load(path)
    result = _load(path, columns=OTHER_MAPPING)
    assert (result.loader, result.rows_read, result.loaded) == ("platform_csv:mapped", 2, 2)
    first = result.tables["raw_badge_awards"].row(0, named=True)
    assert first["recipient_identity"] == "Zürich.user@example.ch"
    assert (first["issued_on"], first["recipient_employee_id"]) == (date(2023, 12, 31), "E900")
    assert first["source_format"] == "mapped_csv"


def test_mapping_with_unknown_field_or_missing_header_is_rejected(tmp_path: Path) -> None:
    path = FIXTURES / "other_platform_latin1.csv"
    with pytest.raises(FileRejected, match="unknown fields"):
        _load(path, columns={"badge": "Credential"})
    with pytest.raises(FileRejected, match="does not have"):
        _load(path, columns={**OTHER_MAPPING, "badge_name": "Badge Title"})


def test_iso_and_four_digit_dates_and_configured_format(tmp_path: Path) -> None:
    rows = [
        "Cloud,t1,Acme,id-1,E1,A,B,a@x.io,accepted,,2023-07-04,",
        "Cloud,t1,Acme,id-2,E2,A,B,b@x.io,accepted,,2023-07-05T10:00:00Z,",
    ]
    iso = _load(_write(tmp_path, "iso.csv", "\n".join([CREDLY_HEADER, *rows])))
    assert iso.tables["raw_badge_awards"].get_column("issued_on").to_list() == [
        date(2023, 7, 4),
        date(2023, 7, 5),
    ]
    long_year = "Cloud,t1,Acme,id-3,E3,A,B,c@x.io,accepted,,7/4/2023,7/4/2026"
    us = _load(_write(tmp_path, "us.csv", f"{CREDLY_HEADER}\n{long_year}\n"))
    assert _by_id(us)["id-3"]["expires_on"] == date(2026, 7, 4)
    day_first = "Cloud,t1,Acme,id-4,E4,A,B,d@x.io,accepted,,04/07/2023,"
    configured = _load(
        _write(tmp_path, "dm.csv", f"{CREDLY_HEADER}\n{day_first}\n"), date_format="%d/%m/%Y"
    )
    assert _by_id(configured)["id-4"]["issued_on"] == date(2023, 7, 4)


def test_row_with_extra_fields_is_quarantined_and_the_rest_load(tmp_path: Path) -> None:
    rows = [
        "Cloud,t1,Acme,id-1,E1,A,B,a@x.io,accepted,,01/02/23,",
        "Cloud,t1,Acme,id-2,E2,A,B,b@x.io,accepted,,01/03/23,,surplus",
        "",
        '"Cloud, Advanced",t2,Acme,id-3,E3,"Line one\nline two",B,c@x.io,accepted,,01/04/23,',
    ]
    result = _load(_write(tmp_path, "r.csv", "\r\n".join([CREDLY_HEADER, *rows]) + "\r\n"))
    assert (result.rows_read, result.loaded) == (3, 2)
    assert result.quarantine[0].row_number == 2
    assert result.quarantine[0].reason == "row has 13 fields but the header has 12"
    assert result.quarantine[0].raw["_extra_fields"] == ["surplus"]
    assert _by_id(result)["id-3"]["badge_name"] == "Cloud, Advanced"


def test_missing_recipient_and_issue_date_are_quarantined(tmp_path: Path) -> None:
    rows = [
        "Cloud,t1,Acme,id-1,,A,B,,accepted,,01/02/23,",
        "Cloud,t1,Acme,id-2,E2,A,B,b@x.io,accepted,,,",
    ]
    result = _load(_write(tmp_path, "m.csv", "\n".join([CREDLY_HEADER, *rows])))
    reasons = {q.row_number: q.reason for q in result.quarantine}
    assert reasons == {
        1: "recipient is missing: no identity and no employee id",
        2: "Issue Date is empty",
    }


def test_detect_takes_badge_exports_not_rosters_or_skill_maps(tmp_path: Path) -> None:
    assert _detect(FIXTURES / "credly_analytics_export.csv")
    assert _detect(FIXTURES / "canvas_award_list.csv")
    roster = _write(tmp_path, "roster.csv", "EmployeeID,Email,Department\n1,a@b.c,IT\n")
    skills = _write(tmp_path, "skills_map.csv", "badge_class_id,skill_id,skill_name\nb,s,S\n")
    badge_json = _write(tmp_path, "b.json", '{"badge": "x", "email": "y"}')
    assert not any(_detect(p) for p in (roster, skills, badge_json))


def test_header_only_file_loads_nothing_and_empty_file_is_rejected(tmp_path: Path) -> None:
    result = _load(_write(tmp_path, "h.csv", CREDLY_HEADER + "\n"))
    assert (result.rows_read, result.loaded) == (0, 0)
    with pytest.raises(FileRejected, match="empty"):
        _load(_write(tmp_path, "e.csv", ""))


# --------------------------------------------------------------------------------------------
# property: mangled CSVs end rejected with a reason, or with rows_read = loaded + quarantined

_CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "accepted",
            "pending",
            "Expired",
            "13/45/22",
            "02/30/23",
            "1/2/23",
            "2023-01-01",
            "a@b.co",
            '"',
            '""',
            ",",
            "\n",
            "\r\n",
            "E1",
            "tmpl",
        ]
    ),
    st.text(max_size=12),
    st.just("y" * 150_000),  # bigger than Python csv's default field limit
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=0, max_size=15), max_size=8),
    latin1=st.booleans(),
    crlf=st.booleans(),
)
def test_mangled_credly_rows_are_counted(
    tmp_path: Path, rows: list[list[str]], latin1: bool, crlf: bool
) -> None:
    newline = "\r\n" if crlf else "\n"
    text = newline.join([CREDLY_HEADER, *(",".join(row) for row in rows)]) + newline
    data = (
        text.encode("latin-1", errors="replace")
        if latin1
        else text.encode("utf-8", "surrogatepass")
    )
    path = tmp_path / "m.csv"
    path.write_bytes(data)
    _assert_rejected_or_counted(path)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(noise=st.binary(max_size=300), keep=st.integers(min_value=0, max_value=400))
def test_random_bytes_after_a_header_are_rejected_or_counted(
    tmp_path: Path, noise: bytes, keep: int
) -> None:
    base = (FIXTURES / "canvas_award_list.csv").read_bytes()
    path = tmp_path / "n.csv"
    path.write_bytes(base[:keep] + noise)
    _assert_rejected_or_counted(path)


def _assert_rejected_or_counted(path: Path) -> None:
    try:
        result = _load(path)
    except FileRejected as exc:
        assert str(exc)
        return
    assert result.rows_read == result.loaded + len(result.quarantine)
    assert all(q.reason for q in result.quarantine)
    assert result.tables["raw_badge_awards"].height == result.loaded
