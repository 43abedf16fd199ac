"""The Open Badges 2.0 loader on small files written in the tests (shapes from the OB 2.0 spec)."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import ValidationError

from etl.models import BadgeAward, describe_validation_error
from etl.sources import open_badges_v2
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from etl.sources.documents import DocumentIndex, index_for
from skillboard.settings import load_settings

CONTEXT = "https://w3id.org/openbadges/v2"
CLASS_URL = "https://example.org/robotics-badge.json"
ISSUER_URL = "https://example.org/organization.json"


def badge_class(**extra: Any) -> dict[str, Any]:
    """The spec's BadgeClass example (block 02) with its alignment, as valid JSON."""
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": CLASS_URL,
        "name": "Awesome Robotics Badge",
        "description": "For doing awesome things with robots.",
        "criteria": "https://example.org/robotics-badge.html",
        "issuer": ISSUER_URL,
        "alignment": [
            {
                "targetName": "CCSS.ELA-Literacy.RST.11-12.3",
                "targetUrl": "http://www.corestandards.org/ELA-Literacy/RST/11-12/3",
                "targetDescription": "Follow precisely a complex multistep procedure.",
                "targetCode": "CCSS.ELA-Literacy.RST.11-12.3",
            },
            {
                "targetName": "Problem-Solving",
                "targetUrl": "https://learning.mozilla.org/web-literacy/skills#problem-solving",
                "targetFramework": "Mozilla 21st Century Skills",
            },
        ],
        **extra,
    }


def assertion(number: int = 1, **extra: Any) -> dict[str, Any]:
    """The spec's Assertion example (block 01), numbered."""
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": f"https://example.org/assertions/{number}",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "deadsea",
            "identity": "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5",
        },
        "issuedOn": "2016-12-31T23:59:59Z",
        "badge": CLASS_URL,
        "verification": {"type": "hosted"},
    }
    doc.update(extra)
    return doc


ISSUER = {"@context": CONTEXT, "type": "Issuer", "id": ISSUER_URL, "name": "An Example Issuer"}


def write_json(path: Path, value: Any) -> Path:
    path.write_bytes(orjson.dumps(value))
    return path


