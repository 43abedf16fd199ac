"""The Open Badges 2.0 loader against the published conformance files, file by file.

Each folder is loaded as its own inbox (references resolve only among its files), exactly as a
user dropping that folder into the inbox would see it. The table says, per file, what must
happen and why:

- ``Award``: one ``raw_badge_awards`` row with these values.
- ``ClassOnly``: a BadgeClass document: one ``raw_badge_classes`` row, no award.
- ``Revocations``: a RevocationList (or a revoked hosted-assertion reply): these award ids.
- ``Reference``: an Issuer / Profile / CryptographicKey / Endorsement / JSON-LD context:
  nothing to load (``rows_read == 0``); it only serves lookups.
- ``Quarantined``: one unit, quarantined with a reason containing the keyword.
- ``Rejected``: the file is not JSON at all: ``FileRejected`` whose message has the keyword.

Expiry and issue-date cases (ob2_inspector):
- ``basic-assertion-expired.json``: expires 2022-11-15 after issuedOn 2016-12-31. It loads with
  ``expires_on`` set: whether an expired badge still counts is a question for the analytics
  ("as of" which date), not for the loader.
- ``basic-assertion-expired-before-issued.json``: expires 2022-11-15 *before* issuedOn
  2022-12-31: the award contradicts itself, so it is quarantined ("expires 2022-11-15 is before
  issuedOn 2022-12-31").
- ``basic-assertion-in-future.json``: issuedOn 2100-12-31. It loads as written; a badge dated
  after the snapshot is the analytics' call, and the loader does not know "today" for the file.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import orjson
import pytest

from etl.sources import open_badges_v2
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from etl.sources.jws import decode_compact_jws, load_public_keys, verify_signature
from skillboard.settings import load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO_ROOT.parent / "shared" / "conformance"
SPEC = CONFORMANCE / "ob2_spec_examples" / "extracted_blocks"
CORE = CONFORMANCE / "ob2_validator_core" / "extracted_components"
INSPECTOR = CONFORMANCE / "ob2_inspector"

if not CONFORMANCE.is_dir():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"conformance files missing in CI: expected {CONFORMANCE}")
    pytest.skip(
        f"conformance files not found at {CONFORMANCE} (../shared beside the checkout)",
        allow_module_level=True,
    )

ROBOTICS = "Awesome Robotics Badge"
NOT_IN_INBOX = "is not in the inbox"


@dataclass(frozen=True)
class Award:
    issued: date
    expires: date | None = None
    revoked: bool = False
    name: str | None = ROBOTICS
    alignments: int = 0
    source_format: str = "ob2"


@dataclass(frozen=True)
class ClassOnly:
    name: str | None


@dataclass(frozen=True)
class Revocations:
    award_ids: tuple[str, ...]


@dataclass(frozen=True)
class Reference:
    pass


@dataclass(frozen=True)
class Quarantined:
    keyword: str


@dataclass(frozen=True)
class Rejected:
    keyword: str


Outcome = Award | ClassOnly | Revocations | Reference | Quarantined | Rejected

NO_TYPE = Quarantined("has no type")
JSON_NEWLINE = Rejected("control character")  # raw newlines inside strings, as published
JSON_COMMA = Rejected("trailing comma")
JSON_BRACE = Rejected("unexpected end of data")  # a missing closing brace

SPEC_EXPECTED: dict[str, Outcome] = {
    # 02 (its BadgeClass) is not valid JSON, so nothing in this folder defines robotics-badge.json
    "01_Assertion_Example.json": Quarantined(NOT_IN_INBOX),
    "02_BadgeClass_Example.json": JSON_NEWLINE,
    "03_Issuer_Profile_Example.json": Reference(),
    "04_Open_Badges_in_Linked_Data.json": JSON_COMMA,
    "05_Signed_Badges_Example.txt": Quarantined(NOT_IN_INBOX),  # decoded; badge by reference
    "06_Signed_Badges_Example.json": NO_TYPE,  # a JWS header, {"alg": "RS256"}
    "07_Signed_Badges_Example.json": Quarantined(NOT_IN_INBOX),
    "08_Signed_Badges_Example.txt": Rejected("not JSON, NDJSON or a compact JWS"),  # signature only
    "09_CryptographicKey_Example.json": Reference(),
    "10_RevocationList_Example.json": Revocations(
        (
            "urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e",
            "urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418",
            "abc123",  # given by its 1.x uid
        )
    ),
    "11_Revoked_Hosted_Assertion_Example.json": Revocations(
        ("https://example.org/beths-robotics-badge.json",)
    ),
    "12_Criteria_Example.json": NO_TYPE,  # fragments of an assertion, cut out of the page
    "13_Criteria_Example.json": JSON_NEWLINE,
    "14_Criteria_Example.json": JSON_NEWLINE,
    "15_Evidence_Example.json": NO_TYPE,
    "16_Evidence_Example.json": NO_TYPE,
    "17_Evidence_Example.json": JSON_BRACE,
    "18_Evidence_Example.json": JSON_BRACE,
    "19_Image_Example.json": NO_TYPE,
    "20_Image_Example.json": NO_TYPE,
    "21_BadgeClass_Versioning.json": NO_TYPE,
    "22_Internationalization_Examples.json": NO_TYPE,
    "23_Internationalization_Examples.json": NO_TYPE,
    "24_Endorsement_Examples.json": JSON_COMMA,
    "25_Endorsement_Examples.json": Reference(),
    "26_Endorsement_Examples.json": Reference(),
    "27_Endorsement_Examples.json": Reference(),
}

CORE_EXPECTED: dict[str, Outcome] = {
    "0_5_1_assertion.json": Award(date(2011, 6, 1), name="Basic McBadge", source_format="ob05"),
    "0_5_assertion.json": Quarantined("issuedOn is missing"),
    # 1.0 assertions name http://a.com/badgeclass, which no file here has as its id.
    "1_0_assertion_with_errors.json": Quarantined(NOT_IN_INBOX),
    "1_0_basic_assertion.json": Quarantined(NOT_IN_INBOX),
    "1_0_basic_assertion_with_extra_properties.json": Quarantined(NOT_IN_INBOX),
    "1_0_basic_badgeclass.json": ClassOnly("Basic Badge"),
    "1_0_basic_issuer.json": Reference(),
    "1_1_basic_assertion.json": Award(date(2016, 12, 31), source_format="ob1"),
    "1_1_basic_badgeclass.json": ClassOnly(ROBOTICS),
    "1_1_basic_issuer.json": Reference(),
    "2_0_basic_assertion.json": Award(date(2016, 12, 31)),
    "2_0_basic_badgeclass.json": ClassOnly(ROBOTICS),
    "2_0_basic_issuer.json": Reference(),
    "openbadges_context.json": Reference(),
    "openbadges_context_v1.json": Reference(),
}

BASIC = Award(date(2016, 12, 31))
INSPECTOR_EXPECTED: dict[str, Outcome] = {
    "assertion-with-data-image.json": BASIC,
    "assertion-with-endorsements.json": BASIC,
    "assertion-with-extension-node-basic.json": BASIC,
    "assertion-with-extension-node-invalid.json": BASIC,  # extensions are not our concern
    "assertion-with-multiple-extensions.json": BASIC,
    "badge-class-with-language.json": ClassOnly("Example Badge"),
    "basic-assertion-expired-before-issued.json": Quarantined(
        "expires 2022-11-15 is before issuedOn 2022-12-31"
    ),
    "basic-assertion-expired.json": Award(date(2016, 12, 31), expires=date(2022, 11, 15)),
    "basic-assertion-in-future.json": Award(date(2100, 12, 31)),
    "basic-assertion-invalid-context.json": BASIC,  # the context URL is never fetched
    "basic-assertion-invalid-type.json": Quarantined("type 'OtherAssertion' is not"),
    "basic-assertion-no-public-key.json": BASIC,  # hosted: no key needed
    # The next five name .../badgeclass-with-verification*.json, but those files' ids are
    # http://example.org/badgeclass-with-verification* (no .json): the references do not match.
    "basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json": Quarantined(
        NOT_IN_INBOX
    ),
    "basic-assertion-with-allowed-origins-invalid-starts-with.json": Quarantined(NOT_IN_INBOX),
    "basic-assertion-with-allowed-origins-valid-multiple-starts-with.json": Quarantined(
        NOT_IN_INBOX
    ),
    "basic-assertion-with-allowed-origins-valid-starts-with.json": Quarantined(NOT_IN_INBOX),
    "basic-assertion-with-allowed-origins.json": Quarantined(NOT_IN_INBOX),
    "basic-assertion-with-language.json": Award(date(2016, 12, 31), name="Insignia fantastica"),
    "basic-assertion.json": BASIC,
    "issuer-compact-iri-validation.json": Reference(),
    "redirected-validation-subject.json": Rejected("not valid JSON"),  # has // comments
    "simple-not-revoked.jwt": BASIC,
    # Revoked through its issuer's RevocationList (assets/revocation-list.json), which loads
    # as raw_revocations; the staging SQL applies it. The assertion itself says nothing.
    "simple-revoked.jwt": BASIC,
    "simple.jwt": BASIC,
    "warning-issuer-non-http.json": BASIC,
    # A redirect in the validator's mock: http://example.org/altbadgeurl.json is no file's id.
    "warning-with-redirection.json": Quarantined(NOT_IN_INBOX),
    "assets/altbadgeurl.json": ClassOnly(ROBOTICS),
    "assets/bad-issuer.json": Reference(),
    "assets/badge-from-organization-with-empty-revocation-list.json": ClassOnly(ROBOTICS),
    "assets/badge-from-organization-with-revocation-list.json": ClassOnly(ROBOTICS),
    "assets/badge-with-bad-issuer.json": ClassOnly(ROBOTICS),
    "assets/badge-with-data-image.json": ClassOnly(ROBOTICS),
    "assets/badgeclass-with-complex-image.json": ClassOnly("Example Badge"),
    "assets/badgeclass-with-endorsements.json": ClassOnly(ROBOTICS),
    "assets/badgeclass-with-language.json": ClassOnly("Insignia fantastica"),
    "assets/badgeclass-with-verification-invalid-multiple-starts-with.json": ClassOnly(
        "Example Badge"
    ),
    "assets/badgeclass-with-verification-invalid-starts-with.json": ClassOnly("Example Badge"),
    "assets/badgeclass-with-verification-valid-multiple-starts-with.json": ClassOnly(
        "Example Badge"
    ),
    "assets/badgeclass-with-verification-valid-starts-with.json": ClassOnly("Example Badge"),
    "assets/badgeclass-with-verification.json": ClassOnly("Example Badge"),
    "assets/badgeclass1.json": ClassOnly("Example Badge"),
    "assets/badgecriteria.json": NO_TYPE,  # a bare {"narrative": ...}
    "assets/basic-badge-no-public-key.json": ClassOnly(ROBOTICS),
    "assets/criteria-no-type.json": NO_TYPE,
    "assets/empty-revocation-list.json": Revocations(()),
    "assets/endorsement-1.json": Reference(),
    "assets/endorsement-2.json": Reference(),
    "assets/endorsement-3.json": Reference(),
    "assets/endorsement-4.json": Reference(),
    "assets/issuer-invalid-type.json": Reference(),  # typed Criteria
    "assets/issuer-with-allowed-origins-invalid-multiple-starts-with.json": Reference(),
    "assets/issuer-with-allowed-origins-invalid-starts-with.json": Reference(),
    "assets/issuer-with-allowed-origins-valid-multiple-starts-with.json": Reference(),
    "assets/issuer-with-allowed-origins-valid-starts-with.json": Reference(),
    "assets/issuer-with-allowed-origins.json": Reference(),
    "assets/issuer1.json": Reference(),
    "assets/key1.json": Reference(),
    "assets/key2.json": Reference(),
    "assets/key3.json": Reference(),
    "assets/openbadges_context.json": Reference(),  # mocked HTTP: URL line, blank, context
    "assets/organization-no-public-key.json": Reference(),
    "assets/organization-with-empty-revocation-list.json": Reference(),
    "assets/organization-with-revocation-list.json": Reference(),
    "assets/organization.json": Reference(),
    "assets/revocation-list.json": Revocations(
        (
            "https://example.org/beths-robotics-badge-revoked.json",
            "urn:uuid:52e4c6b3-8c13-4fa8-8482-a5cf34ef37a9",
            "urn:uuid:6deb4a00-ebce-4b28-8cc2-afa705ef7be4",
        )
    ),
    "assets/robotics-badge.json": ClassOnly(ROBOTICS),
    "rdf-validation/badge-class-invalid-issuer-type.json": ClassOnly("Example Badge"),
    "rdf-validation/invalid-class.json": Quarantined("type 'NotAKnownClass' is not"),
    "rdf-validation/invalid-empty-type.json": Quarantined("names no Open Badges class"),
    "rdf-validation/invalid-one-invalid-class.json": Reference(),  # ["Issuer", "UNKNOWN"]
    "rdf-validation/valid-alignment-object.json": Reference(),  # an AlignmentObject alone
    "rdf-validation/valid-badge-class-empty-criteria-type.json": ClassOnly("Chumley"),
    "rdf-validation/valid-badge-class.json": ClassOnly("Chumley"),
    "rdf-validation/valid-cool-class.json": Quarantined("type 'CoolClass' is not"),
    "rdf-validation/valid-issuer-extension.json": Reference(),
}

CASES = [
    *((SPEC, name, outcome) for name, outcome in SPEC_EXPECTED.items()),
    *((CORE, name, outcome) for name, outcome in CORE_EXPECTED.items()),
    *((INSPECTOR, name, outcome) for name, outcome in INSPECTOR_EXPECTED.items()),
]


def _context(inbox: Path, **badges: object) -> LoadContext:
    settings = load_settings()
    if badges:
        settings = settings.model_copy(update={"badges": settings.badges.model_copy(update=badges)})
    return LoadContext(settings=settings, inbox=inbox)


_CONTEXTS: dict[Path, LoadContext] = {}


def _load(folder: Path, name: str) -> LoadResult:
    # One context per folder, as one run has one context: the document index is built once.
    ctx = _CONTEXTS.setdefault(folder, _context(folder))
    return open_badges_v2.load(folder / name, ctx)


def test_every_conformance_file_has_an_expected_outcome() -> None:
    """A file added to the shared folders must be added to the table, not silently skipped."""
    for folder, table in ((SPEC, SPEC_EXPECTED), (CORE, CORE_EXPECTED)):
        on_disk = {p.name for p in folder.iterdir() if p.is_file()}
        assert on_disk == set(table), folder
    on_disk = {
        str(p.relative_to(INSPECTOR))
        for p in INSPECTOR.rglob("*")
        if p.is_file() and p.suffix in (".json", ".jwt")
    }
    assert on_disk == set(INSPECTOR_EXPECTED)


@pytest.mark.parametrize(
    ("folder", "name", "outcome"),
    CASES,
    ids=[f"{folder.parent.name}/{name}" for folder, name, _ in CASES],
)
def test_conformance_file_outcome(folder: Path, name: str, outcome: Outcome) -> None:
    """Each file loads, is quarantined, or is rejected exactly as the table says."""
    if isinstance(outcome, Rejected):
        with pytest.raises(FileRejected) as rejected:
            _load(folder, name)
        assert outcome.keyword in str(rejected.value)
        return
    result = _load(folder, name)
    awards = result.tables["raw_badge_awards"]
    classes = result.tables["raw_badge_classes"]
    assert result.rows_read == result.loaded + len(result.quarantine)
    if isinstance(outcome, Award):
        assert (result.rows_read, result.loaded, awards.height) == (1, 1, 1)
        award = awards.row(0, named=True)
        assert award["issued_on"] == outcome.issued
        assert award["expires_on"] == outcome.expires
        assert award["revoked"] is outcome.revoked
        assert award["badge_name"] == outcome.name
        assert award["source_format"] == outcome.source_format
        alignments = result.tables["raw_alignments"]
        mine = alignments.filter(alignments["badge_class_id"] == award["badge_class_id"])
        assert mine.height == outcome.alignments
        assert award["badge_class_id"] in classes["badge_class_id"].to_list()
    elif isinstance(outcome, ClassOnly):
        assert (result.rows_read, result.loaded, awards.height) == (1, 1, 0)
        assert classes["name"].to_list() == [outcome.name]
    elif isinstance(outcome, Revocations):
        revocations = result.tables["raw_revocations"]
        assert tuple(revocations["award_id"].to_list()) == outcome.award_ids
        assert result.loaded == len(outcome.award_ids)
    elif isinstance(outcome, Reference):
        assert (result.rows_read, awards.height, classes.height) == (0, 0, 0)
    else:
        assert (result.rows_read, result.loaded, awards.height) == (1, 0, 0)
        assert outcome.keyword in result.quarantine[0].reason


@pytest.mark.parametrize("name", ["02", "04", "13", "14", "17", "18", "24"])
def test_invalid_spec_blocks_are_rejected_with_the_parse_position(name: str) -> None:
    """The seven blocks that are not JSON as published say where the parser stopped."""
    path = next(SPEC.glob(f"{name}_*"))
    assert open_badges_v2.detect(Probe(path, path.read_bytes()[:65536]))
    with pytest.raises(FileRejected, match=r"^not valid JSON: .*line \d+ column \d+"):
        open_badges_v2.load(path, _context(SPEC))


def test_unresolved_badge_reason_says_what_to_do() -> None:
    """01 names https://example.org/robotics-badge.json, which is no file's id in its folder."""
    result = _load(SPEC, "01_Assertion_Example.json")
    assert result.quarantine[0].reason == (
        "badge class https://example.org/robotics-badge.json is not in the inbox: "
        "add its JSON file, or set badges.allow_network = true"
    )


