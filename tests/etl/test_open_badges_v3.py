"""Open Badges 3.0 loader on small hand-written credentials: shapes, dates, recipients, status.

Every credential below starts from ``_credential()`` (built by
:mod:`tests.etl.ob3_credentials`): a VCDM 2 OpenBadgeCredential issued 2024-05-01 by
https://acme.example/issuer for achievement https://acme.example/a/python ("Python
Foundations", one ESCO alignment), to credentialSubject.id "E123".
"""

from __future__ import annotations

import base64
import copy
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.sources import open_badges_v3
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from skillboard.settings import load_settings
from tests.etl.ob3_credentials import ob3_credential

OB3_INSPECTOR = (
    Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "ob3_inspector"
)
IN_CI = os.environ.get("CI") == "true"


def _credential(**changes: Any) -> dict[str, Any]:
    return ob3_credential(subject_id="E123", framework="ESCO", **changes)


def _write(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _load(path: Path, **badges: Any) -> LoadResult:
    ctx = LoadContext(settings=load_settings(badges=badges or None), inbox=path.parent)
    return open_badges_v3.load(path, ctx)


def _award(result: LoadResult, index: int = 0) -> dict[str, Any]:
    return result.tables["raw_badge_awards"].row(index, named=True)


def _jwt(payload: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).rstrip(b"=").decode()

    return f"{part(header or {'alg': 'none', 'typ': 'JWT'})}.{part(payload)}.c2ln"


def test_vcdm2_credential_gives_award_class_and_alignment(tmp_path: Path) -> None:
    """validFrom 2024-05-01T09:30:00Z -> issued_on 2024-05-01; a plain subject id "E123" is an
    employee id as well as the recipient identity (type "id")."""
    result = _load(_write(tmp_path, "c.json", orjson.dumps(_credential())))
    assert (result.loader, result.rows_read, result.loaded) == ("open_badges_v3", 1, 1)
    award = _award(result)
    assert award["award_id"] == "urn:uuid:0001"
    assert award["source_format"] == "ob3"
    assert award["badge_class_id"] == "https://acme.example/a/python"
    assert (award["issuer_id"], award["issuer_name"]) == ("https://acme.example/issuer", "Acme")
    assert award["issued_on"] == date(2024, 5, 1)
    assert award["expires_on"] is None
    assert (award["recipient_type"], award["recipient_identity"]) == ("id", "E123")
    assert award["recipient_employee_id"] == "E123"
    badge_class = result.tables["raw_badge_classes"].row(0, named=True)
    assert (badge_class["name"], badge_class["criteria"]) == ("Python Foundations", "Pass the exam")
    alignment = result.tables["raw_alignments"].row(0, named=True)
    assert (alignment["target_framework"], alignment["target_code"]) == ("ESCO", "ccd0a1d9")


def test_vcdm11_dates_and_a_did_subject_are_read(tmp_path: Path) -> None:
    """issuanceDate / expirationDate are the VCDM 1.1 names; a DID subject is not an employee id."""
    credential = _credential(issuanceDate="2023-01-15T00:00:00Z", expirationDate="2026-01-15")
    del credential["validFrom"]
    credential["@context"][0] = "https://www.w3.org/2018/credentials/v1"
    credential["credentialSubject"]["id"] = "did:example:abc"
    award = _award(_load(_write(tmp_path, "c.json", orjson.dumps(credential))))
    assert (award["issued_on"], award["expires_on"]) == (date(2023, 1, 15), date(2026, 1, 15))
    assert award["recipient_employee_id"] is None
    assert award["recipient_identity"] == "did:example:abc"


def test_hashed_identifier_keeps_prefix_and_salt(tmp_path: Path) -> None:
    credential = _credential()
    credential["credentialSubject"]["identifier"] = [
        {
            "type": "IdentityObject",
            "identityHash": "sha256$c7ef86405ba71b85acd8e2e95166c4b1"
            "11448089f2e1599f42fe1bba46e865c5",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": "deadsea",
        }
    ]
    award = _award(_load(_write(tmp_path, "c.json", orjson.dumps(credential))))
    assert award["recipient_type"] == "email"
    assert award["recipient_identity"].startswith("sha256$c7ef8640")
    assert (award["recipient_hashed"], award["recipient_salt"]) == (True, "deadsea")


def test_array_and_ndjson_count_each_credential(tmp_path: Path) -> None:
    """NDJSON of three lines, the second broken: read 3, loaded 2, row 2 quarantined."""
    lines = [
        orjson.dumps(_credential(id="urn:1")),
        b'{"id": "urn:2", "type": [',
        orjson.dumps(_credential(id="urn:3")),
    ]
    result = _load(_write(tmp_path, "c.ndjson", b"\n".join(lines) + b"\n"))
    assert (result.rows_read, result.loaded) == (3, 2)
    assert result.quarantine[0].row_number == 2
    assert "not valid JSON" in result.quarantine[0].reason
    assert result.quarantine[0].raw == {"line": '{"id": "urn:2", "type": ['}
    array = _load(_write(tmp_path, "a.json", orjson.dumps([_credential(id="urn:a"), 7])))
    assert (array.rows_read, array.loaded) == (2, 1)
    assert "not a credential object" in array.quarantine[0].reason


def test_badge_class_is_written_once_per_achievement(tmp_path: Path) -> None:
    payload = orjson.dumps([_credential(id=f"urn:{i}") for i in range(3)])
    result = _load(_write(tmp_path, "a.json", payload))
    assert result.tables["raw_badge_awards"].height == 3
    assert result.tables["raw_badge_classes"].height == 1
    assert result.tables["raw_alignments"].height == 1


def test_vc_jwt_bare_payload_takes_registered_claims_for_gaps(tmp_path: Path) -> None:
    """VCDM 2 payload without id/issuer/dates/subject id: jti, iss, nbf 1704067200
    (2024-01-01), exp 1767225600 (2026-01-01) and sub fill them."""
    credential = _credential()
    for key in ("id", "issuer", "validFrom"):
        del credential[key]
    del credential["credentialSubject"]["id"]
    payload = {
        **credential,
        "jti": "urn:jwt:1",
        "iss": "https://acme.example/issuer",
        "nbf": 1704067200,
        "exp": 1767225600,
        "sub": "E777",
    }
    result = _load(_write(tmp_path, "c.jwt", _jwt(payload) + "\n"))
    award = _award(result)
    assert award["award_id"] == "urn:jwt:1"
    assert award["issuer_id"] == "https://acme.example/issuer"
    assert (award["issued_on"], award["expires_on"]) == (date(2024, 1, 1), date(2026, 1, 1))
    assert award["recipient_employee_id"] == "E777"


def test_vc_jwt_vc_claim_wins_over_registered_claims(tmp_path: Path) -> None:
    """A VCDM 1.1 ``vc`` claim with its own issuanceDate 2023-03-03 keeps it over nbf."""
    credential = _credential(issuanceDate="2023-03-03T00:00:00Z")
    del credential["validFrom"]
    token = _jwt({"vc": credential, "nbf": 1704067200, "jti": "urn:other"})
    award = _award(_load(_write(tmp_path, "c.jwt", token)))
    assert (award["award_id"], award["issued_on"]) == ("urn:uuid:0001", date(2023, 3, 3))


def test_revoked_true_marks_the_award_revoked(tmp_path: Path) -> None:
    result = _load(_write(tmp_path, "c.json", orjson.dumps(_credential(revoked=True))))
    assert _award(result)["revoked"] is True
    assert result.tables["raw_revocations"].row(0, named=True)["award_id"] == "urn:uuid:0001"


def test_1edtech_revocation_list_in_inbox_revokes_listed_credentials(tmp_path: Path) -> None:
    """The list names urn:uuid:0001 (reason "left the program") and urn:uuid:0002 with
    ``revoked: false``; it is found by its id although saved as revocations.json."""
    url = "https://acme.example/revocations/list-1"
    status = {"id": url, "type": "1EdTechRevocationList"}
    _write(
        tmp_path,
        "revocations.json",
        orjson.dumps(
            {
                "id": url,
                "revokedCredentials": [
                    {"id": "urn:uuid:0001", "revocationReason": "left the program"},
                    {"id": "urn:uuid:0002", "revoked": False},
                ],
            }
        ),
    )
    payload = orjson.dumps(
        [
            _credential(credentialStatus=status),
            _credential(id="urn:uuid:0002", credentialStatus=status),
            _credential(id="urn:uuid:0003", credentialStatus=status),
        ]
    )
    result = _load(_write(tmp_path, "awards.json", payload))
    rows = result.tables["raw_badge_awards"].select("award_id", "revoked", "revocation_reason")
    assert rows.rows() == [
        ("urn:uuid:0001", True, "left the program"),
        ("urn:uuid:0002", False, None),
        ("urn:uuid:0003", False, None),
    ]


def test_status_list_not_in_inbox_leaves_award_unrevoked(tmp_path: Path) -> None:
    status = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "3",
        "statusListCredential": "https://nowhere.invalid/lists/7",
    }
    result = _load(_write(tmp_path, "c.json", orjson.dumps(_credential(credentialStatus=status))))
    assert _award(result)["revoked"] is False


