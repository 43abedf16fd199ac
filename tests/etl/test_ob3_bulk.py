"""The Open Badges 3.0 loader's bulk path for NDJSON, against its careful path.

A big NDJSON file is parsed by pyarrow and checked with polars; rows the columns cannot vouch
for go through ``parse_credential``. Every test here either works the expected rows out by hand
or loads the same bytes both ways (``load`` and ``load_items(split_items(...))``, the careful
path for every row) and expects the same tables, quarantine and notes.

The base credential (``_credential``, built by :mod:`tests.etl.ob3_credentials`): VCDM 2,
issued 2024-05-01T09:30:00Z by https://acme.example/issuer ("Acme", a Profile) for achievement
https://acme.example/a/python ("Python Foundations"), to one hashed email identifier
(``sha256$ab12``, salt "s1").
"""

from __future__ import annotations

import copy
import logging
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from etl.sources import ob3_bulk, ob3_items, open_badges_v3
from etl.sources.base import LoadContext, LoadResult
from skillboard.settings import load_settings
from tests.etl.ob3_credentials import PYTHON, ob3_credential

REVOCATIONS = "https://acme.example/revocations"
HASHED_EMAIL = {
    "type": "IdentityObject",
    "identityHash": "sha256$ab12",
    "identityType": "emailAddress",
    "hashed": True,
    "salt": "s1",
}


def _credential(number: int = 1, **changes: Any) -> dict[str, Any]:
    return ob3_credential(number, identifier=HASHED_EMAIL, name_first=True, **changes)


def _subject(credential: dict[str, Any]) -> dict[str, Any]:
    subject: dict[str, Any] = credential["credentialSubject"]
    return subject


def _ndjson(*credentials: dict[str, Any] | bytes) -> bytes:
    lines = [c if isinstance(c, bytes) else orjson.dumps(c) for c in credentials]
    return b"\n".join(lines) + b"\n"


def _ctx(folder: Path) -> LoadContext:
    return LoadContext(settings=load_settings(), inbox=folder)


def _write(folder: Path, data: bytes, name: str = "awards.ndjson") -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _both_ways(
    path: Path, caplog: pytest.LogCaptureFixture
) -> tuple[tuple[LoadResult, list[str]], tuple[LoadResult, list[str]]]:
    """The file loaded by ``load`` and by the careful path alone, each with its logged notes."""
    caplog.set_level(logging.INFO, logger=open_badges_v3.__name__)
    caplog.clear()
    bulk = open_badges_v3.load(path, _ctx(path.parent))
    bulk_notes = [r.getMessage() for r in caplog.records]
    caplog.clear()
    items = ob3_items.split_items(path.read_bytes(), path.name)
    careful = open_badges_v3.load_items(items, _ctx(path.parent), path)
    return (bulk, bulk_notes), (careful, [r.getMessage() for r in caplog.records])


def _assert_same(path: Path, caplog: pytest.LogCaptureFixture) -> LoadResult:
    (bulk, bulk_notes), (careful, careful_notes) = _both_ways(path, caplog)
    assert (bulk.loader, bulk.rows_read, bulk.loaded) == (
        careful.loader,
        careful.rows_read,
        careful.loaded,
    )
    assert sorted(bulk.tables) == sorted(careful.tables)
    for name, table in careful.tables.items():
        assert_frame_equal(bulk.tables[name], table)
    assert bulk.quarantine == careful.quarantine
    assert bulk_notes == careful_notes
    return bulk


def _bulk_split(path: Path) -> tuple[list[int], list[int]]:
    """(rows the columns vouch for, rows handed to parse_credential) of a file read in bulk."""
    lines = ob3_bulk.ndjson_lines(path.read_bytes())
    assert lines is not None
    credentials, items = ob3_bulk.read_blocks(lines)
    assert credentials is not None and not items
    rows = ob3_bulk.bulk_rows(credentials, datetime.now(UTC).date())
    plain, handed = ob3_bulk.hand_over(rows)
    return plain["row_number"].to_list(), handed["row_number"].to_list()


def test_whitespace_is_what_str_strip_removes() -> None:
    every_space = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(ob3_bulk._WHITESPACE) == every_space