def test_spec_assertion_loads_when_its_badge_class_is_in_the_inbox(tmp_path: Path) -> None:
    """01 + the inspector's robotics-badge.json (same id) + 03 (its issuer) in one inbox: loads,
    issuedOn 2016-12-31T23:59:59Z -> 2016-12-31 and expires 2017-06-30T23:59:59Z -> 2017-06-30."""
    (tmp_path / "assertion.json").write_bytes((SPEC / "01_Assertion_Example.json").read_bytes())
    (tmp_path / "robotics-badge.json").write_bytes(
        (INSPECTOR / "assets" / "robotics-badge.json").read_bytes()
    )
    (tmp_path / "issuer.json").write_bytes((SPEC / "03_Issuer_Profile_Example.json").read_bytes())
    result = open_badges_v2.load(tmp_path / "assertion.json", _context(tmp_path))
    award = result.tables["raw_badge_awards"].row(0, named=True)
    assert (award["issued_on"], award["expires_on"]) == (date(2016, 12, 31), date(2017, 6, 30))
    assert (award["badge_name"], award["issuer_name"]) == (ROBOTICS, "An Example Badge Issuer")
    assert award["evidence"] == "https://example.org/beths-robot-work.html"


def _sha256(text: str) -> str:
    return "sha256$" + hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("name", ["1_1_basic_assertion.json", "2_0_basic_assertion.json"])
