"""The Open Badges 3.0 and baked-image loaders against the 1EdTech inspector files, file by file.

The inspector folder is loaded as the inbox (status lists resolve only among its files, never
over the network). The table says, per file, what must happen:

- ``Award``: one credential read and loaded, with these values (``alignments`` = rows of
  ``raw_alignments``). ``revoked`` is True only where the revocation list is in the inbox.
- ``Quarantined``: one credential read, none loaded, the reason contains the keyword.
- ``Rejected``: ``FileRejected`` whose message contains the keyword (no award in the file).
- ``Reference``: a status list: read for revocations, ``rows_read == 0``.

Decisions on the 19 ``simple-err-*`` negative cases (an analytics loader, not a validator):
quarantined when the award cannot be counted honestly: no W3C ``@context`` (``-context``), no
issuer (``-issuer``), a "hashed" identity without its ``sha256$`` prefix that no email could
ever match (``-credential-subject-identifier-type``); rejected when the file holds no award type
(``-type``: ``OtherCredential``). Loaded, with a logged note, where the slip is in a part the
dashboard never reads: the type of a result, result description, evidence, source, parent org,
other identifier, issuer profile or subject; a proof whose ``verificationMethod`` is odd or whose
value is wrong (Data Integrity proofs are not verified); ``-expired`` (validUntil = validFrom =
2010-01-01: an expired badge is still history); ``-issued`` (validFrom 2040: loads as written
with a note, like the OB 2.0 loader's ``basic-assertion-in-future``; "as of" is the analytics').

Hand-checked values: ``complete.json`` has two alignments (CFItem "1EdTech University Degree"
and CTDL), issued 2010-01-01, valid until 2030-01-01; ``complete_v1.json`` expires 2020-01-01.
``bit-string-list/testlist`` decodes (multibase base64url, gzip) to 16,384 bytes with only bit 23
set, and both ``bit-string-list/credential-status-revoked*.json`` point at index 23: revoked.
``credential-status-revoked.json`` points at a 1EdTech revocation list URL that is not in the
inbox: loaded unrevoked. ``simple.jwt`` carries a VCDM 1.1 ``vc`` claim without an achievement
(badge name from the credential name); ``velocity.jwt`` a VCDM 2 ``validFrom`` 2022-12-31.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from etl.sources import baked, open_badges_v3
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from skillboard.settings import load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = REPO_ROOT.parent / "shared" / "conformance"
OB3 = CONFORMANCE / "ob3_inspector"
OB2 = CONFORMANCE / "ob2_inspector"

if not OB3.is_dir():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"conformance files missing in CI: expected {OB3}")
    pytest.skip(
        f"OB 3.0 conformance files not found at {OB3} (../shared beside the checkout)",
        allow_module_level=True,
    )

TEAMWORK = "Teamwork"
Y2010 = date(2010, 1, 1)


@dataclass(frozen=True)
class Award:
    name: str
    issued: date
    expires: date | None = None
    revoked: bool = False
    alignments: int = 0
    note: str | None = None
    """A word the logged note must contain (non-fatal schema slip)."""


@dataclass(frozen=True)
class Quarantined:
    keyword: str


@dataclass(frozen=True)
class Rejected:
    keyword: str


@dataclass(frozen=True)
class Reference:
    pass


Outcome = Award | Quarantined | Rejected | Reference

EXPECTED: dict[str, Outcome] = {
    "simple.json": Award(TEAMWORK, Y2010),
    "simple.1ob": Award(TEAMWORK, Y2010),
    "simple_v1.json": Award(TEAMWORK, Y2010),
    "simple-context-alias.json": Award(TEAMWORK, date(2024, 3, 21)),
    "simple-context-version.json": Award(TEAMWORK, Y2010),
    "simple-did-key-method.json": Award("test 1", date(2022, 11, 10)),
    "simple-did-web-method.json": Award(TEAMWORK, Y2010),
    "simple-eddsa-2022.json": Award("some name", date(2022, 11, 27)),
    "simple-multiple-proofs.json": Award(TEAMWORK, Y2010),
    "simple-noproof.json": Award("Example University Degree", Y2010, note="no achievement"),
    "sd/derivedcredential.json": Award(TEAMWORK, Y2010),
    "complete.json": Award("1EdTech University Degree", Y2010, date(2030, 1, 1), alignments=2),
    "complete_v1.json": Award("1EdTech University Degree", Y2010, date(2020, 1, 1), alignments=2),
    "credential-status-revoked.json": Award("Achievement 1", date(2023, 5, 23)),
    "bit-string-list/credential-status-revoked.json": Award(
        "Achievement 1", date(2023, 5, 23), revoked=True
    ),
    "bit-string-list/credential-status-revoked-blank-nodes.json": Award(
        "Achievement 1", date(2023, 5, 23), revoked=True
    ),
    "bit-string-list/testlist": Reference(),
    "endorsement-valid.json": Rejected("EndorsementCredential"),
    "endorsement-err-schema-status-refresh.json": Rejected("EndorsementCredential"),
    "simple.jwt": Award("Example University Degree", Y2010, note="no achievement"),
    "velocity.jwt": Award("Velocity Network Board Member 2022", date(2022, 12, 31)),
    # the 19 negative cases
    "simple-err-context.json": Quarantined("@context"),
    "simple-err-credential-subject-achievement-result-description-type.json": Award(
        TEAMWORK, Y2010, note="resultDescription"
    ),
    "simple-err-credential-subject-identifier-type.json": Quarantined("marked hashed"),
    "simple-err-credential-subject-profile-type.json": Award(TEAMWORK, Y2010, note="source"),
    "simple-err-credential-subject-result-type.json": Award(TEAMWORK, Y2010, note="result"),
    "simple-err-credential-subject-type.json": Award(TEAMWORK, Y2010, note="AchievementSubject"),
    "simple-err-evidence-type.json": Award(TEAMWORK, Y2010, note="evidence"),
    "simple-err-expired.json": Award(TEAMWORK, Y2010, expires=Y2010),
    "simple-err-issued.json": Award(
        "Example University Degree", date(2040, 1, 1), date(2050, 1, 20), note="future"
    ),
    "simple-err-issuer-otheridentifier-type.json": Award(TEAMWORK, Y2010, note="otherIdentifier"),
    "simple-err-issuer-parentorg-type.json": Award(TEAMWORK, Y2010, note="parentOrg"),
    "simple-err-issuer-type.json": Award(TEAMWORK, Y2010, note="issuer type"),
    "simple-err-issuer.json": Quarantined("no issuer"),
    "simple-err-proof-method-no-scheme.json": Award(TEAMWORK, Y2010, note="no URI scheme"),
    "simple-err-proof-method-unknown-did-method.json": Award(TEAMWORK, Y2010, note="DID method"),
    "simple-err-proof-method-unknown-scheme.json": Award(TEAMWORK, Y2010, note="unknown scheme"),
    "simple-err-proof-method.json": Award(TEAMWORK, Y2010),
    "simple-err-proof-value.json": Award(TEAMWORK, Y2010),
    "simple-err-type.json": Rejected("OtherCredential"),
}

BAKED: dict[str, Outcome] = {
    "simple-json.png": Award(TEAMWORK, Y2010),
    "simple-json.svg": Award(TEAMWORK, Y2010),
    "simple-jwt.png": Award(TEAMWORK, Y2010),
    "simple-jwt.svg": Award(TEAMWORK, Y2010),
    "simple-jwt_v1.png": Award(TEAMWORK, Y2010),
    "simple-jwt_v1.svg": Award(TEAMWORK, Y2010),
}


def _ctx() -> LoadContext:
    return LoadContext(settings=load_settings(), inbox=OB3)


def _probe(path: Path) -> Probe:
    with path.open("rb") as handle:
        return Probe(path=path, head=handle.read(65536))


def _check(result: LoadResult | Exception, expected: Outcome, notes: str) -> None:
    if isinstance(expected, Rejected):
        assert isinstance(result, FileRejected), result
        assert expected.keyword in str(result)
        return
    assert isinstance(result, LoadResult), result
    assert result.rows_read == result.loaded + len(result.quarantine)
    if isinstance(expected, Reference):
        assert result.rows_read == 0
        return
    assert result.rows_read == 1
    if isinstance(expected, Quarantined):
        assert result.loaded == 0
        assert expected.keyword in result.quarantine[0].reason
        return
    assert result.loaded == 1, [q.reason for q in result.quarantine]
    award = result.tables["raw_badge_awards"].row(0, named=True)
    assert award["badge_name"] == expected.name
    assert award["issued_on"] == expected.issued
    assert award["expires_on"] == expected.expires
    assert award["revoked"] is expected.revoked
    alignments = result.tables.get("raw_alignments")
    assert (alignments.height if alignments is not None else 0) == expected.alignments
    if expected.note is not None:
        assert expected.note in notes


def test_every_inspector_file_has_an_expected_outcome() -> None:
    """A new file in the folder must be given an outcome here, not silently skipped."""
    files = {
        str(p.relative_to(OB3))
        for p in OB3.rglob("*")
        if p.is_file() and p.suffix not in {".png", ".svg"}
    }
    assert files == set(EXPECTED)
    images = {p.name for p in OB3.iterdir() if p.suffix in {".png", ".svg"}}
    assert images == set(BAKED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ob3_inspector_file_gets_its_expected_outcome(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = OB3 / name
    assert open_badges_v3.detect(_probe(path))
    assert not baked.detect(_probe(path))
    caplog.set_level(logging.INFO, logger=open_badges_v3.__name__)
    try:
        result: LoadResult | Exception = open_badges_v3.load(path, _ctx())
    except FileRejected as exc:
        result = exc
    _check(result, EXPECTED[name], caplog.text)


@pytest.mark.parametrize("name", sorted(BAKED))
def test_baked_inspector_image_loads_its_credential(name: str) -> None:
    path = OB3 / name
    assert baked.detect(_probe(path))
    assert not open_badges_v3.detect(_probe(path))
    result = baked.load(path, _ctx())
    assert result.loader == "baked_image:ob3"
    _check(result, BAKED[name], "")


def test_complete_credential_alignments_keep_every_target_field() -> None:
    """complete.json's achievement alignment[0]: CFItem, code "degree", its catalog URL."""
    result = open_badges_v3.load(OB3 / "complete.json", _ctx())
    first = result.tables["raw_alignments"].row(0, named=True)
    assert first == {
        "row_number": 1,
        "badge_class_id": "https://1edtech.edu/achievements/degree",
        "target_name": "1EdTech University Degree",
        "target_url": "https://1edtech.edu/catalog/degree",
        "target_framework": "1EdTech University Program and Course Catalog",
        "target_code": "degree",
        "target_type": "CFItem",
    }
    award = result.tables["raw_badge_awards"].row(0, named=True)
    # identifier[0] is an unhashed emailAddress: recipient_type is normalised to "email".
    assert (award["recipient_type"], award["recipient_identity"]) == (
        "email",
        "student@1edtech.edu",
    )
    assert award["recipient_hashed"] is False