def test_rows_with_a_note_are_handed_to_parse_credential(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Four credentials of one achievement.

    Row 1 is plain, but the first of its achievement: parse_credential reads it and builds the
    badge class. Row 2 (bulk): identifier " ana@example.com " of type " Email " with no
    ``hashed`` -> identity "ana@example.com", type "email", not hashed (no sha256$ prefix), no
    salt. Row 3: issuer type ["Organization"] -> a note, so parse_credential reads it (and logs
    "issuer type ['Organization'] is not Profile"); it still loads. Row 4 (bulk): VCDM 1.1
    dates issuanceDate 2023-01-15T00:00:00Z / expirationDate 2026-01-15, one evidence item
    whose id is "https://e.example/1" -> issued 2023-01-15, expires 2026-01-15, that evidence.
    """
    padded = _credential(2)
    _subject(padded)["identifier"] = [
        {"type": "IdentityObject", "identityHash": " ana@example.com ", "identityType": " Email "}
    ]
    organisation = _credential(3)
    organisation["issuer"] = {**organisation["issuer"], "type": ["Organization"]}
    vcdm1 = _credential(
        4,
        issuanceDate="2023-01-15T00:00:00Z",
        expirationDate="2026-01-15",
        evidence=[{"id": "https://e.example/1", "type": ["Evidence"], "narrative": "Demo"}],
    )
    del vcdm1["validFrom"]
    path = _write(tmp_path, _ndjson(_credential(1), padded, organisation, vcdm1))

    assert _bulk_split(path) == ([2, 4], [1, 3])
    result = _assert_same(path, caplog)
    awards = result.tables["raw_badge_awards"].rows(named=True)
    assert [a["row_number"] for a in awards] == [1, 2, 3, 4]
    assert [a["award_id"] for a in awards] == [f"urn:uuid:000{n}" for n in (1, 2, 3, 4)]
    assert {a["badge_class_id"] for a in awards} == {PYTHON}
    assert {a["badge_name"] for a in awards} == {"Python Foundations"}
    assert (awards[0]["recipient_identity"], awards[0]["recipient_hashed"]) == ("sha256$ab12", True)
    assert (awards[0]["recipient_type"], awards[0]["recipient_salt"]) == ("email", "s1")
    assert (awards[1]["recipient_identity"], awards[1]["recipient_type"]) == (
        "ana@example.com",
        "email",
    )
    assert (awards[1]["recipient_hashed"], awards[1]["recipient_salt"]) == (False, None)
    assert (awards[2]["issuer_id"], awards[2]["issuer_name"]) == (
        "https://acme.example/issuer",
        "Acme",
    )
    assert (awards[3]["issued_on"], awards[3]["expires_on"]) == (
        date(2023, 1, 15),
        date(2026, 1, 15),
    )
    assert awards[3]["evidence"] == "https://e.example/1"
    assert [a["issued_on"] for a in awards[:3]] == [date(2024, 5, 1)] * 3
    assert {a["revoked"] for a in awards} == {False}
    caplog.clear()
    open_badges_v3.load(path, _ctx(tmp_path))
    assert [r.getMessage() for r in caplog.records] == [
        "awards.ndjson row 3: issuer type ['Organization'] is not Profile"
    ]
    classes = result.tables["raw_badge_classes"].rows(named=True)
    assert [(c["row_number"], c["badge_class_id"], c["criteria"]) for c in classes] == [
        (1, PYTHON, "Pass the exam")
    ]
    assert result.tables["raw_alignments"]["target_code"].to_list() == ["ccd0a1d9"]


def test_first_credential_of_an_achievement_names_its_class_for_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Row 1 names no recipient: quarantined, but parse_credential has already built the class
    from it (name "Python Foundations", issuer "Acme"). Rows 2 and 3 carry the same achievement
    id renamed "Renamed" by issuer "Other Co": row 2 (the first plain one) is read carefully,
    row 3 in bulk; both take the name built from row 1, and the class row is written at row 2,
    the first row that loaded, still with issuer "Acme". Each award keeps its own issuer."""
    nobody = _credential(1)
    del _subject(nobody)["identifier"]
    renamed = []
    for number in (2, 3):
        credential = _credential(number)
        credential["issuer"] = {**credential["issuer"], "name": "Other Co"}
        _subject(credential)["achievement"]["name"] = "Renamed"
        renamed.append(credential)
    path = _write(tmp_path, _ndjson(nobody, *renamed))

    assert _bulk_split(path) == ([3], [1, 2])
    result = _assert_same(path, caplog)
    assert [(q.row_number, q.reason) for q in result.quarantine] == [
        (1, "recipient is missing: no identity and no employee id")
    ]
    awards = result.tables["raw_badge_awards"].rows(named=True)
    assert [(a["row_number"], a["badge_name"], a["issuer_name"]) for a in awards] == [
        (2, "Python Foundations", "Other Co"),
        (3, "Python Foundations", "Other Co"),
    ]
    classes = result.tables["raw_badge_classes"].rows(named=True)
    assert [(c["row_number"], c["name"], c["issuer_name"]) for c in classes] == [
        (2, "Python Foundations", "Acme")
    ]


def test_an_achievement_without_a_name_leaves_the_credential_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Achievement https://x.example/nameless has no name: each award takes its credential's
    name, stripped ("Python Foundations", then " Python, again " -> "Python, again"); row 1 is
    read carefully, row 2 in bulk. The class has no name."""
    credentials = []
    for number, name in ((1, "Python Foundations"), (2, " Python, again ")):
        credential = _credential(number, name=name)
        achievement = {**_subject(credential)["achievement"], "id": "https://x.example/nameless"}
        del achievement["name"]
        _subject(credential)["achievement"] = achievement
        credentials.append(credential)
    path = _write(tmp_path, _ndjson(*credentials))

    assert _bulk_split(path) == ([2], [1])
    result = _assert_same(path, caplog)
    assert result.tables["raw_badge_awards"]["badge_name"].to_list() == [
        "Python Foundations",
        "Python, again",
    ]
    assert result.tables["raw_badge_classes"]["name"].to_list() == [None]


def test_a_block_pyarrow_cannot_read_is_read_line_by_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """One block plus 3 lines. In the first block, line 3 names its issuer by URL (not the
    Profile object the schema expects) and line 5 is blank: that block is read line by line,
    the blank line is not a row, so the 4,096 lines give rows 1-4,095. The second block is read
    in bulk and goes on at row 4,096; its second line is broken JSON, quarantined as row 4,097.
    """
    block = ob3_bulk.BULK_BLOCK_LINES
    lines: list[dict[str, Any] | bytes] = [_credential(n) for n in range(1, block + 4)]
    lines[2] = _credential(3, issuer="https://acme.example/issuer")
    lines[4] = b""
    lines[block + 1] = b'{"id": "urn:uuid:broken", "type": ['
    path = _write(tmp_path, _ndjson(*lines))

    result = _assert_same(path, caplog)
    assert (result.rows_read, result.loaded) == (block + 2, block + 1)
    assert [(q.row_number, q.raw) for q in result.quarantine] == [
        (block + 1, {"line": '{"id": "urn:uuid:broken", "type": ['})
    ]
    awards = result.tables["raw_badge_awards"]
    assert awards["row_number"].to_list() == [*range(1, block + 1), block + 2]
    assert awards.row(2, named=True)["issuer_id"] == "https://acme.example/issuer"
    assert awards.row(2, named=True)["issuer_name"] is None
    assert awards.row(block - 1, named=True)["award_id"] == f"urn:uuid:{block + 1:04d}"


def test_lines_orjson_refuses_are_quarantined_though_pyarrow_reads_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """pyarrow accepts a NaN literal and nesting 1,100 levels deep; orjson, and so the
    careful path, refuses both: rows 2 and 3 are quarantined as lines that are not JSON. The
    word "Infinity" inside a string (row 4) is no reason to refuse anything."""
    nan = orjson.dumps(_credential(2))[:-1] + b',"score":NaN}'
    deep = orjson.dumps(_credential(3))[:-1] + b',"x":' + b"[" * 1100 + b"]" * 1100 + b"}"
    words = _credential(4, description="Infinity and NaN, in words")
    path = _write(tmp_path, _ndjson(_credential(1), nan, deep, words))

    result = _assert_same(path, caplog)
    assert [q.row_number for q in result.quarantine] == [2, 3]
    assert all(q.reason.startswith("line is not valid JSON") for q in result.quarantine)
    assert result.tables["raw_badge_awards"]["row_number"].to_list() == [1, 4]


def test_values_are_stripped_and_dates_read_as_the_careful_path_does(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Row 1 is plain and read carefully (first of its achievement). Row 2, in bulk: padding
    of any character ``str.strip()`` removes (U+00A0, U+3000, U+001F) comes off the id and the
    issuer name. Rows 3 and 4: 2021-02-30 and year 0000 are no dates, quarantined. Row 5, in
    bulk: 2021-01-01T23:30:00-05:00 is issued 2021-01-01, the day as written. Row 6: issued
    next year, a note, so read carefully, and loaded."""
    padded = _credential(2, id="\u00a0urn:uuid:0002\u3000")
    padded["issuer"] = {**padded["issuer"], "name": "\x1fAcme "}
    offset = _credential(5, validFrom="2021-01-01T23:30:00-05:00")
    next_year = date.today().year + 1
    path = _write(
        tmp_path,
        _ndjson(
            _credential(1),
            padded,
            _credential(3, validFrom="2021-02-30T00:00:00Z"),
            _credential(4, validFrom="0000-01-01"),
            offset,
            _credential(6, validFrom=f"{next_year}-06-01"),
        ),
    )

    assert _bulk_split(path) == ([2, 5], [1, 3, 4, 6])
    result = _assert_same(path, caplog)
    assert [q.row_number for q in result.quarantine] == [3, 4]
    awards = result.tables["raw_badge_awards"].rows(named=True)
    assert [a["row_number"] for a in awards] == [1, 2, 5, 6]
    assert (awards[1]["award_id"], awards[1]["issuer_name"]) == ("urn:uuid:0002", "Acme")
    assert awards[2]["issued_on"] == date(2021, 1, 1)
    assert awards[3]["issued_on"] == date(next_year, 6, 1)


@pytest.mark.parametrize(
    "layout",
    ["crlf", "bom", "blank_lines", "indented_line", "two_on_one_line", "pretty_printed", "lone_cr"],
)
def test_odd_line_layouts_read_as_the_careful_path_reads_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, layout: str
) -> None:
    lines = [orjson.dumps(_credential(n)) for n in range(1, 7)]
    pretty = orjson.dumps(_credential(9), option=orjson.OPT_INDENT_2)
    data = {
        "crlf": b"\r\n".join(lines) + b"\r\n",
        "bom": b"\xef\xbb\xbf" + b"\n".join(lines),
        "blank_lines": b"\n".join([*lines[:2], b"", b"  \t", *lines[2:]]),
        "indented_line": b"\n".join([*lines[:3], b"  " + lines[3], *lines[4:]]),
        "two_on_one_line": b"\n".join([*lines[:3], lines[3] + lines[4], *lines[5:]]),
        "pretty_printed": b"\n".join([*lines[:3], pretty, *lines[3:]]),
        "lone_cr": b"\n".join([*lines[:3], lines[3].replace(b',"name"', b',\r"name"'), *lines[4:]]),
    }[layout]
    _assert_same(_write(tmp_path, data), caplog)