def _status_list(bits_set: list[int], size: int = 16384) -> dict[str, Any]:
    import gzip

    raw = bytearray(size)
    for index in bits_set:
        raw[index // 8] |= 0x80 >> (index % 8)
    encoded = base64.urlsafe_b64encode(gzip.compress(bytes(raw))).rstrip(b"=").decode()
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "https://acme.example/status/1",
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "https://acme.example/issuer",
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": "u" + encoded,
        },
    }


def test_bitstring_list_saved_under_its_url_name_revokes_set_bits(tmp_path: Path) -> None:
    """Bits 5 and 9 set; credentials at indexes 5 and 6: only the first is revoked. The list file
    is named after the URL's last segment (``list-42``) and its own id differs, as in the
    1EdTech inspector's ``testlist``."""
    _write(tmp_path, "list-42", orjson.dumps(_status_list([5, 9])))

    def entry(index: int) -> dict[str, Any]:
        return {
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": "https://lists.example/status/list-42",
        }

    payload = orjson.dumps(
        [
            _credential(id="urn:5", credentialStatus=entry(5)),
            _credential(id="urn:6", credentialStatus=entry(6)),
        ]
    )
    result = _load(_write(tmp_path, "awards.json", payload))
    assert result.tables["raw_badge_awards"].get_column("revoked").to_list() == [True, False]
    list_result = _load(tmp_path / "list-42")
    assert (list_result.loader, list_result.rows_read) == ("open_badges_v3:status_list", 0)