def test_bitstring_revocation_is_also_a_revocation_row() -> None:
    result = open_badges_v3.load(OB3 / "bit-string-list" / "credential-status-revoked.json", _ctx())
    revocation = result.tables["raw_revocations"].row(0, named=True)
    assert revocation["award_id"] == (
        "https://dc.1edtech.org/wellspring2022/wellspring-portal/credential/"
        "54418d3f-ec01-4652-800a-861c890a51a1"
    )
    assert "index 23" in revocation["reason"]


@pytest.mark.skipif(not (OB2 / "simple-badge.png").is_file(), reason="OB 2.0 inspector missing")
def test_ob2_inspector_baked_png_goes_to_the_ob2_parser() -> None:
    """simple-badge.png bakes a hosted OB 2.0 assertion (issuedOn 2016-12-31, recipient hashed
    with salt "deadsea"); its BadgeClass is in the inspector's assets/ folder."""
    ctx = LoadContext(settings=load_settings(), inbox=OB2)
    result = baked.load(OB2 / "simple-badge.png", ctx)
    assert result.loader == "baked_image:ob2"
    assert (result.rows_read, result.loaded) == (1, 1)
    award = result.tables["raw_badge_awards"].row(0, named=True)
    assert award["award_id"] == "https://example.org/beths-robotics-badge.json"
    assert award["issued_on"] == date(2016, 12, 31)
    assert award["recipient_salt"] == "deadsea"
    assert award["source_format"] == "ob2"