def write_ndjson(path: Path, lines: list[Any]) -> Path:
    path.write_bytes(
        b"\n".join(line if isinstance(line, bytes) else orjson.dumps(line) for line in lines)
        + b"\n"
    )
    return path


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """An inbox holding the badge class and its issuer as their own files."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_json(folder / "robotics-badge.json", badge_class())
    write_json(folder / "organization.json", ISSUER)
    return folder


def context(inbox: Path, **badges: object) -> LoadContext:
    settings = load_settings()
    if badges:
        settings = settings.model_copy(update={"badges": settings.badges.model_copy(update=badges)})
    return LoadContext(settings=settings, inbox=inbox)


def load(path: Path, inbox: Path | None = None) -> LoadResult:
    result = open_badges_v2.load(path, context(inbox or path.parent))
    assert result.rows_read == result.loaded + len(result.quarantine)
    return result


def awards(result: LoadResult) -> list[dict[str, Any]]:
    return result.tables["raw_badge_awards"].to_dicts()


def test_referenced_badge_class_and_issuer_resolve_from_other_inbox_files(inbox: Path) -> None:
    """The assertion names the class by URL; the class names the issuer by URL; both files are
    in the inbox, so the award carries the class and issuer names."""
    result = load(write_json(inbox / "award.json", assertion()))
    (award,) = awards(result)
    assert award["badge_class_id"] == CLASS_URL
    assert award["badge_name"] == "Awesome Robotics Badge"
    assert (award["issuer_id"], award["issuer_name"]) == (ISSUER_URL, "An Example Issuer")
    assert award["issued_on"] == date(2016, 12, 31)
    assert award["status"] is None and award["revoked"] is False


def test_alignments_of_a_seen_class_become_rows_without_target_description(inbox: Path) -> None:
    """Two alignment objects -> two raw_alignments rows; the framework only on the second."""
    result = load(write_json(inbox / "award.json", assertion()))
    alignments = result.tables["raw_alignments"].to_dicts()
    assert [(a["target_name"], a["target_framework"]) for a in alignments] == [
        ("CCSS.ELA-Literacy.RST.11-12.3", None),
        ("Problem-Solving", "Mozilla 21st Century Skills"),
    ]
    assert {a["badge_class_id"] for a in alignments} == {CLASS_URL}
    assert "target_description" not in result.tables["raw_alignments"].columns


def test_unresolvable_badge_quarantines_the_award_with_what_to_do(tmp_path: Path) -> None:
    """No class file in the inbox: the award is quarantined, nothing crashes."""
    result = load(write_json(tmp_path / "award.json", assertion()))
    assert result.loaded == 0
    assert result.quarantine[0].reason == (
        f"badge class {CLASS_URL} is not in the inbox: add its JSON file, "
        "or set badges.allow_network = true"
    )
    assert result.quarantine[0].row_number == 1


def test_ndjson_bad_line_is_quarantined_with_its_line_number(inbox: Path) -> None:
    """Lines: 1 good, 2 broken JSON, 3 blank (skipped, not a row), 4 good, 5 an array.
    Read 4 units: 2 loaded, 2 quarantined (lines 2 and 5)."""
    path = write_ndjson(
        inbox / "awards.ndjson",
        [assertion(1), b'{"type": "Assertion", "id": ', b"", assertion(4), [1, 2]],
    )
    result = load(path)
    assert (result.rows_read, result.loaded) == (4, 2)
    assert [q.row_number for q in result.quarantine] == [2, 5]
    assert result.quarantine[0].reason.startswith("line 2 is not valid JSON")
    assert result.quarantine[1].reason == "a JSON array is not an Open Badges document"
    assert [a["row_number"] for a in awards(result)] == [1, 4]


def test_ndjson_with_a_broken_first_line_is_still_read_line_by_line(inbox: Path) -> None:
    """The first line cannot be parsed, the second can: NDJSON, not a rejected document."""
    path = write_ndjson(inbox / "awards.ndjson", [b"{oops", assertion(2), assertion(3)])
    result = load(path)
    assert (result.rows_read, result.loaded, result.quarantine[0].row_number) == (3, 2, 1)


def test_json_array_elements_are_rows_and_bad_ones_are_quarantined(inbox: Path) -> None:
    """Element 2 has no recipient, element 3 a date that is not a date: 1 loaded, 2 held."""
    bad_date = assertion(3, issuedOn="yesterday")
    no_recipient = assertion(2)
    del no_recipient["recipient"]
    result = load(write_json(inbox / "awards.json", [assertion(1), no_recipient, bad_date]))
    assert (result.rows_read, result.loaded) == (3, 1)
    reasons = {q.row_number: q.reason for q in result.quarantine}
    assert reasons[2] == "recipient is missing: no identity and no employee id"
    assert reasons[3].startswith("issuedOn 'yesterday' is not a date")


def test_expiry_before_issue_is_quarantined_and_future_issue_loads(inbox: Path) -> None:
    """expires 2016-01-01 < issuedOn 2016-12-31 -> quarantined; issuedOn 2100 loads as is."""
    result = load(
        write_json(
            inbox / "awards.json",
            [assertion(1, expires="2016-01-01"), assertion(2, issuedOn="2100-01-01")],
        )
    )
    assert result.quarantine[0].reason == "expires 2016-01-01 is before issuedOn 2016-12-31"
    assert [a["issued_on"] for a in awards(result)] == [date(2100, 1, 1)]


def test_open_badges_1_0_epoch_seconds_and_verify_url(inbox: Path) -> None:
    """1.0: issuedOn 1430352000 (Unix seconds) = 2015-04-30; no id, so the hosted verify URL
    names the award; plain email identity, not hashed."""
    doc = {
        "uid": "123abc",
        "recipient": {"identity": "test@example.com", "hashed": False, "type": "email"},
        "badge": CLASS_URL,
        "issuedOn": 1430352000,
        "verify": {"type": "hosted", "url": "http://a.com/instance"},
    }
    (award,) = awards(load(write_json(inbox / "old.json", doc)))
    assert award["issued_on"] == date(2015, 4, 30)
    assert (award["award_id"], award["source_format"]) == ("http://a.com/instance", "ob1")
    assert (award["recipient_identity"], award["recipient_hashed"]) == ("test@example.com", False)


def test_hash_in_capitals_is_stored_in_lower_case(inbox: Path) -> None:
    """SQL compares with lower-case hex, so SHA256$ABCDEF becomes sha256$abcdef."""
    recipient = {"type": "email", "hashed": True, "salt": "x", "identity": "SHA256$ABCDEF"}
    (award,) = awards(load(write_json(inbox / "a.json", assertion(recipient=recipient))))
    assert award["recipient_identity"] == "sha256$abcdef"


def test_hashed_identity_without_prefix_is_quarantined(inbox: Path) -> None:
    recipient = {"type": "email", "hashed": True, "salt": "x", "identity": "abcdef"}
    result = load(write_json(inbox / "a.json", assertion(recipient=recipient)))
    assert result.quarantine[0].reason == (
        "recipient.identity 'abcdef' is marked hashed but has no 'sha256$' or 'md5$' prefix"
    )


def test_revoked_flag_reason_evidence_and_narrative(inbox: Path) -> None:
    """revoked: true with its reason; two evidence objects become a JSON list of their ids."""
    doc = assertion(
        revoked=True,
        revocationReason="Issued in error.",
        narrative="Built a robot.",
        evidence=[{"id": "https://e.org/1", "name": "one"}, {"id": "https://e.org/2"}],
    )
    (award,) = awards(load(write_json(inbox / "a.json", doc)))
    assert (award["revoked"], award["revocation_reason"]) == (True, "Issued in error.")
    assert orjson.loads(award["evidence"]) == ["https://e.org/1", "https://e.org/2"]
    assert award["narrative"] == "Built a robot."


def test_wrong_type_in_a_field_is_quarantined_naming_the_field(tmp_path: Path) -> None:
    """An embedded badge whose name is a number: the award says which field and value."""
    doc = assertion(badge={"id": "urn:b", "type": "BadgeClass", "name": 42, "issuer": "urn:i"})
    result = load(write_json(tmp_path / "a.json", doc))
    assert result.quarantine[0].reason.startswith("badge.name 42:")


def test_embedded_class_is_one_class_row_however_many_awards_embed_it(tmp_path: Path) -> None:
    """Three awards embedding the same class id -> 3 awards, 1 class row, 2 alignment rows;
    a later reference by URL in the same file reuses the embedded copy."""
    embedded = badge_class(issuer={"id": ISSUER_URL, "type": "Profile", "name": "Embedded"})
    lines = [assertion(n, badge=embedded) for n in (1, 2, 3)] + [assertion(4)]
    result = load(write_ndjson(tmp_path / "a.ndjson", lines))
    assert (result.loaded, result.tables["raw_badge_classes"].height) == (4, 1)
    assert result.tables["raw_alignments"].height == 2
    assert {a["issuer_name"] for a in awards(result)} == {"Embedded"}


def test_mocked_http_file_serves_the_document_at_its_url(tmp_path: Path) -> None:
    """A class file written as 'URL, blank line, JSON' (no id inside) resolves by that URL."""
    body = badge_class()
    del body["id"]
    (tmp_path / "class.json").write_bytes(CLASS_URL.encode() + b"\n\n" + orjson.dumps(body))
    (award,) = awards(load(write_json(tmp_path / "a.json", assertion())))
    assert award["badge_name"] == "Awesome Robotics Badge"


def test_document_index_is_built_once_per_context(inbox: Path) -> None:
    """Two files loaded with one context share one index object (built on first lookup)."""
    ctx = context(inbox)
    open_badges_v2.load(write_json(inbox / "a.json", assertion(1)), ctx)
    index = index_for(ctx)
    open_badges_v2.load(write_json(inbox / "b.json", assertion(2)), ctx)
    assert index_for(ctx) is index
    assert isinstance(index, DocumentIndex) and index.size >= 2


def test_revocation_list_entries_are_rows_and_an_entry_without_id_is_quarantined(
    tmp_path: Path,
) -> None:
    """Entries: an id, an object with id and reason, an object with neither id nor uid."""
    doc = {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": "https://example.org/revocations.json",
        "revokedAssertions": ["urn:uuid:1", {"id": "urn:uuid:2", "revocationReason": "Cheat"}, {}],
    }
    result = load(write_json(tmp_path / "r.json", doc))
    rows = result.tables["raw_revocations"].to_dicts()
    assert [(r["award_id"], r["reason"]) for r in rows] == [
        ("urn:uuid:1", None),
        ("urn:uuid:2", "Cheat"),
    ]
    assert (result.rows_read, result.loaded, len(result.quarantine)) == (3, 2, 1)


def test_compact_jws_file_loads_its_payload(inbox: Path) -> None:
    """An unsigned-looking token (signature bytes irrelevant without keys_dir) -> its payload."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    token = ".".join([b64(b'{"alg":"RS256"}'), b64(orjson.dumps(assertion(7))), b64(b"signature")])
    (inbox / "signed.jws").write_text(token)
    (award,) = awards(load(inbox / "signed.jws"))
    assert award["award_id"] == "https://example.org/assertions/7"