def test_expiry_before_issue_is_quarantined_in_the_models_words(tmp_path: Path) -> None:
    credential = _credential(validUntil="2024-04-30T00:00:00Z")
    result = _load(_write(tmp_path, "c.json", orjson.dumps(credential)))
    assert (result.rows_read, result.loaded) == (1, 0)
    assert result.quarantine[0].reason == (
        "validUntil/expirationDate 2024-04-30 is before validFrom/issuanceDate 2024-05-01"
    )
    assert result.quarantine[0].raw["id"] == "urn:uuid:0001"


@pytest.mark.parametrize(
    ("changes", "keyword"),
    [
        ({"validFrom": "2024-13-45"}, "validFrom '2024-13-45' is not a date"),
        ({"validFrom": None}, "no issue date"),
        ({"issuer": {"name": "No id"}}, "no issuer"),
        ({"credentialSubject": "E1"}, "no credentialSubject"),
    ],
)
def test_uncountable_credentials_are_quarantined_with_reason(
    tmp_path: Path, changes: dict[str, Any], keyword: str
) -> None:
    result = _load(_write(tmp_path, "c.json", orjson.dumps(_credential(**changes))))
    assert (result.rows_read, result.loaded) == (1, 0)
    assert keyword in result.quarantine[0].reason


@pytest.mark.parametrize(
    ("content", "keyword"),
    [
        (b"", "is empty"),
        (b"{ not json", "not valid JSON"),
        (b"\xff\xfe garbage", "not UTF-8"),
        (b"hello, world", "neither JSON"),
        (b'{"@context": "https://purl.imsglobal.org/spec/ob/v3p0/x", "type": "Thing"}', "holds no"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(
    tmp_path: Path, content: bytes, keyword: str
) -> None:
    with pytest.raises(FileRejected, match=keyword):
        _load(_write(tmp_path, "c.json", content))


def test_detect_is_by_content_not_by_name(tmp_path: Path) -> None:
    ob3 = _write(tmp_path, "export.txt", orjson.dumps(_credential()))
    ob2 = _write(
        tmp_path,
        "assertion.json",
        b'{"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "x"}',
    )
    roster = _write(tmp_path, "roster.csv", b"EmployeeID,Email\n1,a@b.c\n")
    jwt = _write(tmp_path, "token.txt", _jwt(_credential()))

    def detect(path: Path) -> bool:
        return open_badges_v3.detect(Probe(path=path, head=path.read_bytes()[:65536]))

    assert detect(ob3) and detect(jwt)
    assert not detect(ob2) and not detect(roster)


@pytest.mark.skipif(not OB3_INSPECTOR.is_dir() and not IN_CI, reason="conformance files absent")
def test_jwt_signature_is_checked_with_a_local_key(tmp_path: Path) -> None:
    """simple-jwt.svg's token carries its RSA public key as a ``jwk`` header; saved in keys_dir
    it verifies the token, and a token whose payload was altered is quarantined."""
    svg = (OB3_INSPECTOR / "simple-jwt.svg").read_text()
    token = svg.split('verify="', 1)[1].split('"', 1)[0]
    header = orjson.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    keys = tmp_path / "keys"
    keys.mkdir()
    _write(keys, "issuer.jwk.json", orjson.dumps(header["jwk"]))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = _load(_write(inbox, "good.jwt", token), keys_dir=keys)
    assert (good.rows_read, good.loaded) == (1, 1)
    head, payload, signature = token.split(".")
    claims = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Forged Badge"
    forged_payload = base64.urlsafe_b64encode(orjson.dumps(claims)).rstrip(b"=").decode()
    forged = _load(
        _write(inbox, "forged.jwt", f"{head}.{forged_payload}.{signature}"), keys_dir=keys
    )
    assert (forged.rows_read, forged.loaded) == (1, 0)
    assert "signature does not verify" in forged.quarantine[0].reason


# --------------------------------------------------------------------------------------------
# property: mangled input never escapes as anything but FileRejected, and counts always add up

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
_KEYS = [
    "@context",
    "id",
    "type",
    "issuer",
    "validFrom",
    "validUntil",
    "issuanceDate",
    "credentialSubject",
    "credentialStatus",
    "revoked",
    "proof",
    "evidence",
]


def _mangle_value(credential: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(credential)
    changed[key] = value
    return changed


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    key=st.sampled_from(_KEYS),
    value=_JSON_VALUES,
    subject_key=st.sampled_from(["id", "identifier", "achievement", "type"]),
    subject_value=_JSON_VALUES,
)
def test_any_field_value_is_loaded_or_quarantined(
    tmp_path: Path, key: str, value: Any, subject_key: str, subject_value: Any
) -> None:
    credential = _mangle_value(_credential(), key, value)
    if isinstance(credential.get("credentialSubject"), dict):
        credential["credentialSubject"][subject_key] = subject_value
    # json, not orjson: hypothesis makes integers beyond 64 bits, which files can hold too
    path = _write(tmp_path, "c.json", json.dumps([credential, _credential()]))
    _assert_rejected_or_counted(path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cut=st.integers(min_value=0, max_value=2000),
    insert=st.binary(max_size=8),
    ndjson=st.booleans(),
)
def test_mangled_bytes_are_rejected_or_counted(
    tmp_path: Path, cut: int, insert: bytes, ndjson: bool
) -> None:
    lines = [orjson.dumps(_credential(id=f"urn:{i}")) for i in range(3)]
    data = b"\n".join(lines) if ndjson else orjson.dumps([_credential()])
    cut %= len(data) + 1
    path = _write(tmp_path, "c.json", data[:cut] + insert + data[cut + len(insert) :])
    _assert_rejected_or_counted(path)


def _assert_rejected_or_counted(path: Path) -> None:
    try:
        result = _load(path)
    except FileRejected as exc:
        assert str(exc)
        return
    assert result.rows_read == result.loaded + len(result.quarantine)
    assert all(q.reason for q in result.quarantine)
    awards = result.tables.get("raw_badge_awards")
    assert (awards.height if awards is not None else 0) == result.loaded


def test_inline_context_object_beside_the_urls_is_accepted(tmp_path: Path) -> None:
    """Real credentials often list an inline context object after the URLs. In a file, in an
    NDJSON export (three lines, the bulk path's input) and alone without the W3C URL:
    the first two load every credential (1, then 3 of 3); a context holding only an object
    is quarantined for lacking the W3C context, not rejected with a crash."""
    inline = {"@vocab": "https://acme.example/vocab#"}
    contexts = [*_credential()["@context"], inline]
    one = _load(_write(tmp_path, "c.json", orjson.dumps(_credential(**{"@context": contexts}))))
    assert (one.rows_read, one.loaded, len(one.quarantine)) == (1, 1, 0)

    lines = b"\n".join(
        orjson.dumps(_credential(id=f"urn:uuid:{n}", **{"@context": contexts})) for n in range(3)
    )
    many = _load(_write(tmp_path, "c.ndjson", lines + b"\n"))
    assert (many.rows_read, many.loaded, len(many.quarantine)) == (3, 3, 0)

    alone = _load(_write(tmp_path, "d.json", orjson.dumps(_credential(**{"@context": inline}))))
    assert (alone.rows_read, alone.loaded, len(alone.quarantine)) == (1, 0, 1)
    assert "@context lacks the W3C credentials context" in alone.quarantine[0].reason