def test_hashed_recipient_matches_nobody_at_example_org_with_salt_deadsea(name: str) -> None:
    """sha256("nobody@example.org" + "deadsea") = sha256$ecf5409f...: the row keeps the hash
    with its prefix and the salt, so SQL can hash roster emails the same way."""
    award = _load(CORE, name).tables["raw_badge_awards"].row(0, named=True)
    assert award["recipient_hashed"] is True
    assert award["recipient_salt"] == "deadsea"
    assert award["recipient_type"] == "email"
    assert award["recipient_identity"] == _sha256("nobody@example.org" + award["recipient_salt"])


def test_hashed_recipient_of_0_5_1_matches_test_at_example_com_with_salt_sel_gris() -> None:
    """0.5.1: recipient is the hash itself and the salt sits beside it ("sel gris")."""
    award = _load(CORE, "0_5_1_assertion.json").tables["raw_badge_awards"].row(0, named=True)
    assert (award["recipient_hashed"], award["recipient_salt"]) == (True, "sel gris")
    assert award["recipient_identity"] == _sha256("test@example.com" + "sel gris")
    assert award["award_id"].startswith("urn:sha256:")  # 0.5 assertions carry no id


def test_0_5_badge_without_id_gets_a_stable_synthetic_class_id() -> None:
    """The embedded 0.5 badge has no id: its class id is urn:sha256 of its canonical JSON, the
    same in the award row and the class row, and the issuer is named by its origin."""
    result = _load(CORE, "0_5_1_assertion.json")
    award = result.tables["raw_badge_awards"].row(0, named=True)
    badge = orjson.loads((CORE / "0_5_1_assertion.json").read_bytes())["badge"]
    canonical = orjson.dumps(badge, option=orjson.OPT_SORT_KEYS)
    assert award["badge_class_id"] == "urn:sha256:" + hashlib.sha256(canonical).hexdigest()
    assert (award["issuer_id"], award["issuer_name"]) == ("http://oldstyle.com", "Basic Issuer")