@pytest.mark.parametrize(
    ("content", "keyword"),
    [
        (b'{"type": "Assertion",}', "not valid JSON: trailing comma"),
        (b"hello, world", "not JSON, NDJSON or a compact JWS"),
        (b"   \n", "the file is empty"),
        (b'{"a": "line\nbreak"}', "not valid JSON"),
    ],
)
def test_files_that_are_not_json_are_rejected_with_a_reason(
    tmp_path: Path, content: bytes, keyword: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=keyword):
        open_badges_v2.load(path, context(tmp_path))


def test_parse_document_gives_the_four_tables_for_one_baked_assertion(inbox: Path) -> None:
    """What the baked-image loader gets: a LoadResult with one award row numbered 1."""
    result = open_badges_v2.parse_document(assertion(), context(inbox), origin="badge.png")
    assert isinstance(result, LoadResult)
    assert set(result.tables) == {
        "raw_badge_awards",
        "raw_badge_classes",
        "raw_alignments",
        "raw_revocations",
    }
    (award,) = awards(result)
    assert (award["row_number"], award["badge_name"]) == (1, "Awesome Robotics Badge")


def probe(path: Path, content: bytes) -> Probe:
    return Probe(path, content[:65536])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (orjson.dumps(assertion()), True),
        (orjson.dumps([assertion(1), assertion(2)]), True),
        (orjson.dumps(assertion()) + b"\n" + orjson.dumps(assertion(2)) + b"\n", True),
        (orjson.dumps({"recipient": "a@b.org", "badge": {"name": "x"}}), True),  # 0.5 shape
        (orjson.dumps({"type": "BadgeClass", "id": "x", "name": "y"}), True),
        (
            orjson.dumps(
                {
                    "@context": ["https://www.w3.org/ns/credentials/v2"],
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                    "credentialSubject": {},
                }
            ),
            False,
        ),
        (b"employee_id,email\n1,a@b.org\n", False),
        (orjson.dumps({"name": "not a badge"}), False),
    ],
)
def test_detect_recognises_open_badges_2_content(
    tmp_path: Path, content: bytes, expected: bool
) -> None:
    assert open_badges_v2.detect(probe(tmp_path / "x.json", content)) is expected


