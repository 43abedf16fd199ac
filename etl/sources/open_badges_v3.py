"""Open Badges 3.0 loader: ``OpenBadgeCredential`` / ``AchievementCredential`` -> award rows.

Reads one credential per JSON object, a JSON array of them, NDJSON (one per line), or VC-JWT
(one compact token per line, see :mod:`etl.sources.vc_jwt`), in both VCDM 2 (``validFrom`` /
``validUntil``) and VCDM 1.1 (``issuanceDate`` / ``expirationDate``). Each credential becomes
one ``raw_badge_awards`` row; its achievement becomes a ``raw_badge_classes`` row and the
achievement's ``alignment`` objects ``raw_alignments`` rows (once per achievement per file).

What is checked, and why so little: this is an analytics loader, not a validator. A credential
is quarantined only when the award cannot be counted honestly: it is not an award type, it is
not a W3C credential at all, it names no issuer, or its dates are missing, unreadable or
inverted, or it breaks a rule of :class:`etl.models.BadgeAward` (no recipient, a "hashed"
identity without its ``sha256$`` prefix). Schema slips in parts the dashboard never reads (an
``InvalidEvidence`` type, a ``verificationMethod`` with an unknown scheme, a credential without
an achievement, an issue date in the future) load with a note logged, because an employee's
badge should not vanish from coverage over them. Data Integrity proofs are not verified; a
VC-JWT's RS256/384/512 signature is checked when ``badges.keys_dir`` holds RSA keys, and a
token no key verifies is quarantined.

Revocation (``"revoked": true`` and the status lists a credential cites) is read by
:mod:`etl.sources.ob3_status`; splitting a file into items (JSON, NDJSON lines, VC-JWT lines) by
:mod:`etl.sources.ob3_items`; the output rows and table schemas are :mod:`etl.sources.ob3_rows`.

Speed: :func:`parse_credential` is the one definition of what a credential gives. A big NDJSON
export (50,000 credentials of one shape) is read in bulk instead (:mod:`etl.sources.ob3_bulk`):
pyarrow parses the lines into columns, polars applies the same rules to whole columns, and every
row the columns cannot vouch for (a note to log, a problem to word, a status to look up, the
first row of each achievement) goes through parse_credential in row order.
"""

from __future__ import annotations

import base64
import binascii
import gc
import hashlib
import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
import polars as pl
from pydantic import ValidationError

from etl.models import BadgeAward, describe_validation_error, parse_badge_date
from etl.sources.base import (
    FileRejected,
    LoadContext,
    LoadResult,
    Probe,
    QuarantinedRow,
    rejecting_surprises,
)
from etl.sources.ob3_bulk import (
    NdjsonLines,
    bulk_rows,
    hand_over,
    ndjson_lines,
    plain_awards,
    read_blocks,
)
from etl.sources.ob3_items import (
    Signatures,
    decode_item,
    line_value,
    quarantine_record,
    split_items,
)
from etl.sources.ob3_rows import FileRows, ParsedCredential
from etl.sources.ob3_status import StatusLists, credential_revocation, is_reference_list
from etl.sources.ob3_values import (
    EMAIL_IDENTITY_TYPES,
    FUTURE_TOLERANCE,
    KNOWN_DID_METHODS,
    URI_SCHEME,
    VC_CONTEXTS,
    AchievementRows,
    CredentialInvalid,
    as_list,
    text_value,
    type_names,
)

NAME = "open_badges_v3"
SOURCE_FORMAT = "ob3"

log = logging.getLogger(__name__)

AWARD_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
_DETECT_MARKERS = (
    '"OpenBadgeCredential"',
    '"AchievementCredential"',
    "purl.imsglobal.org/spec/ob/v3p0",
    "StatusListCredential",
    '"revokedCredentials"',
)
_DETECT_MARKERS_BYTES = tuple(m.encode() for m in _DETECT_MARKERS[:3])

# Model field -> the name a person finds in the credential, for quarantine reasons.
_LABELS = {
    "award_id": "id",
    "issued_on": "validFrom/issuanceDate",
    "expires_on": "validUntil/expirationDate",
    "recipient_identity": "credentialSubject.identifier.identityHash",
    "badge_class_id": "credentialSubject.achievement.id",
}


# --------------------------------------------------------------------------------------------
# detection