def _variant(kind: str, number: int) -> dict[str, Any] | bytes:
    """One credential changed in a way a real export might (or a broken one would)."""
    credential = _credential(number)
    subject = _subject(credential)
    ident = subject["identifier"][0]
    if kind == "plain":
        pass
    elif kind == "new_achievement":
        subject["achievement"] = {**subject["achievement"], "id": f"https://x.example/{number % 3}"}
        subject["achievement"]["name"] = f"Achievement {number}"
    elif kind == "nameless_achievement":
        subject["achievement"] = {**subject["achievement"], "id": "https://x.example/nameless"}
        del subject["achievement"]["name"]
        credential["name"] = f"Credential {number}"
    elif kind == "unhashed":
        ident.update(identityHash="Ana@Example.com", hashed=False)
    elif kind == "no_hashed_flag":
        del ident["hashed"]
    elif kind == "hash_without_prefix":
        ident["identityHash"] = "ab12"
    elif kind == "upper_prefix":
        ident["identityHash"] = "SHA256$AB12"
    elif kind == "url_identity":
        ident.update(identityType="url", identityHash="https://ana.example", hashed=False)
    elif kind == "employee_subject":
        subject["id"] = f"E{number}"
    elif kind == "email_subject":
        subject["id"] = "ana@example.com"
    elif kind == "no_vc_context":
        credential["@context"] = credential["@context"][1:]
    elif kind == "evidence_type":
        credential["evidence"] = [{"id": "https://e.example/1", "type": ["Proof"]}]
    elif kind == "subject_type":
        subject["type"] = ["Subject"]
    elif kind == "empty_achievement_id":
        subject["achievement"] = {**subject["achievement"], "id": "", "name": f"A{number}"}
    elif kind == "source":
        subject["source"] = {"id": "https://acme.example/hr", "type": ["Organization"]}
    elif kind == "result_description":
        subject["achievement"] = {**subject["achievement"], "resultDescription": [{"type": ["X"]}]}
    elif kind == "identifier_type":
        ident["type"] = "Email"
    elif kind == "other_identifier":
        credential["issuer"] = {**credential["issuer"], "otherIdentifier": [{"type": "Other"}]}
    elif kind == "unreadable_expiry":
        credential["validUntil"] = "soon"
    elif kind == "uri_subject":
        subject.update(id="did:example:ana", identifier=[])
    elif kind == "two_identifiers":
        subject["identifier"] = [{**ident, "identityType": "url"}, ident]
    elif kind == "expired":
        credential["validUntil"] = "2025-05-01"
    elif kind == "expires_first":
        credential["validUntil"] = "2020-01-01"
    elif kind == "vcdm1":
        credential["issuanceDate"] = credential.pop("validFrom")
        credential["expirationDate"] = "2030-01-01T00:00:00Z"
    elif kind == "bad_date":
        credential["validFrom"] = "May 1st"
    elif kind == "parent_org":
        credential["issuer"] = {**credential["issuer"], "parentOrg": {"type": ["Organization"]}}
    elif kind == "no_issuer_id":
        credential["issuer"] = {"type": ["Profile"], "name": "Anon"}
    elif kind == "endorsement":
        credential["type"] = ["VerifiableCredential", "EndorsementCredential"]
    elif kind == "revoked":
        credential.update(revoked=True, revocationReason="withdrawn")
    elif kind == "status":
        credential["credentialStatus"] = {
            "id": REVOCATIONS,
            "type": "1EdTechRevocationList",
        }
    elif kind == "evidence":
        credential["evidence"] = [
            {"type": ["Evidence"], "name": " Portfolio ", "narrative": "Built it"}
        ]
    elif kind == "two_evidence":
        credential["evidence"] = [{"id": "https://e/1", "type": ["Evidence"]}, {"narrative": "n"}]
    elif kind == "proof":
        credential["proof"] = [{"verificationMethod": "did:key:z6Mk#z6Mk"}]
    elif kind == "odd_proof":
        credential["proof"] = [{"verificationMethod": "did:unknown:1"}]
    elif kind == "result":
        subject["result"] = [{"type": ["Score"]}]
    elif kind == "padded":
        credential["id"] = f"\x1c urn:uuid:{number}\u2003"
        ident.update(identityType="\u00a0EMAIL", salt="\x1f")
    elif kind == "narrative":
        subject["narrative"] = "  Built a parser  "
    elif kind == "no_id":
        del credential["id"]
    elif kind == "issuer_url":
        credential["issuer"] = "https://acme.example/issuer"
    elif kind == "broken":
        return b'{"id": "urn:uuid:broken", "type": ['
    return credential