@pytest.mark.parametrize("name", ["simple.jwt", "simple-not-revoked.jwt", "simple-revoked.jwt"])
def test_signed_assertions_decode_to_their_payload(name: str) -> None:
    """The award row is the JWS payload: its id and recipient are the payload's."""
    payload = orjson.loads(decode_compact_jws((INSPECTOR / name).read_text()).payload)
    award = _load(INSPECTOR, name).tables["raw_badge_awards"].row(0, named=True)
    assert award["award_id"] == payload["id"]
    assert award["recipient_identity"] == payload["recipient"]["identity"]
    assert award["badge_class_id"] == payload["badge"]


def test_signed_spec_example_05_decodes_despite_line_breaks_in_the_token() -> None:
    """Block 05 prints header, payload and signature on separate lines; block 08 is its
    signature alone (so it cannot be decoded and is rejected)."""
    token = decode_compact_jws((SPEC / "05_Signed_Badges_Example.txt").read_text())
    payload = orjson.loads(token.payload)
    assert (token.header, payload["type"]) == ({"alg": "RS256"}, "Assertion")
    signature = (SPEC / "08_Signed_Badges_Example.txt").read_text().strip()
    assert (SPEC / "05_Signed_Badges_Example.txt").read_text().split()[-1] == signature


def test_revoked_jwt_is_listed_in_its_issuers_revocation_list() -> None:
    """simple-revoked.jwt -> badge-from-organization-with-revocation-list -> issuer with
    revocationList revocation-list.json, whose rows name the award's id."""
    award = _load(INSPECTOR, "simple-revoked.jwt").tables["raw_badge_awards"].row(0, named=True)
    revocations = _load(INSPECTOR, "assets/revocation-list.json").tables["raw_revocations"]
    listed = revocations.filter(revocations["award_id"] == award["award_id"])
    assert listed["reason"].to_list() == ["A good reason, for sure"]