def detect(probe: Probe) -> bool:
    """Return True for OB 3.0 credentials (JSON, NDJSON, VC-JWT) and the status lists they cite.

    Args:
        probe: the first bytes of the file.
    """
    text = probe.text_head().lstrip()
    if not text:
        return False
    if text[0] in "{[":
        return any(marker in text for marker in _DETECT_MARKERS)
    first_line = text.split("\n", 1)[0].strip()
    if not first_line.startswith("eyJ"):
        return False
    parts = first_line.split(".")
    if len(parts) < 2:
        return False
    # The head may cut the payload short; decode whole 4-character groups only.
    segment = parts[1][: len(parts[1]) // 4 * 4]
    try:
        payload = base64.urlsafe_b64decode(segment)
    except (binascii.Error, ValueError):
        return False
    return any(marker in payload for marker in _DETECT_MARKERS_BYTES)


# --------------------------------------------------------------------------------------------
# small value helpers


def _language_text(value: Any) -> str | None:
    """OB 3.0 allows a plain string or a language map / list of ``{@value}`` for names."""
    if isinstance(value, dict):
        for candidate in value.values():
            found = _language_text(candidate)
            if found:
                return found
        return None
    if isinstance(value, list):
        for candidate in value:
            found = _language_text(candidate)
            if found:
                return found
        return None
    return text_value(value)


def parse_instant(value: Any, field_name: str) -> date:
    """An ISO 8601 date-time (or date) -> the calendar date as written (``parse_badge_date``).

    Raises:
        CredentialInvalid: naming the field and the bad value.
    """
    try:
        parsed = parse_badge_date(value)
    except ValueError as exc:
        raise CredentialInvalid(f"{field_name} {exc}") from None
    if parsed is None:
        raise CredentialInvalid(f"{field_name} is empty")
    return parsed


def synthetic_id(*parts: str | None) -> str:
    """A stable id from key fields: ``urn:sha256:`` + hex digest (the file plays no part)."""
    joined = "\x1f".join(p or "" for p in parts)
    return "urn:sha256:" + hashlib.sha256(joined.encode()).hexdigest()


def _content_id(credential: dict[str, Any]) -> str:
    return (
        "urn:sha256:"
        + hashlib.sha256(orjson.dumps(credential, option=orjson.OPT_SORT_KEYS)).hexdigest()
    )


# --------------------------------------------------------------------------------------------
# one credential


def _issuer(value: Any) -> tuple[str | None, str | None, list[str]]:
    if isinstance(value, str):
        return text_value(value), None, []
    if isinstance(value, dict):
        notes: list[str] = []
        if "Profile" not in type_names(value.get("type")):
            notes.append(f"issuer type {value.get('type')!r} is not Profile")
        parent = value.get("parentOrg")
        if isinstance(parent, dict) and "Profile" not in type_names(parent.get("type")):
            notes.append(f"issuer.parentOrg type {parent.get('type')!r} is not Profile")
        for entry in as_list(value.get("otherIdentifier")):
            if isinstance(entry, dict) and "IdentifierEntry" not in type_names(entry.get("type")):
                notes.append(
                    f"issuer.otherIdentifier type {entry.get('type')!r} is not IdentifierEntry"
                )
        return text_value(value.get("id")), _language_text(value.get("name")), notes
    return None, None, []


def _recipient(subject: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The recipient columns, from ``identifier[]`` (an email first) or ``credentialSubject.id``."""
    identifiers = [i for i in as_list(subject.get("identifier")) if isinstance(i, dict)]
    for ident in identifiers:
        if "IdentityObject" not in type_names(ident.get("type")):
            notes.append(
                f"credentialSubject.identifier type {ident.get('type')!r} is not IdentityObject"
            )
    usable = [i for i in identifiers if text_value(i.get("identityHash"))]
    usable.sort(key=lambda i: str(i.get("identityType", "")).lower() not in EMAIL_IDENTITY_TYPES)
    subject_id = text_value(subject.get("id"))
    employee_id = None
    if subject_id and not URI_SCHEME.match(subject_id) and "@" not in subject_id:
        employee_id = subject_id
    if usable:
        ident = usable[0]
        identity = text_value(ident.get("identityHash"))
        identity_type = text_value(ident.get("identityType"))
        if identity_type and identity_type.lower() in EMAIL_IDENTITY_TYPES:
            identity_type = "email"
        hashed = ident.get("hashed")
        if isinstance(hashed, str):
            hashed = {"true": True, "false": False}.get(hashed.strip().lower())
        if not isinstance(hashed, bool):
            hashed = bool(identity and identity.startswith(("sha256$", "md5$")))
        return {
            "recipient_employee_id": employee_id,
            "recipient_type": identity_type,
            "recipient_identity": identity,
            "recipient_hashed": hashed,
            "recipient_salt": text_value(ident.get("salt")) if hashed else None,
        }
    if subject_id is None:
        notes.append("credentialSubject has neither identifier nor id; the award cannot be matched")
    return {
        "recipient_employee_id": employee_id,
        "recipient_type": "id" if subject_id else None,
        "recipient_identity": subject_id,
        "recipient_hashed": False if subject_id else None,
        "recipient_salt": None,
    }


def _proof_notes(credential: dict[str, Any]) -> list[str]:
    notes: list[str] = []
    for proof in as_list(credential.get("proof")):
        if not isinstance(proof, dict):
            continue
        method = text_value(proof.get("verificationMethod"))
        if method is None:
            continue
        scheme = method.split(":", 1)[0].lower() if ":" in method else None
        if scheme is None:
            notes.append(f"proof verificationMethod '{method}' has no URI scheme")
        elif scheme == "did":
            did_method = method.split(":")[1] if method.count(":") >= 2 else ""
            if did_method not in KNOWN_DID_METHODS:
                notes.append(f"proof verificationMethod uses an unknown DID method '{did_method}'")
        elif scheme not in {"http", "https"}:
            notes.append(f"proof verificationMethod '{method}' has an unknown scheme '{scheme}'")
    return notes


def _subject_notes(subject: dict[str, Any], achievement: Any) -> list[str]:
    notes: list[str] = []
    if "AchievementSubject" not in type_names(subject.get("type")):
        notes.append(f"credentialSubject type {subject.get('type')!r} is not AchievementSubject")
    source = subject.get("source")
    if isinstance(source, dict) and "Profile" not in type_names(source.get("type")):
        notes.append(f"credentialSubject.source type {source.get('type')!r} is not Profile")
    for result in as_list(subject.get("result")):
        if isinstance(result, dict) and "Result" not in type_names(result.get("type")):
            notes.append(f"credentialSubject.result type {result.get('type')!r} is not Result")
    if isinstance(achievement, dict):
        for described in as_list(achievement.get("resultDescription")):
            if isinstance(described, dict) and "ResultDescription" not in type_names(
                described.get("type")
            ):
                notes.append(
                    f"achievement.resultDescription type {described.get('type')!r} "
                    "is not ResultDescription"
                )
    return notes


def _evidence(credential: dict[str, Any], notes: list[str]) -> str | None:
    found: list[str] = []
    for item in as_list(credential.get("evidence")):
        if isinstance(item, dict):
            if "Evidence" not in type_names(item.get("type")):
                notes.append(f"evidence type {item.get('type')!r} is not Evidence")
            label = (
                text_value(item.get("id"))
                or _language_text(item.get("name"))
                or text_value(item.get("narrative"))
            )
            if label:
                found.append(label)
        elif text_value(item):
            found.append(str(text_value(item)))
    return " | ".join(found) if found else None


def _achievement_rows(
    achievement: Any, issuer_id: str | None, issuer_name: str | None
) -> AchievementRows:
    """(badge_class_id, badge_name, badge class row, alignment rows) of ``achievement``."""
    if isinstance(achievement, str):
        return text_value(achievement), None, None, []
    if not isinstance(achievement, dict):
        return None, None, None, []
    name = _language_text(achievement.get("name"))
    class_id = text_value(achievement.get("id")) or synthetic_id("ob3-achievement", issuer_id, name)
    creator = achievement.get("creator")
    class_issuer_id, class_issuer_name = issuer_id, issuer_name
    if isinstance(creator, dict) and text_value(creator.get("id")):
        class_issuer_id, class_issuer_name = (
            text_value(creator.get("id")),
            _language_text(creator.get("name")),
        )
    elif isinstance(creator, str) and text_value(creator):
        class_issuer_id, class_issuer_name = text_value(creator), None
    criteria = achievement.get("criteria")
    if isinstance(criteria, dict):
        criteria_text = text_value(criteria.get("narrative")) or text_value(criteria.get("id"))
    else:
        criteria_text = text_value(criteria)
    badge_class = {
        "badge_class_id": class_id,
        "name": name,
        "description": _language_text(achievement.get("description")),
        "issuer_id": class_issuer_id,
        "issuer_name": class_issuer_name,
        "criteria": criteria_text,
        "source_format": SOURCE_FORMAT,
    }
    alignments = [
        {
            "badge_class_id": class_id,
            "target_name": _language_text(item.get("targetName")),
            "target_url": text_value(item.get("targetUrl")),
            "target_framework": _language_text(item.get("targetFramework")),
            "target_code": text_value(item.get("targetCode")),
            "target_type": text_value(item.get("targetType")),
        }
        for item in as_list(achievement.get("alignment"))
        if isinstance(item, dict)
    ]
    return class_id, name, badge_class, alignments


def parse_credential(
    credential: Any,
    lists: StatusLists | None = None,
    today: date | None = None,
    achievements: dict[str, AchievementRows] | None = None,
) -> ParsedCredential:
    """Turn one OB 3.0 credential (already decoded from JWT if it was one) into canonical rows.

    Args:
        credential: the JSON value read from the file.
        lists: where status / revocation lists are looked up (None: statuses are not checked).
        today: the run's date, for the issued-in-the-future check (default: today, UTC).
        achievements: achievement id -> rows already built in this file (a file repeats the
            same few achievements thousands of times; building them once is most of the speed).

    Returns:
        The award, its badge class and alignments, and notes about non-fatal schema slips.

    Raises:
        CredentialInvalid: with every reason the credential cannot be counted, joined by "; ".
    """
    if not isinstance(credential, dict):
        raise CredentialInvalid(
            f"item is a JSON {type(credential).__name__}, not a credential object"
        )
    problems: list[str] = []
    notes: list[str] = []
    types = type_names(credential.get("type"))
    if not AWARD_TYPES.intersection(types):
        problems.append(f"type {types!r} is not OpenBadgeCredential or AchievementCredential")
    contexts = credential.get("@context")
    # Real credentials often add an inline context object beside the URLs: only URLs count.
    urls = [
        c for c in (contexts if isinstance(contexts, list) else [contexts]) if isinstance(c, str)
    ]
    if not VC_CONTEXTS.intersection(urls):
        problems.append(
            "@context lacks the W3C credentials context "
            "(https://www.w3.org/ns/credentials/v2 or https://www.w3.org/2018/credentials/v1)"
        )
    issuer_id, issuer_name, issuer_notes = _issuer(credential.get("issuer"))
    notes += issuer_notes
    if issuer_id is None:
        problems.append("no issuer (issuer must be a URI or a Profile with an id)")
    issued_on, expires_on = _validity(
        credential, problems, notes, today or datetime.now(UTC).date()
    )
    subject = credential.get("credentialSubject")
    if isinstance(subject, list):
        subject = next((s for s in subject if isinstance(s, dict)), None)
    if not isinstance(subject, dict):
        problems.append("no credentialSubject object")
        subject = {}
    if problems:
        raise CredentialInvalid("; ".join(problems))

    achievement = subject.get("achievement")
    cache_key = achievement.get("id") if isinstance(achievement, dict) else None
    cached = achievements.get(cache_key) if achievements is not None and cache_key else None
    if cached is None:
        cached = _achievement_rows(achievement, issuer_id, issuer_name)
        if achievements is not None and isinstance(cache_key, str):
            achievements[cache_key] = cached
    class_id, badge_name, badge_class, alignments = cached
    if achievement is None:
        notes.append(
            "credentialSubject has no achievement; badge name taken from the credential name"
        )
        badge_name = _language_text(credential.get("name"))
    notes += _subject_notes(subject, achievement)
    recipient = _recipient(subject, notes)
    evidence = _evidence(credential, notes)
    notes += _proof_notes(credential)
    award_id = text_value(credential.get("id")) or _content_id(credential)
    revocation = credential_revocation(credential, award_id, lists)
    notes += revocation.notes
    award = {
        "award_id": award_id,
        "source_format": SOURCE_FORMAT,
        "badge_class_id": class_id,
        "badge_name": badge_name or _language_text(credential.get("name")),
        "issuer_id": issuer_id,
        "issuer_name": issuer_name,
        **recipient,
        "issued_on": issued_on,
        "expires_on": expires_on,
        "revoked": revocation.revoked,
        "revoked_on": None,
        "revocation_reason": revocation.reason,
        "status": "revoked" if revocation.revoked else None,
        "evidence": evidence,
        "narrative": text_value(subject.get("narrative")),
    }
    if _breaks_award_rules(award):
        _raise_model_reason(award)
    return ParsedCredential(award, badge_class, alignments, notes)


def _breaks_award_rules(award: dict[str, Any]) -> bool:
    """A cheap mirror of :class:`etl.models.BadgeAward`'s rules, so the model (and its wording)
    is only asked about the few credentials that break one: validating every credential with
    pydantic would cost a fifth of the load time."""
    identity = award["recipient_identity"]
    if not identity and not award["recipient_employee_id"]:
        return True
    if award["recipient_hashed"] and not str(identity).lower().startswith(("sha256$", "md5$")):
        return True
    expires_on = award["expires_on"]
    return expires_on is not None and expires_on < award["issued_on"]


def _raise_model_reason(award: dict[str, Any]) -> None:
    try:
        BadgeAward.model_validate(award, context={"labels": _LABELS})
    except ValidationError as exc:
        raise CredentialInvalid(describe_validation_error(exc, _LABELS)) from None


def _validity(
    credential: dict[str, Any], problems: list[str], notes: list[str], today: date
) -> tuple[date | None, date | None]:
    """Issue and expiry dates. A future issue date loads as written (with a note), as in the
    OB 2.0 loader: whether a badge dated after the snapshot counts is the analytics' "as of"
    question, and a loader that judged by the run's date would load the same file differently
    next year."""
    start_field = "validFrom" if credential.get("validFrom") is not None else "issuanceDate"
    end_field = "validUntil" if credential.get("validUntil") is not None else "expirationDate"
    issued_on = expires_on = None
    raw_start = credential.get(start_field)
    if raw_start is None:
        problems.append("no issue date (validFrom or issuanceDate)")
    else:
        try:
            issued_on = parse_instant(raw_start, start_field)
        except CredentialInvalid as exc:
            problems.append(str(exc))
    raw_end = credential.get(end_field)
    if raw_end is not None:
        try:
            expires_on = parse_instant(raw_end, end_field)
        except CredentialInvalid as exc:
            problems.append(str(exc))
    if issued_on is not None and issued_on > today + FUTURE_TOLERANCE:
        notes.append(f"{start_field} '{raw_start}' is in the future")
    return issued_on, expires_on


def is_ob3_document(value: Any) -> bool:
    """True when a JSON value is (or wraps in a VC-JWT ``vc`` claim) an OB 3.0 credential."""
    if not isinstance(value, dict):
        return False
    if isinstance(value.get("vc"), dict):
        value = value["vc"]
    contexts = [c for c in as_list(value.get("@context")) if isinstance(c, str)]
    return bool(AWARD_TYPES & set(type_names(value.get("type")))) or any(
        "purl.imsglobal.org/spec/ob/v3p0" in c for c in contexts
    )


# --------------------------------------------------------------------------------------------
# a whole file


class _FileLoad:
    """One file being loaded: items go in one at a time (or as a bulk frame), a result comes out."""

    def __init__(self, ctx: LoadContext, origin: Path, loader: str) -> None:
        self.origin = origin
        self.loader = loader
        self.rows = FileRows()
        self.quarantine: list[QuarantinedRow] = []
        self.lists = StatusLists(ctx, origin)
        self.signatures = Signatures(ctx.settings.badges.keys_dir)
        self.achievements: dict[str, AchievementRows] = {}
        self.today = datetime.now(UTC).date()
        self.rows_read = 0
        self.awards_seen = 0
        self.reference_lists = 0
        self.first_problem: str | None = None

    def add(self, row_number: int, item: Any) -> None:
        """Read one item (a JSON value, a JWT string or an unreadable line) with
        :func:`parse_credential`: an award row, a quarantined row, or a skipped status list."""
        self.rows_read += 1
        try:
            credential, bad_signature = decode_item(item, self.signatures)
            is_award = isinstance(credential, dict) and bool(
                AWARD_TYPES.intersection(type_names(credential.get("type")))
            )
            if not is_award and is_reference_list(credential):
                self.rows_read -= 1
                self.reference_lists += 1
                return
            self.awards_seen += is_award
            if bad_signature is not None:
                raise CredentialInvalid(bad_signature)
            parsed = parse_credential(credential, self.lists, self.today, self.achievements)
        except CredentialInvalid as exc:
            self.first_problem = self.first_problem or str(exc)
            self.quarantine.append(QuarantinedRow(row_number, quarantine_record(item), str(exc)))
            return
        for note in parsed.notes:
            log.info("%s row %d: %s", self.origin.name, row_number, note)
        self.rows.add(row_number, parsed)

    def add_plain(self, awards: pl.DataFrame) -> None:
        """Add award rows the bulk path built (:func:`plain_awards`). Their badge classes are
        already in: the first plain row of each achievement went through :meth:`add`."""
        self.rows_read += awards.height
        self.awards_seen += awards.height
        self.rows.award_frames.append(awards)

    def result(self) -> LoadResult:
        """The file's :class:`LoadResult`.

        Raises:
            FileRejected: when no item is an OB 3.0 award (for instance only endorsements).
        """
        if self.rows_read == 0 and self.reference_lists:
            return LoadResult(loader=f"{self.loader}:status_list", rows_read=0)
        if self.awards_seen == 0:
            raise FileRejected(
                f"{self.origin.name} holds no OpenBadgeCredential / AchievementCredential"
                + (f" ({self.first_problem})" if self.first_problem else "")
            )
        return LoadResult(
            loader=self.loader,
            rows_read=self.rows_read,
            tables=self.rows.tables(),
            quarantine=self.quarantine,
        )


def load_items(
    items: Iterable[tuple[int, Any]], ctx: LoadContext, origin: Path, loader: str = NAME
) -> LoadResult:
    """Turn decoded items (JSON values or JWT strings) into a :class:`LoadResult`.

    Also used by the baked-image loader for the credential found inside a PNG or SVG.

    Args:
        items: ``(row_number, item)`` pairs, as from :func:`split_items`.
        ctx: the run's settings and inbox (status lists are looked up there).
        origin: the file the items came from (its folder is searched first for lists).
        loader: the loader name recorded in the result.

    Raises:
        FileRejected: when no item is an OB 3.0 award (for instance only endorsements).
    """
    file_load = _FileLoad(ctx, origin, loader)
    for row_number, item in items:
        file_load.add(row_number, item)
    return file_load.result()


def _load_ndjson(lines: NdjsonLines, ctx: LoadContext, origin: Path) -> LoadResult:
    """Load an NDJSON file: plain rows in bulk, the others through :func:`parse_credential`."""
    file_load = _FileLoad(ctx, origin, NAME)
    credentials, items = read_blocks(lines)
    plain: pl.DataFrame | None = None
    if credentials is not None:
        plain, handed = hand_over(bulk_rows(credentials, file_load.today))
        lines_handed = handed.select("row_number", "line").iter_rows()
        items += [(row, line_value(lines.line(index))) for row, index in lines_handed]
    for row_number, item in sorted(items, key=lambda pair: pair[0]):
        file_load.add(row_number, item)
    if plain is not None and plain.height:
        file_load.add_plain(plain_awards(plain, file_load.achievements, SOURCE_FORMAT))
    return file_load.result()


def load(path: Path, ctx: LoadContext) -> LoadResult:
    """Read an OB 3.0 file (JSON, JSON array, NDJSON or VC-JWT) into award rows.

    Args:
        path: the file.
        ctx: the run's settings and inbox.

    Returns:
        Awards, badge classes, alignments and revocations; quarantined credentials with reasons.

    Raises:
        FileRejected: when the file cannot be read as OB 3.0 at all.
    """
    # Parsing allocates millions of small dicts and strings that hold no reference cycles;
    # the cyclic collector would rescan them over and over (it tripled the load time), and
    # reference counting frees them anyway. It is switched back on however the load ends.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with rejecting_surprises(path, "Open Badges 3.0"):
            data = path.read_bytes()
            lines = ndjson_lines(data)
            if lines is None:
                return load_items(split_items(data, path.name), ctx, path)
            return _load_ndjson(lines, ctx, path)
    finally:
        if collecting:
            gc.enable()