_KINDS = [
    "plain",
    "new_achievement",
    "nameless_achievement",
    "unhashed",
    "no_hashed_flag",
    "hash_without_prefix",
    "upper_prefix",
    "url_identity",
    "employee_subject",
    "email_subject",
    "no_vc_context",
    "evidence_type",
    "subject_type",
    "empty_achievement_id",
    "source",
    "result_description",
    "identifier_type",
    "other_identifier",
    "unreadable_expiry",
    "uri_subject",
    "two_identifiers",
    "expired",
    "expires_first",
    "vcdm1",
    "bad_date",
    "parent_org",
    "no_issuer_id",
    "endorsement",
    "revoked",
    "status",
    "evidence",
    "two_evidence",
    "proof",
    "odd_proof",
    "result",
    "narrative",
    "padded",
    "no_id",
    "issuer_url",
    "broken",
]


def _revocation_list(folder: Path, count: int) -> None:
    """A 1EdTech revocation list in the inbox naming credentials urn:uuid:0000 to count - 1."""
    listed = [{"id": f"urn:uuid:{n:04d}"} for n in range(count)]
    _write(folder, orjson.dumps({"revokedCredentials": listed}), "revocations.json")


@pytest.mark.parametrize("kind", _KINDS)
def test_each_kind_of_credential_loads_as_the_careful_path_loads_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    """Twice, after a plain credential: a first time (for a new achievement, read carefully)
    and a second time (read in bulk unless the kind itself needs the careful path)."""
    _revocation_list(tmp_path, 3)
    lines = [_credential(0), _variant(kind, 1), _variant(kind, 2)]
    _assert_same(_write(tmp_path, _ndjson(*lines)), caplog)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kinds=st.lists(st.sampled_from(_KINDS), min_size=1, max_size=12))
def test_any_mix_of_credentials_loads_as_the_careful_path_loads_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, kinds: list[str]
) -> None:
    """Each drawn variant follows a plain credential, so a file always starts in bulk shape.
    The inbox holds a 1EdTech revocation list naming every credential id used here."""
    _revocation_list(tmp_path, len(kinds) + 1)
    lines = [_credential(0)] + [_variant(kind, n) for n, kind in enumerate(kinds, start=1)]
    _assert_same(_write(tmp_path, _ndjson(*copy.deepcopy(lines))), caplog)