def test_detect_on_a_head_cut_mid_document(tmp_path: Path) -> None:
    """A 200 KB pretty-printed array: the 64 KiB head is not parseable JSON on its own."""
    content = orjson.dumps([assertion(n) for n in range(1000)], option=orjson.OPT_INDENT_2)
    assert len(content) > 65536
    assert open_badges_v2.detect(probe(tmp_path / "big.json", content))


def test_badge_award_model_words_reasons_with_the_file_s_names() -> None:
    """The same model serves every loader; OB 2.0 passes its property names as labels."""
    with pytest.raises(ValidationError) as raised:
        BadgeAward.model_validate(
            {
                "award_id": "a",
                "source_format": "ob2",
                "recipient_identity": "x@y.org",
                "issued_on": "2020-02-30",
            },
            context={"labels": open_badges_v2.OB2_LABELS},
        )
    message = describe_validation_error(raised.value, open_badges_v2.OB2_LABELS)
    assert message == "issuedOn '2020-02-30' is not a date"


def test_one_signed_assertion_per_line_is_read_line_by_line(inbox: Path) -> None:
    """Two compact JWS tokens on two lines -> two awards, rows 1 and 2."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(b'{"alg":"RS256"}')
    tokens = [f"{header}.{b64(orjson.dumps(assertion(n)))}.{b64(b'sig')}" for n in (1, 2)]
    path = inbox / "signed.txt"
    path.write_text("\n".join(tokens) + "\n")
    assert open_badges_v2.detect(probe(path, path.read_bytes()))
    result = load(path)
    assert [a["row_number"] for a in awards(result)] == [1, 2]
