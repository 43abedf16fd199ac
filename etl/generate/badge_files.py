"""Badge awards written in the three real formats the loaders read.

- Open Badges 2.0 (``ob2_*``): the issuer Profile and every BadgeClass as their own JSON files
  (hosted-style, each ``id`` an https URL), assertions as NDJSON chunks that name their
  BadgeClass by URL, about twenty single assertion files (some with the BadgeClass embedded),
  and the issuer's RevocationList.
- Open Badges 3.0 (``ob3_*``): OpenBadgeCredentials (VCDM 2; a few VCDM 1.1 AchievementCredentials)
  with the issuer Profile and the Achievement embedded, as NDJSON chunks plus a few single files.
  Unsigned, except two single files carrying a DataIntegrityProof (not verifiable: there is no
  key to check it with, which is how the loaders treat signatures by default).
- Credly (``credly_analytics_export_<date>.csv``): the columns of Credly's analytics export.

Recipients are hashed the OB 2.0 way, ``sha256$`` + hex(sha256(email + salt)), with one
salt per badge class, as issuers commonly configure it (a fresh salt per award would make
matching cost one hash per award per roster e-mail, which no employer-side tool can afford);
the addresses are the roster's lower-case work e-mails, except for the awards the
simulation marked unmatched (see :func:`etl.generate.identities.stray_emails`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
import polars as pl

from etl.generate import identities, org
from etl.generate.taxonomy import BADGE_CLASSES, ISSUERS, SKILL_BY_ID, BadgeClass
from etl.generate.workforce import Workforce

CHUNK_LINES = 50_000
OB2_SINGLE_FILES = 20
OB3_SINGLE_FILES = 10
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VCDM1_SHARE = 0.05
EVIDENCE_SHARE = 0.12
NARRATIVE_SHARE = 0.08
OB2_UNHASHED_SHARE = 0.02
OB3_UNHASHED_SHARE = 0.01
CREDLY_EARNER_ID_SHARE = 0.85
REVOCATION_REASONS = (
    "Issued in error",
    "Assessment found to be plagiarised",
    "Duplicate award",
)
EVIDENCE_NARRATIVES = (
    "Capstone project reviewed and approved by the course tutor.",
    "Passed the proctored final assessment.",
    "Portfolio of three work samples assessed against the rubric.",
)
CREDLY_COLUMNS = (
    "Badge Name",
    "Badge Template ID",
    "Issued by",
    "Earner Badge ID",
    "Issuer Earner ID",
    "Group Tag",
    "Badge URL",
    "Issued to First Name",
    "Issued to Middle Name",
    "Issued to Last Name",
    "Country",
    "State",
    "Region",
    "Sub-region",
    "Account status",
    "Issued to Email",
    "Issued to Email Domain",
    "Status",
    "Expired",
    "Issue Date",
    "Expiration Date",
    "Record Created",
)


@dataclass
class WrittenFiles:
    """Paths written by a writer, in the order written."""

    paths: list[Path] = field(default_factory=list)

    def add(self, path: Path) -> None:
        """Remember one written file."""
        self.paths.append(path)


def _dump(path: Path, obj: Any, files: WrittenFiles) -> None:
    path.write_bytes(orjson.dumps(obj, option=orjson.OPT_INDENT_2) + b"\n")
    files.add(path)


def _write_ndjson(out: Path, stem: str, lines: Iterable[bytes], files: WrittenFiles) -> None:
    """Write ``lines`` into ``<stem>_0001.ndjson``, ``_0002``... of CHUNK_LINES lines each."""
    chunk: list[bytes] = []
    number = 0

    def flush() -> None:
        nonlocal number, chunk
        number += 1
        path = out / f"{stem}_{number:04d}.ndjson"
        path.write_bytes(b"".join(chunk))
        files.add(path)
        chunk = []

    for line in lines:
        chunk.append(line)
        if len(chunk) == CHUNK_LINES:
            flush()
    if chunk:
        flush()


def hashed_identity(email: str, salt: str) -> str:
    """The OB 2.0 / 3.0 hashed identity of an e-mail address."""
    return "sha256$" + hashlib.sha256((email + salt).encode("utf-8")).hexdigest()


def _alignments(badge: BadgeClass, ob3: bool) -> list[dict[str, Any]]:
    out = []
    for skill_id in badge.skills:
        skill = SKILL_BY_ID[skill_id]
        item: dict[str, Any] = {}
        if ob3:
            item["type"] = ["Alignment"]
        item |= {
            "targetName": skill.name,
            "targetUrl": skill.url,
            "targetDescription": skill.description,
            "targetFramework": skill.framework,
            "targetCode": skill.skill_id,
        }
        if ob3:
            item["targetType"] = "ceasn:Competency"
        out.append(item)
    return out


# ---- Open Badges 2.0 -------------------------------------------------------------------


def ob2_issuer() -> dict[str, Any]:
    """The OB 2.0 issuer Profile."""
    issuer = ISSUERS["ob2"]
    return {
        "@context": OB2_CONTEXT,
        "type": "Profile",
        "id": issuer.issuer_id,
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
        "revocationList": issuer.issuer_id + "/revocations",
    }


def ob2_badge_class(badge: BadgeClass, *, embed_issuer: bool = False) -> dict[str, Any]:
    """The OB 2.0 BadgeClass of ``badge``, naming its issuer by URL or embedding it."""
    issuer: Any = ob2_issuer() if embed_issuer else ISSUERS["ob2"].issuer_id
    if embed_issuer:
        del issuer["@context"]
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": badge.class_id,
        "name": badge.name,
        "description": badge.description,
        "image": f"https://badges.example-university.edu/images/{badge.slug}.png",
        "criteria": {"id": badge.class_id + "/criteria", "narrative": badge.criteria},
        "issuer": issuer,
        "alignment": _alignments(badge, ob3=False),
        "tags": [badge.slug.split("-")[0], "continuing-education"],
    }


def _class_salts(rows: pl.DataFrame, rng: np.random.Generator) -> list[str]:
    """Each award's salt: the one its badge class's issuer uses for every recipient."""
    per_class = identities.random_hex(rng, len(BADGE_CLASSES), 16)
    return [str(per_class[c]) for c in rows["class_index"].to_list()]


def _ob2_assertions(rows: pl.DataFrame, rng: np.random.Generator) -> Iterator[dict[str, Any]]:
    n = rows.height
    ids = identities.random_uuids(rng, n)
    salts = _class_salts(rows, rng)
    unhashed = (rng.random(n) < OB2_UNHASHED_SHARE) & ~rows["unmatched"].to_numpy()
    evidence = rng.random(n) < EVIDENCE_SHARE
    narrative = rng.random(n) < NARRATIVE_SHARE
    pick = rng.integers(0, len(EVIDENCE_NARRATIVES), n)
    reason = rng.integers(0, len(REVOCATION_REASONS), n)
    issued = identities.iso_datetimes(
        rows["issued_day"].to_numpy(), rows["issued_second"].to_numpy()
    )
    expires_day = rows["expires_day"].fill_null(0).to_numpy()
    expires = identities.iso_datetimes(expires_day, rows["issued_second"].to_numpy())
    has_expiry = rows["expires_day"].is_not_null().to_numpy()
    class_ids = [b.class_id for b in BADGE_CLASSES]
    cls = rows["class_index"].to_list()
    emails = rows["recipient_email"].to_list()
    revoked = rows["revoked"].to_list()
    for k in range(n):
        salt = str(salts[k])
        if unhashed[k]:
            recipient = {"type": "email", "hashed": False, "identity": emails[k]}
        else:
            recipient = {
                "type": "email",
                "hashed": True,
                "salt": salt,
                "identity": hashed_identity(emails[k], salt),
            }
        assertion: dict[str, Any] = {
            "@context": OB2_CONTEXT,
            "type": "Assertion",
            "id": f"https://badges.example-university.edu/assertions/{ids[k]}",
            "recipient": recipient,
            "badge": class_ids[cls[k]],
            "issuedOn": issued[k],
            "verification": {"type": "hosted"},
        }
        if has_expiry[k]:
            assertion["expires"] = expires[k]
        if evidence[k]:
            assertion["evidence"] = [
                {
                    "id": f"https://portfolio.corp.example.com/evidence/{ids[k][:8]}",
                    "narrative": EVIDENCE_NARRATIVES[pick[k]],
                }
            ]
        if narrative[k]:
            assertion["narrative"] = "Completed every module and the final assessment."
        if revoked[k]:
            assertion["revoked"] = True
            assertion["revocationReason"] = REVOCATION_REASONS[reason[k]]
        yield assertion


def write_ob2(out: Path, rows: pl.DataFrame, rng: np.random.Generator) -> WrittenFiles:
    """Write the OB 2.0 issuer, badge classes, assertions and revocation list.

    Args:
        out: the inbox folder.
        rows: the OB 2.0 awards with a ``recipient_email`` column, in issue order.
        rng: the seeded generator.

    Returns:
        The files written.
    """
    files = WrittenFiles()
    _dump(out / "ob2_issuer.json", ob2_issuer(), files)
    for badge in BADGE_CLASSES:
        if badge.format == "ob2":
            _dump(out / f"ob2_badgeclass_{badge.slug}.json", ob2_badge_class(badge), files)
    singles = set(
        rng.choice(rows.height, size=min(OB2_SINGLE_FILES, rows.height), replace=False).tolist()
    )
    revoked: list[dict[str, Any]] = []
    written_singles = 0

    def assertion_lines() -> Iterator[bytes]:
        nonlocal written_singles
        for k, assertion in enumerate(_ob2_assertions(rows, rng)):
            if assertion.get("revoked"):
                revoked.append(
                    {"id": assertion["id"], "revocationReason": assertion["revocationReason"]}
                )
            if k in singles:
                # Half of the single files embed the BadgeClass, half of those its issuer too.
                if written_singles % 2 == 0:
                    badge = BADGE_CLASSES[int(rows["class_index"][k])]
                    embedded = ob2_badge_class(badge, embed_issuer=written_singles % 4 == 0)
                    del embedded["@context"]
                    assertion["badge"] = embedded
                written_singles += 1
                name = assertion["id"].rsplit("/", 1)[1][:8]
                _dump(out / f"ob2_assertion_{name}.json", assertion, files)
                continue
            yield orjson.dumps(assertion) + b"\n"

    _write_ndjson(out, "ob2_assertions", assertion_lines(), files)
    _dump(
        out / "ob2_revocation_list.json",
        {
            "@context": OB2_CONTEXT,
            "id": ISSUERS["ob2"].issuer_id + "/revocations",
            "type": "RevocationList",
            "issuer": ISSUERS["ob2"].issuer_id,
            "revokedAssertions": revoked,
        },
        files,
    )
    return files


# ---- Open Badges 3.0 -------------------------------------------------------------------


def ob3_issuer() -> dict[str, Any]:
    """The OB 3.0 issuer Profile (embedded in every credential)."""
    issuer = ISSUERS["ob3"]
    return {
        "id": issuer.issuer_id,
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
        "email": issuer.email,
    }


def ob3_achievement(badge: BadgeClass) -> dict[str, Any]:
    """The OB 3.0 Achievement of ``badge``, with its skill alignments."""
    return {
        "id": badge.class_id,
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge.name,
        "description": badge.description,
        "criteria": {"narrative": badge.criteria},
        "alignment": _alignments(badge, ob3=True),
    }


def _ob3_credentials(rows: pl.DataFrame, rng: np.random.Generator) -> Iterator[dict[str, Any]]:
    n = rows.height
    ids = identities.random_uuids(rng, n)
    salts = _class_salts(rows, rng)
    vcdm1 = rng.random(n) < VCDM1_SHARE
    unhashed = (rng.random(n) < OB3_UNHASHED_SHARE) & ~rows["unmatched"].to_numpy()
    evidence = rng.random(n) < EVIDENCE_SHARE
    pick = rng.integers(0, len(EVIDENCE_NARRATIVES), n)
    issued = identities.iso_datetimes(
        rows["issued_day"].to_numpy(), rows["issued_second"].to_numpy()
    )
    expires = identities.iso_datetimes(
        rows["expires_day"].fill_null(0).to_numpy(), rows["issued_second"].to_numpy()
    )
    has_expiry = rows["expires_day"].is_not_null().to_numpy()
    achievements = [ob3_achievement(b) if b.format == "ob3" else {} for b in BADGE_CLASSES]
    issuer = ob3_issuer()
    cls = rows["class_index"].to_list()
    emails = rows["recipient_email"].to_list()
    for k in range(n):
        salt = str(salts[k])
        identity = (
            {
                "type": "IdentityObject",
                "identityHash": emails[k],
                "identityType": "emailAddress",
                "hashed": False,
            }
            if unhashed[k]
            else {
                "type": "IdentityObject",
                "identityHash": hashed_identity(emails[k], salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        )
        achievement = achievements[cls[k]]
        credential: dict[str, Any] = {
            "@context": [VC1_CONTEXT if vcdm1[k] else VC2_CONTEXT, OB3_CONTEXT],
            "id": f"urn:uuid:{ids[k]}",
            "type": [
                "VerifiableCredential",
                "AchievementCredential" if vcdm1[k] else "OpenBadgeCredential",
            ],
            "name": achievement["name"],
            "issuer": issuer,
        }
        if vcdm1[k]:
            credential["issuanceDate"] = issued[k]
            if has_expiry[k]:
                credential["expirationDate"] = expires[k]
        else:
            credential["validFrom"] = issued[k]
            if has_expiry[k]:
                credential["validUntil"] = expires[k]
        credential["credentialSubject"] = {
            "type": ["AchievementSubject"],
            "identifier": [identity],
            "achievement": achievement,
        }
        if evidence[k]:
            credential["evidence"] = [
                {
                    "id": f"https://portfolio.corp.example.com/evidence/{ids[k][:8]}",
                    "type": ["Evidence"],
                    "narrative": EVIDENCE_NARRATIVES[pick[k]],
                }
            ]
        yield credential


def _proof(credential: dict[str, Any], rng: np.random.Generator) -> dict[str, Any]:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    value = "z" + "".join(alphabet[i] for i in rng.integers(0, len(alphabet), 86))
    return {
        "type": "DataIntegrityProof",
        "created": credential.get("validFrom") or credential.get("issuanceDate"),
        "verificationMethod": ISSUERS["ob3"].issuer_id + "#key-1",
        "cryptosuite": "eddsa-rdfc-2022",
        "proofPurpose": "assertionMethod",
        "proofValue": value,
    }


def write_ob3(out: Path, rows: pl.DataFrame, rng: np.random.Generator) -> WrittenFiles:
    """Write OB 3.0 credentials as NDJSON chunks and a few single JSON files.

    Args:
        out: the inbox folder.
        rows: the OB 3.0 awards with a ``recipient_email`` column, in issue order.
        rng: the seeded generator.

    Returns:
        The files written.
    """
    files = WrittenFiles()
    singles = set(
        rng.choice(rows.height, size=min(OB3_SINGLE_FILES, rows.height), replace=False).tolist()
    )
    written_singles = 0

    def credential_lines() -> Iterator[bytes]:
        nonlocal written_singles
        for k, credential in enumerate(_ob3_credentials(rows, rng)):
            if k in singles:
                if written_singles < 2:
                    credential["proof"] = [_proof(credential, rng)]
                written_singles += 1
                name = credential["id"].rsplit(":", 1)[1][:8]
                _dump(out / f"ob3_credential_{name}.json", credential, files)
                continue
            yield orjson.dumps(credential) + b"\n"

    _write_ndjson(out, "ob3_credentials", credential_lines(), files)
    return files


# ---- Credly --------------------------------------------------------------------------


def write_credly(
    out: Path,
    rows: pl.DataFrame,
    wf: Workforce,
    employee_ids: npt.NDArray[np.str_],
    export_day: int,
    rng: np.random.Generator,
) -> WrittenFiles:
    """Write Credly's analytics export of the Credly awards.

    Args:
        out: the inbox folder.
        rows: the Credly awards with a ``recipient_email`` column, in issue order.
        wf: the workforce (names, locations, departments).
        employee_ids: every person's employee id.
        export_day: day number of the export (the last snapshot).
        rng: the seeded generator.

    Returns:
        The file written.
    """
    n = rows.height
    people = rows["person"].to_numpy()
    loc = wf.location[people]
    dept = wf.dept[people]
    dept_names = np.asarray([d.name for d in org.DEPARTMENTS] + ["Executive Office"])
    earner_id = np.where(
        (rng.random(n) < CREDLY_EARNER_ID_SHARE) & ~rows["unmatched"].to_numpy(),
        employee_ids[people],
        "",
    )
    shouty = rng.random(n) < 0.05
    account = rng.choice(["Confirmed", "Unconfirmed", "Not created"], size=n, p=[0.86, 0.1, 0.04])
    badge_ids = identities.random_uuids(rng, n)
    group_tag = np.where(rng.random(n) < 0.6, dept_names[dept], "")
    class_index = rows["class_index"].to_numpy()
    names = np.asarray([b.name for b in BADGE_CLASSES])[class_index]
    template = np.asarray([b.class_id for b in BADGE_CLASSES])[class_index]
    credly = (
        pl.DataFrame(
            {
                "Badge Name": names,
                "Badge Template ID": template,
                "Issued by": np.full(n, ISSUERS["credly"].name),
                "Earner Badge ID": badge_ids,
                "Issuer Earner ID": earner_id,
                "Group Tag": group_tag,
                "Badge URL": np.char.add("https://www.credly.com/badges/", badge_ids),
                "Issued to First Name": identities.first_names(wf)[people],
                "Issued to Middle Name": np.full(n, ""),
                "Issued to Last Name": identities.last_names(wf)[people],
                "Country": np.asarray([x.country for x in org.LOCATIONS])[loc],
                "State": np.asarray([x.state for x in org.LOCATIONS])[loc],
                "Region": np.asarray([x.region for x in org.LOCATIONS])[loc],
                "Sub-region": np.asarray([x.sub_region for x in org.LOCATIONS])[loc],
                "Account status": account,
                "Issued to Email": rows["recipient_email"],
                "shouty": shouty,
                "issued_day": rows["issued_day"],
                "expires_day": rows["expires_day"],
                "Status": rows["status"],
            }
        )
        .with_columns(
            # Some earners typed their address with capitals; matching lower-cases it.
            pl.when(pl.col("shouty"))
            .then(pl.col("Issued to Email").str.to_titlecase())
            .otherwise(pl.col("Issued to Email"))
            .alias("Issued to Email"),
            pl.col("Issued to Email").str.split("@").list.last().alias("Issued to Email Domain"),
            pl.when(pl.col("expires_day") <= export_day)
            .then(pl.lit("Expired"))
            .otherwise(pl.lit(""))
            .alias("Expired"),
            identities.date_column(pl.col("issued_day"), "%m/%d/%y").alias("Issue Date"),
            identities.date_column(pl.col("expires_day"), "%m/%d/%y").alias("Expiration Date"),
            identities.date_column(pl.col("issued_day"), "%m/%d/%y").alias("Record Created"),
        )
        .select(CREDLY_COLUMNS)
    )
    files = WrittenFiles()
    date = np.datetime64(export_day, "D").astype(str)
    path = out / f"credly_analytics_export_{date}.csv"
    identities.write_csv(credly, path)
    files.add(path)
    return files