def test_signature_checks_pass_with_the_issuers_key_and_quarantine_without(
    tmp_path: Path,
) -> None:
    """simple.jwt is signed by key1 (creator http://example.org/key1.json); with key1 in
    keys_dir it loads, with only key2 there it is quarantined."""
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    (keys_dir / "key1.json").write_bytes((INSPECTOR / "assets" / "key1.json").read_bytes())
    token = decode_compact_jws((INSPECTOR / "simple.jwt").read_text())
    assert verify_signature(token, load_public_keys(keys_dir)[0])

    good = open_badges_v2.load(INSPECTOR / "simple.jwt", _context(INSPECTOR, keys_dir=keys_dir))
    assert (good.loaded, good.quarantine) == (1, [])

    (keys_dir / "key1.json").unlink()
    (keys_dir / "key2.json").write_bytes((INSPECTOR / "assets" / "key2.json").read_bytes())
    bad = open_badges_v2.load(INSPECTOR / "simple.jwt", _context(INSPECTOR, keys_dir=keys_dir))
    assert bad.loaded == 0
    assert "signature does not verify" in bad.quarantine[0].reason


def test_duplicate_ids_resolve_to_the_file_named_like_the_url() -> None:
    """assets/altbadgeurl.json and assets/robotics-badge.json both claim id
    https://example.org/robotics-badge.json; the reference picks robotics-badge.json, whose
    criteria is https://example.org/badgecriteria.json (altbadgeurl's is example.com)."""
    result = _load(INSPECTOR, "basic-assertion.json")
    assert result.tables["raw_badge_classes"]["criteria"].to_list() == [
        "https://example.org/badgecriteria.json"
    ]


@pytest.mark.parametrize(
    ("folder", "name", "detected"),
    [
        (SPEC, "01_Assertion_Example.json", True),
        (SPEC, "05_Signed_Badges_Example.txt", True),
        (SPEC, "06_Signed_Badges_Example.json", False),
        (SPEC, "08_Signed_Badges_Example.txt", False),
        (CORE, "0_5_assertion.json", True),
        (CORE, "openbadges_context.json", False),
        (INSPECTOR, "simple.jwt", True),
        (INSPECTOR, "assets/badgecriteria.json", False),
        (CONFORMANCE / "ob3_inspector", "simple.json", False),
    ],
)
def test_detect_on_conformance_files(folder: Path, name: str, detected: bool) -> None:
    """OB 2.0 / 1.x / 0.5 documents and signed assertions are ours; OB 3.0 credentials, bare
    JWS headers/signatures and JSON-LD contexts are not."""
    path = folder / name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    assert open_badges_v2.detect(Probe(path, path.read_bytes()[:65536])) is detected
