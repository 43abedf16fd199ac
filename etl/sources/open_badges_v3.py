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

Revocation: ``"revoked": true``, or a ``credentialStatus`` whose list is in the inbox
(1EdTech ``1EdTechRevocationList`` documents with ``revokedCredentials``, and
``BitstringStatusListEntry`` / ``StatusList2021Entry`` / ``RevocationList2020Status`` entries whose
list credential is in the inbox). A list that is not in the inbox leaves the award unrevoked:
nothing is fetched unless ``badges.allow_network`` is true. See :class:`StatusLists` for how a
list is found. Limitation: a list that
changes later is only read again when a credential that points at it is loaded again.

Speed: :func:`parse_credential` is the one definition of what a credential gives. A big NDJSON
export (50,000 credentials of one shape) is read in bulk instead: pyarrow parses the lines into
columns, polars applies the same rules to whole columns, and every row the columns cannot vouch
for (a note to log, a problem to word, a status to look up, the first row of each achievement)
goes through parse_credential in row order. See "NDJSON in bulk" below.
"""

from __future__ import annotations

import base64
import binascii
import gc
import hashlib
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
import polars as pl
import pyarrow as pa
import pyarrow.json as pj
from pydantic import ValidationError

from etl.models import ISO_DATE_PATTERN, BadgeAward, describe_validation_error, parse_badge_date
from etl.sources.base import (
    FileRejected,
    LoadContext,
    LoadResult,
    Probe,
    QuarantinedRow,
    rejecting_surprises,
)
from etl.sources.documents import index_for
from etl.sources.jws import CompactJws, RsaPublicKey, load_public_keys, signature_problem
from etl.sources.vc_jwt import TokenError, credential_from_payload, decode_token, looks_like_jwt

NAME = "open_badges_v3"
SOURCE_FORMAT = "ob3"

log = logging.getLogger(__name__)

AWARD_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
VC_CONTEXTS = frozenset(
    {"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1"}
)
STATUS_LIST_TYPES = frozenset(
    {"BitstringStatusListCredential", "StatusList2021Credential", "RevocationList2020Credential"}
)
_DETECT_MARKERS = (
    '"OpenBadgeCredential"',
    '"AchievementCredential"',
    "purl.imsglobal.org/spec/ob/v3p0",
    "StatusListCredential",
    '"revokedCredentials"',
)
_DETECT_MARKERS_BYTES = tuple(m.encode() for m in _DETECT_MARKERS[:3])

AWARD_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row_number": pl.Int64,
    "award_id": pl.String,
    "source_format": pl.String,
    "badge_class_id": pl.String,
    "badge_name": pl.String,
    "issuer_id": pl.String,
    "issuer_name": pl.String,
    "recipient_employee_id": pl.String,
    "recipient_type": pl.String,
    "recipient_identity": pl.String,
    "recipient_hashed": pl.Boolean,
    "recipient_salt": pl.String,
    "issued_on": pl.Date,
    "expires_on": pl.Date,
    "revoked": pl.Boolean,
    "revoked_on": pl.Date,
    "revocation_reason": pl.String,
    "status": pl.String,
    "evidence": pl.String,
    "narrative": pl.String,
}
"""Columns of ``raw_badge_awards`` (sql/store/raw_tables.sql) loaders fill, with ``row_number``."""

BADGE_CLASS_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row_number": pl.Int64,
    "badge_class_id": pl.String,
    "name": pl.String,
    "description": pl.String,
    "issuer_id": pl.String,
    "issuer_name": pl.String,
    "criteria": pl.String,
    "source_format": pl.String,
}
ALIGNMENT_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row_number": pl.Int64,
    "badge_class_id": pl.String,
    "target_name": pl.String,
    "target_url": pl.String,
    "target_framework": pl.String,
    "target_code": pl.String,
    "target_type": pl.String,
}
REVOCATION_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "row_number": pl.Int64,
    "award_id": pl.String,
    "revoked_on": pl.Date,
    "reason": pl.String,
}

# Identity types that mean "an email address"; normalised so SQL matches OB 2.0 and 3.0 alike.
_EMAIL_IDENTITY_TYPES = frozenset({"emailaddress", "email"})
_URI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_KNOWN_DID_METHODS = frozenset({"key", "web", "jwk", "ion", "pkh", "ethr", "sov", "cheqd"})
# A validFrom a little ahead of the run is clock skew between issuer and us, not worth a note.
_FUTURE_TOLERANCE = timedelta(days=1)
_CHECKABLE_ALGS = frozenset({"RS256", "RS384", "RS512"})
_MAX_STATUS_LIST_BYTES = 64 * 1024 * 1024
_MAX_REFERENCE_FILE_BYTES = 50 * 1024 * 1024
# Model field -> the name a person finds in the credential, for quarantine reasons.
_LABELS = {
    "award_id": "id",
    "issued_on": "validFrom/issuanceDate",
    "expires_on": "validUntil/expirationDate",
    "recipient_identity": "credentialSubject.identifier.identityHash",
    "badge_class_id": "credentialSubject.achievement.id",
}


class CredentialInvalid(ValueError):
    """A credential that cannot be counted as an award; the message says why."""

    raw_text: str | None = None
    """For an NDJSON line that is not JSON: the line (cut at 10,000 characters), for quarantine."""


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
# reading a file into items


def _decode_text(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRejected(
            f"{name} is not UTF-8 text (byte {exc.start}); JSON and JWT credentials must be UTF-8"
        ) from exc


def split_items(data: bytes, name: str) -> Iterator[tuple[int, Any]]:
    """Yield ``(row_number, item)`` for each credential-shaped item of a file.

    An item is a parsed JSON value, a JWT string, or a :class:`CredentialInvalid` for an NDJSON
    line that is not JSON (it is quarantined, the rest of the file still loads). JSON is parsed
    from the bytes (orjson checks the UTF-8), so a big NDJSON file is never copied as text.

    Raises:
        FileRejected: when the file is empty or is neither JSON, NDJSON nor VC-JWT.
    """
    body = data.removeprefix(b"\xef\xbb\xbf").strip()
    if not body:
        raise FileRejected(f"{name} is empty")
    if body[:1] not in (b"{", b"["):
        yield from _jwt_items(_decode_text(body, name), name)
        return
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        yield from _ndjson_items(body.splitlines(), name, exc)
        return
    if isinstance(document, list):
        yield from enumerate(document, start=1)
    elif isinstance(document, dict) and "VerifiablePresentation" in _as_list(document.get("type")):
        yield from enumerate(_as_list(document.get("verifiableCredential")), start=1)
    else:
        yield 1, document


def _jwt_items(text: str, name: str) -> Iterator[tuple[int, Any]]:
    """VC-JWT files: one compact token per non-empty line."""
    lines = [line.strip() for line in text.splitlines()]
    if not looks_like_jwt(lines[0]):
        raise FileRejected(
            f"{name} is neither JSON, NDJSON nor a VC-JWT (starts with {text[:20]!r})"
        )
    row = 0
    for line in lines:
        if line:
            row += 1
            yield row, line


def _ndjson_items(
    lines: list[bytes], name: str, whole_error: Exception
) -> Iterator[tuple[int, Any]]:
    """NDJSON: one JSON value per non-empty line; unreadable lines become invalid items."""
    try:
        orjson.loads(lines[0])
    except orjson.JSONDecodeError:
        # Not NDJSON either: a single document that is broken.
        raise FileRejected(f"{name} is not valid JSON ({whole_error})") from None
    yield from _line_items(lines)


def _line_items(lines: Iterable[bytes], row: int = 0) -> Iterator[tuple[int, Any]]:
    """One item per non-empty line, numbered on from ``row``."""
    for line in lines:
        if not line or line.isspace():
            continue
        row += 1
        yield row, _line_value(line)


def _line_value(line: bytes) -> Any:
    """The JSON value of one line, or a :class:`CredentialInvalid` to quarantine (the rest of
    the file still loads)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        bad_line = CredentialInvalid(f"line is not valid JSON ({exc})")
        bad_line.raw_text = line[:10_000].decode("utf-8", errors="replace")
        return bad_line


# --------------------------------------------------------------------------------------------
# small value helpers


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    """A non-empty string, or None (numbers are accepted and printed)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


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
    return _text(value)


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


def _types(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for t in value if isinstance(t, str)]
    return []


# --------------------------------------------------------------------------------------------
# status lists found in the inbox


class StatusLists:
    """Finds revocation / status lists for one loaded file, reading each list at most once.

    A list is looked for first as a file named like the last segment of its URL, in the
    credential's folder then the inbox root (how lists are usually saved), then by ``id`` in the
    run's inbox document index (:mod:`etl.sources.documents`), which fetches over the network
    only when ``badges.allow_network`` is true.
    """

    def __init__(self, ctx: LoadContext, origin: Path | None) -> None:
        self._ctx = ctx
        self._origin_dir = origin.parent if origin is not None else None
        self._documents: dict[str, dict[str, Any] | None] = {}
        self._bits: dict[str, bytes | None] = {}

    def find(self, url: str) -> dict[str, Any] | None:
        """The list document for ``url`` (fragment ignored), or None when it is not available."""
        key = url.split("#", 1)[0]
        if key not in self._documents:
            self._documents[key] = self._lookup(key)
        return self._documents[key]

    def bitstring(self, url: str) -> bytes | None:
        """The decoded (gunzipped) bitstring of a status list credential, or None."""
        key = url.split("#", 1)[0]
        if key not in self._bits:
            document = self.find(key)
            self._bits[key] = _decode_status_bits(document) if document is not None else None
        return self._bits[key]

    def _lookup(self, url: str) -> dict[str, Any] | None:
        by_name = self._by_file_name(url)
        if by_name is not None:
            return by_name
        document, _reason = index_for(self._ctx).resolve(url, _is_reference_list, "status list")
        return document

    def _by_file_name(self, url: str) -> dict[str, Any] | None:
        segment = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if not segment or segment in {".", ".."} or "\\" in segment:
            return None
        for folder in (self._origin_dir, self._ctx.inbox):
            if folder is None or not folder.is_dir():
                continue
            for name in (segment, segment + ".json"):
                candidate = folder / name
                if candidate.is_file():
                    document = _read_reference(candidate)
                    if document is not None:
                        return document
        return None


def _read_reference(path: Path) -> dict[str, Any] | None:
    """A status / revocation list document at ``path``, or None when the file is anything else."""
    try:
        if path.stat().st_size > _MAX_REFERENCE_FILE_BYTES:
            return None
        with path.open("rb") as handle:
            head = handle.read(4096)
            if (
                b"StatusList" not in head
                and b"revokedCredentials" not in head
                and b"RevocationList" not in head
            ):
                return None
            data = head + handle.read()
        document = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(document, dict):
        return None
    if "revokedCredentials" in document or STATUS_LIST_TYPES & set(_types(document.get("type"))):
        return document
    return None


def _decode_status_bits(document: dict[str, Any]) -> bytes | None:
    subject = document.get("credentialSubject")
    encoded = subject.get("encodedList") if isinstance(subject, dict) else None
    if not isinstance(encoded, str) or not encoded:
        return None
    # Bitstring Status List uses multibase base64url ('u' prefix); StatusList2021 plain base64url.
    if encoded.startswith("u"):
        encoded = encoded[1:]
    try:
        compressed = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        inflater = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header, auto-detected
        bits = inflater.decompress(compressed, _MAX_STATUS_LIST_BYTES)
    except (binascii.Error, ValueError, zlib.error):
        return None
    return bits


@dataclass
class Revocation:
    """What the credential's status says."""

    revoked: bool = False
    reason: str | None = None
    notes: list[str] = field(default_factory=list)


def credential_revocation(
    credential: dict[str, Any], award_id: str, lists: StatusLists | None
) -> Revocation:
    """Decide whether a credential is revoked from ``revoked`` and its ``credentialStatus``.

    Args:
        credential: the credential object.
        award_id: its id (what a 1EdTech revocation list names).
        lists: where list documents are looked up; None means none are available.
    """
    result = Revocation()
    if credential.get("revoked") is True:
        result.revoked = True
        result.reason = _text(credential.get("revocationReason")) or "revoked: true"
        return result
    for entry in _as_list(credential.get("credentialStatus")):
        if not isinstance(entry, dict) or lists is None:
            continue
        entry_type = _text(entry.get("type")) or ""
        if entry_type == "1EdTechRevocationList":
            _check_1edtech_list(entry, award_id, lists, result)
        elif entry_type in {
            "BitstringStatusListEntry",
            "StatusList2021Entry",
            "RevocationList2020Status",
        }:
            _check_bitstring(entry, lists, result)
        if result.revoked:
            break
    return result


def _check_1edtech_list(
    entry: dict[str, Any], award_id: str, lists: StatusLists, result: Revocation
) -> None:
    url = _text(entry.get("id"))
    document = lists.find(url) if url else None
    if document is None:
        return
    for item in _as_list(document.get("revokedCredentials")):
        if (
            isinstance(item, dict)
            and item.get("id") == award_id
            and item.get("revoked", True) is not False
        ):
            result.revoked = True
            result.reason = (
                _text(item.get("revocationReason")) or f"listed in revocation list {url}"
            )
            return


def _check_bitstring(entry: dict[str, Any], lists: StatusLists, result: Revocation) -> None:
    url = _text(entry.get("statusListCredential")) or _text(entry.get("revocationListCredential"))
    purpose = _text(entry.get("statusPurpose")) or "revocation"
    raw_index: Any = entry.get("statusListIndex", entry.get("revocationListIndex"))
    if url is None or purpose not in {"revocation", "suspension"}:
        return
    bits = lists.bitstring(url)
    if bits is None:
        return
    try:
        index = int(raw_index)
    except (TypeError, ValueError, OverflowError):
        result.notes.append(
            f"credentialStatus index {raw_index!r} is not a number; status not checked"
        )
        return
    if not 0 <= index < len(bits) * 8:
        result.notes.append(f"credentialStatus index {index} is outside the status list {url}")
        return
    if bits[index // 8] >> (7 - index % 8) & 1:
        if purpose == "suspension":
            result.notes.append(
                f"suspended by status list {url} (index {index}); kept as not revoked"
            )
            return
        result.revoked = True
        result.reason = f"status list {url} index {index}"


# --------------------------------------------------------------------------------------------
# one credential


@dataclass
class ParsedCredential:
    """One credential turned into canonical rows."""

    award: dict[str, Any]
    badge_class: dict[str, Any] | None
    alignments: list[dict[str, Any]]
    notes: list[str]


def _issuer(value: Any) -> tuple[str | None, str | None, list[str]]:
    if isinstance(value, str):
        return _text(value), None, []
    if isinstance(value, dict):
        notes: list[str] = []
        if "Profile" not in _types(value.get("type")):
            notes.append(f"issuer type {value.get('type')!r} is not Profile")
        parent = value.get("parentOrg")
        if isinstance(parent, dict) and "Profile" not in _types(parent.get("type")):
            notes.append(f"issuer.parentOrg type {parent.get('type')!r} is not Profile")
        for entry in _as_list(value.get("otherIdentifier")):
            if isinstance(entry, dict) and "IdentifierEntry" not in _types(entry.get("type")):
                notes.append(
                    f"issuer.otherIdentifier type {entry.get('type')!r} is not IdentifierEntry"
                )
        return _text(value.get("id")), _language_text(value.get("name")), notes
    return None, None, []


def _recipient(subject: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The recipient columns, from ``identifier[]`` (an email first) or ``credentialSubject.id``."""
    identifiers = [i for i in _as_list(subject.get("identifier")) if isinstance(i, dict)]
    for ident in identifiers:
        if "IdentityObject" not in _types(ident.get("type")):
            notes.append(
                f"credentialSubject.identifier type {ident.get('type')!r} is not IdentityObject"
            )
    usable = [i for i in identifiers if _text(i.get("identityHash"))]
    usable.sort(key=lambda i: str(i.get("identityType", "")).lower() not in _EMAIL_IDENTITY_TYPES)
    subject_id = _text(subject.get("id"))
    employee_id = None
    if subject_id and not _URI_SCHEME.match(subject_id) and "@" not in subject_id:
        employee_id = subject_id
    if usable:
        ident = usable[0]
        identity = _text(ident.get("identityHash"))
        identity_type = _text(ident.get("identityType"))
        if identity_type and identity_type.lower() in _EMAIL_IDENTITY_TYPES:
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
            "recipient_salt": _text(ident.get("salt")) if hashed else None,
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
    for proof in _as_list(credential.get("proof")):
        if not isinstance(proof, dict):
            continue
        method = _text(proof.get("verificationMethod"))
        if method is None:
            continue
        scheme = method.split(":", 1)[0].lower() if ":" in method else None
        if scheme is None:
            notes.append(f"proof verificationMethod '{method}' has no URI scheme")
        elif scheme == "did":
            did_method = method.split(":")[1] if method.count(":") >= 2 else ""
            if did_method not in _KNOWN_DID_METHODS:
                notes.append(f"proof verificationMethod uses an unknown DID method '{did_method}'")
        elif scheme not in {"http", "https"}:
            notes.append(f"proof verificationMethod '{method}' has an unknown scheme '{scheme}'")
    return notes


def _subject_notes(subject: dict[str, Any], achievement: Any) -> list[str]:
    notes: list[str] = []
    if "AchievementSubject" not in _types(subject.get("type")):
        notes.append(f"credentialSubject type {subject.get('type')!r} is not AchievementSubject")
    source = subject.get("source")
    if isinstance(source, dict) and "Profile" not in _types(source.get("type")):
        notes.append(f"credentialSubject.source type {source.get('type')!r} is not Profile")
    for result in _as_list(subject.get("result")):
        if isinstance(result, dict) and "Result" not in _types(result.get("type")):
            notes.append(f"credentialSubject.result type {result.get('type')!r} is not Result")
    if isinstance(achievement, dict):
        for described in _as_list(achievement.get("resultDescription")):
            if isinstance(described, dict) and "ResultDescription" not in _types(
                described.get("type")
            ):
                notes.append(
                    f"achievement.resultDescription type {described.get('type')!r} "
                    "is not ResultDescription"
                )
    return notes


def _evidence(credential: dict[str, Any], notes: list[str]) -> str | None:
    found: list[str] = []
    for item in _as_list(credential.get("evidence")):
        if isinstance(item, dict):
            if "Evidence" not in _types(item.get("type")):
                notes.append(f"evidence type {item.get('type')!r} is not Evidence")
            label = (
                _text(item.get("id"))
                or _language_text(item.get("name"))
                or _text(item.get("narrative"))
            )
            if label:
                found.append(label)
        elif _text(item):
            found.append(str(_text(item)))
    return " | ".join(found) if found else None


_AchievementRows = tuple[str | None, str | None, dict[str, Any] | None, list[dict[str, Any]]]


def _achievement_rows(
    achievement: Any, issuer_id: str | None, issuer_name: str | None
) -> _AchievementRows:
    """(badge_class_id, badge_name, badge class row, alignment rows) of ``achievement``."""
    if isinstance(achievement, str):
        return _text(achievement), None, None, []
    if not isinstance(achievement, dict):
        return None, None, None, []
    name = _language_text(achievement.get("name"))
    class_id = _text(achievement.get("id")) or synthetic_id("ob3-achievement", issuer_id, name)
    creator = achievement.get("creator")
    class_issuer_id, class_issuer_name = issuer_id, issuer_name
    if isinstance(creator, dict) and _text(creator.get("id")):
        class_issuer_id, class_issuer_name = (
            _text(creator.get("id")),
            _language_text(creator.get("name")),
        )
    elif isinstance(creator, str) and _text(creator):
        class_issuer_id, class_issuer_name = _text(creator), None
    criteria = achievement.get("criteria")
    if isinstance(criteria, dict):
        criteria_text = _text(criteria.get("narrative")) or _text(criteria.get("id"))
    else:
        criteria_text = _text(criteria)
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
            "target_url": _text(item.get("targetUrl")),
            "target_framework": _language_text(item.get("targetFramework")),
            "target_code": _text(item.get("targetCode")),
            "target_type": _text(item.get("targetType")),
        }
        for item in _as_list(achievement.get("alignment"))
        if isinstance(item, dict)
    ]
    return class_id, name, badge_class, alignments


def parse_credential(
    credential: Any,
    lists: StatusLists | None = None,
    today: date | None = None,
    achievements: dict[str, _AchievementRows] | None = None,
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
    types = _types(credential.get("type"))
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
    award_id = _text(credential.get("id")) or _content_id(credential)
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
        "narrative": _text(subject.get("narrative")),
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
    if issued_on is not None and issued_on > today + _FUTURE_TOLERANCE:
        notes.append(f"{start_field} '{raw_start}' is in the future")
    return issued_on, expires_on


def is_ob3_document(value: Any) -> bool:
    """True when a JSON value is (or wraps in a VC-JWT ``vc`` claim) an OB 3.0 credential."""
    if not isinstance(value, dict):
        return False
    if isinstance(value.get("vc"), dict):
        value = value["vc"]
    contexts = [c for c in _as_list(value.get("@context")) if isinstance(c, str)]
    return bool(AWARD_TYPES & set(_types(value.get("type")))) or any(
        "purl.imsglobal.org/spec/ob/v3p0" in c for c in contexts
    )


def _is_reference_list(value: Any) -> bool:
    """A 1EdTech revocation list or a status list credential (read for revocations, not awards)."""
    return isinstance(value, dict) and (
        "revokedCredentials" in value or bool(STATUS_LIST_TYPES & set(_types(value.get("type"))))
    )


# --------------------------------------------------------------------------------------------
# a whole file


class _Rows:
    """The output rows of one file, badge classes and alignments once per achievement."""

    def __init__(self) -> None:
        self.awards: list[dict[str, Any]] = []
        self.award_frames: list[pl.DataFrame] = []
        self.classes: list[dict[str, Any]] = []
        self.alignments: list[dict[str, Any]] = []
        self.revocations: list[dict[str, Any]] = []
        self.seen_classes: set[str] = set()

    def add(self, row_number: int, parsed: ParsedCredential) -> None:
        award = parsed.award
        award["row_number"] = row_number
        self.awards.append(award)
        if award["revoked"]:
            self.revocations.append(
                {
                    "row_number": row_number,
                    "award_id": award["award_id"],
                    "revoked_on": None,
                    "reason": award["revocation_reason"],
                }
            )
        badge_class = parsed.badge_class
        if badge_class is not None and badge_class["badge_class_id"] not in self.seen_classes:
            self.seen_classes.add(badge_class["badge_class_id"])
            self.classes.append({**badge_class, "row_number": row_number})
            self.alignments += [{**a, "row_number": row_number} for a in parsed.alignments]

    def tables(self) -> dict[str, pl.DataFrame]:
        awards = _frame(self.awards, AWARD_SCHEMA)
        if self.award_frames:
            awards = pl.concat([awards, *self.award_frames]).sort("row_number")
        tables = {"raw_badge_awards": awards}
        for name, rows, schema in (
            ("raw_badge_classes", self.classes, BADGE_CLASS_SCHEMA),
            ("raw_alignments", self.alignments, ALIGNMENT_SCHEMA),
            ("raw_revocations", self.revocations, REVOCATION_SCHEMA),
        ):
            if rows:
                tables[name] = _frame(rows, schema)
        return tables


def _frame(
    rows: list[dict[str, Any]], schema: dict[str, pl.DataType | type[pl.DataType]]
) -> pl.DataFrame:
    # polars reads the dicts in Rust: twice as fast as building Python lists per column.
    return pl.DataFrame(rows, schema=schema)


def _raw(item: Any) -> dict[str, Any]:
    """The quarantined record as stored: the credential itself, or the text that failed."""
    if isinstance(item, dict):
        return item
    if isinstance(item, CredentialInvalid):
        return {"line": item.raw_text} if item.raw_text is not None else {}
    return {"value": item if isinstance(item, str) else repr(item)[:2000]}


class _Signatures:
    """Optional VC-JWT signature checks against keys in ``badges.keys_dir`` (read once)."""

    def __init__(self, keys_dir: Path | None) -> None:
        self._keys_dir = keys_dir
        self._keys: list[RsaPublicKey] | None = None

    def problem(self, jws: CompactJws) -> str | None:
        """Why the signature fails, or None (also None when no keys folder is configured)."""
        if self._keys_dir is None:
            return None
        if self._keys is None:
            self._keys = load_public_keys(self._keys_dir)
        if jws.header.get("alg") not in _CHECKABLE_ALGS or not self._keys:
            # Nothing to check with: decoding still counts the award, as with no keys_dir.
            return None
        return signature_problem(jws, self._keys, self._keys_dir)


def _decode_item(item: Any, signatures: _Signatures) -> tuple[Any, str | None]:
    """The credential an item holds, and why its signature fails (None when it does not)."""
    if isinstance(item, CredentialInvalid):
        raise item
    if isinstance(item, str):
        if not looks_like_jwt(item):
            raise CredentialInvalid("item is a string but not a VC-JWT")
        try:
            jws, payload = decode_token(item)
        except TokenError as exc:
            raise CredentialInvalid(f"VC-JWT cannot be decoded: {exc}") from None
        problem = signatures.problem(jws)
        return credential_from_payload(payload), (f"VC-JWT {problem}" if problem else None)
    return item, None


class _FileLoad:
    """One file being loaded: items go in one at a time (or as a bulk frame), a result comes out."""

    def __init__(self, ctx: LoadContext, origin: Path, loader: str) -> None:
        self.origin = origin
        self.loader = loader
        self.rows = _Rows()
        self.quarantine: list[QuarantinedRow] = []
        self.lists = StatusLists(ctx, origin)
        self.signatures = _Signatures(ctx.settings.badges.keys_dir)
        self.achievements: dict[str, _AchievementRows] = {}
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
            credential, bad_signature = _decode_item(item, self.signatures)
            is_award = isinstance(credential, dict) and bool(
                AWARD_TYPES.intersection(_types(credential.get("type")))
            )
            if not is_award and _is_reference_list(credential):
                self.rows_read -= 1
                self.reference_lists += 1
                return
            self.awards_seen += is_award
            if bad_signature is not None:
                raise CredentialInvalid(bad_signature)
            parsed = parse_credential(credential, self.lists, self.today, self.achievements)
        except CredentialInvalid as exc:
            self.first_problem = self.first_problem or str(exc)
            self.quarantine.append(QuarantinedRow(row_number, _raw(item), str(exc)))
            return
        for note in parsed.notes:
            log.info("%s row %d: %s", self.origin.name, row_number, note)
        self.rows.add(row_number, parsed)

    def add_plain(self, awards: pl.DataFrame) -> None:
        """Add award rows the bulk path built (:func:`_plain_awards`). Their badge classes are
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


# --------------------------------------------------------------------------------------------
# NDJSON in bulk
#
# A big export repeats one shape tens of thousands of times. pyarrow parses its lines into
# typed columns in C++ (no Python object per value), polars applies parse_credential's rules to
# whole columns, and every row those columns cannot vouch for goes to parse_credential itself,
# in row order: a row with a note to log or a problem to word, a status to look up, a line
# orjson would refuse, and the first row of each achievement (whose badge class is built there).
# Both paths read the same rows the same way; only the time differs.

_STRING = pa.string()
_STRINGS = pa.list_(_STRING)
_SEEN = pa.struct([])
"""An object the bulk path only needs to know is there (its content makes the row careful)."""

BULK_SCHEMA = pa.schema(
    {
        "@context": _STRINGS,
        "id": _STRING,
        "type": _STRINGS,
        "name": _STRING,
        "issuer": pa.struct(
            {
                "id": _STRING,
                "type": _STRINGS,
                "name": _STRING,
                "parentOrg": _SEEN,
                "otherIdentifier": pa.list_(_SEEN),
            }
        ),
        "validFrom": _STRING,
        "issuanceDate": _STRING,
        "validUntil": _STRING,
        "expirationDate": _STRING,
        "credentialSubject": pa.struct(
            {
                "id": _STRING,
                "type": _STRINGS,
                "narrative": _STRING,
                "identifier": pa.list_(
                    pa.struct(
                        {
                            "type": _STRING,
                            "identityHash": _STRING,
                            "identityType": _STRING,
                            "hashed": pa.bool_(),
                            "salt": _STRING,
                        }
                    )
                ),
                "achievement": pa.struct({"id": _STRING, "resultDescription": pa.list_(_SEEN)}),
                "source": _SEEN,
                "result": pa.list_(_SEEN),
            }
        ),
        "evidence": pa.list_(
            pa.struct({"id": _STRING, "type": _STRINGS, "name": _STRING, "narrative": _STRING})
        ),
        "proof": pa.list_(pa.struct({"verificationMethod": _STRING})),
        "credentialStatus": _SEEN,
        "revoked": pa.bool_(),
    }
)
"""Every field :func:`parse_credential` reads from an award, typed as the OB 3.0 JSON Schema
types it. pyarrow refuses a block whose values have other types (an issuer given as a URL, a
language map for a name, a number for an id), and such a block is read line by line."""

BULK_BLOCK_LINES = 4096
"""Lines per pyarrow parse: one line of another shape sends at most this many to the slow path."""
_PARSE_THREADS = 2
"""Blocks parsed at once: pyarrow lets go of the GIL, so a second core can take the next one."""
_INT32 = 2**31 - 1  # the largest block pyarrow takes in one piece

_BULK_PARSE = pj.ParseOptions(explicit_schema=BULK_SCHEMA, unexpected_field_behavior="ignore")
_SPACE = b" \t\n\r\x0b\x0c"  # what bytes.strip() removes
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
"""What ``str.strip()`` removes (nothing above U+3000 is whitespace; a test checks)."""
_ASCII_ISO_DATE = ISO_DATE_PATTERN.replace(r"\d", "[0-9]")
# orjson refuses what pyarrow's parser accepts: NaN / Infinity literals and nesting deeper
# than 1024 levels. A line that might hold either is read by the careful path. Not caught (it
# would cost a second pass over every byte): a number beyond a double's range, such as 2e308,
# in a field no rule reads. orjson refuses the line; the bulk path loads the credential.
_ORJSON_MAX_DEPTH = 1024
_NON_FINITE = r"[\[:,]\s*-?(?:NaN|Inf)"
_KNOWN_METHOD = r"^(?:[hH][tT][tT][pP][sS]?|[dD][iI][dD]:(?:{})):".format(
    "|".join(sorted(_KNOWN_DID_METHODS))
)
"""A ``verificationMethod`` :func:`_proof_notes` has nothing to say about (ASCII classes, not
``(?i)``: Unicode case folding would also match what ``str.lower()`` keeps apart)."""


@dataclass(frozen=True)
class _NdjsonLines:
    """The lines of an NDJSON file of objects, as byte offsets into the file."""

    data: bytes
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    """Where each line's text ends, before its ``\\n`` or ``\\r\\n``."""
    one_object: npt.NDArray[np.bool_]
    """``{`` ... ``}`` with no stray ``\\r``: if pyarrow reads as many rows as there are such
    lines, each line was exactly one object, as ``splitlines`` and orjson would read it."""
    risky: npt.NDArray[np.bool_]
    """Might hold what orjson refuses and pyarrow accepts; read by the careful path."""

    def line(self, index: int) -> bytes:
        """The text of line ``index`` (0-based, blank lines counted)."""
        return self.data[self.starts[index] : self.ends[index]]


def _ndjson_lines(data: bytes) -> _NdjsonLines | None:
    """The lines of an NDJSON file of objects in UTF-8, or None for anything else (one JSON
    document or array, VC-JWT lines, a first line that is not JSON, other encodings), which
    :func:`split_items` reads as before."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    end = len(data)
    while start < end and data[start] in _SPACE:
        start += 1
    while end > start and data[end - 1] in _SPACE:
        end -= 1
    if start == end or data[start] != ord("{"):
        return None
    # The first line as split_items sees it (splitlines also breaks at a lone \r).
    newline = data.find(b"\n", start, end)
    first_end = end if newline == -1 else newline
    carriage = data.find(b"\r", start, first_end)
    first_end = first_end if carriage == -1 else carriage
    if first_end == end:
        return None
    try:
        orjson.loads(data[start:first_end])
    except orjson.JSONDecodeError:
        return None
    text = np.frombuffer(data, dtype=np.uint8)
    breaks = _line_breaks(data, start, end)
    starts = np.concatenate(([start], breaks + 1))
    ends = np.concatenate((breaks, [end]))
    ends -= (ends > starts) & (text[ends - 1] == ord("\r"))
    one_object = (ends - starts >= 2) & (text[starts] == ord("{")) & (text[ends - 1] == ord("}"))
    if data.find(b"\r", start, end) != -1:
        carriages = np.flatnonzero(text[start:end] == ord("\r")) + start
        stray = carriages[text[carriages + 1] != ord("\n")]
        one_object[np.searchsorted(starts, stray, side="right") - 1] = False
    offsets = np.append(starts, end)
    lines = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(starts), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )
    try:
        line_text = pl.Series(
            lines.view(pa.large_string()) if data.isascii() else lines.cast(pa.large_string())
        )
    except pa.ArrowInvalid:
        return None  # not UTF-8 throughout: split_items quarantines the bad lines
    return _NdjsonLines(data, starts, ends, one_object, _risky_lines(line_text))


def _line_breaks(data: bytes, start: int, end: int) -> npt.NDArray[np.int64]:
    """Where the ``\\n`` bytes of ``data[start:end]`` are. One ``find`` (memchr) per line is
    faster than comparing every byte in numpy: lines are long."""
    breaks: list[int] = []
    found = data.find(b"\n", start, end)
    while found != -1:
        breaks.append(found)
        found = data.find(b"\n", found + 1, end)
    return np.array(breaks, dtype=np.int64)


def _risky_lines(lines: pl.Series) -> npt.NDArray[np.bool_]:
    """Lines that may hold a NaN / Infinity literal or nest deeper than orjson reads."""
    suspects = (
        lines.str.contains_any(["NaN", "Inf"]) | (lines.str.len_bytes() > 2 * _ORJSON_MAX_DEPTH)
    ).arg_true()
    risky = np.zeros(len(lines), dtype=np.bool_)
    if len(suspects):
        text = lines.gather(suspects)
        opened = text.str.count_matches("[", literal=True) + text.str.count_matches(
            "{", literal=True
        )
        found = text.str.contains(_NON_FINITE) | (opened > _ORJSON_MAX_DEPTH)
        risky[suspects.filter(found).to_numpy()] = True
    return risky


def _read_blocks(lines: _NdjsonLines) -> tuple[pl.DataFrame | None, list[tuple[int, Any]]]:
    """Parse the lines block by block: the columns of the blocks pyarrow reads (with
    ``row_number``, ``line`` and ``risky``), and the items of the blocks it does not."""
    tables: list[pa.Table] = []
    items: list[tuple[int, Any]] = []
    row = 0
    count = len(lines.starts)
    spans = [
        (first, min(first + BULK_BLOCK_LINES, count)) for first in range(0, count, BULK_BLOCK_LINES)
    ]
    with ThreadPoolExecutor(max_workers=_PARSE_THREADS) as pool:
        parsed = list(pool.map(lambda span: _parse_block(lines, *span), spans))
    for (first, last), table in zip(spans, parsed, strict=True):
        if table is None:
            block = lines.data[lines.starts[first] : lines.ends[last - 1]]
            block_items = list(_line_items(block.splitlines(), row))
            items += block_items
            row = block_items[-1][0] if block_items else row
            continue
        tables.append(
            table.append_column("row_number", pa.array(np.arange(row + 1, row + 1 + last - first)))
            .append_column("line", pa.array(np.arange(first, last)))
            .append_column("risky", pa.array(lines.risky[first:last]))
        )
        row += last - first
    if not tables:
        return None, items
    return pl.DataFrame(pa.concat_tables(tables)), items


def _parse_block(lines: _NdjsonLines, first: int, last: int) -> pa.Table | None:
    """Lines ``first`` to ``last`` as :data:`BULK_SCHEMA` columns, or None when pyarrow cannot
    read them so or they are not one object per line."""
    if not lines.one_object[first:last].all():
        return None
    start, end = int(lines.starts[first]), int(lines.ends[last - 1])
    try:
        table = pj.read_json(
            pa.BufferReader(pa.py_buffer(memoryview(lines.data)[start:end])),
            read_options=pj.ReadOptions(use_threads=False, block_size=min(end - start + 1, _INT32)),
            parse_options=_BULK_PARSE,
        )
    except pa.ArrowException:
        return None
    return table if table.num_rows == last - first else None


def _stripped(text: pl.Expr) -> pl.Expr:
    """:func:`_text` for a string column: stripped as ``str.strip()`` does, empty -> null."""
    return text.str.strip_chars(_WHITESPACE).replace("", None)


def _iso_date(raw: pl.Expr) -> pl.Expr:
    """:func:`parse_instant` for ISO 8601 text as written (null: anything else, to be worded
    by the careful path; ``date.fromisoformat`` knows no year 0, chrono does)."""
    day = raw.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    return pl.when(raw.str.contains(_ASCII_ISO_DATE) & (day.dt.year() >= 1)).then(day)


def _all_items(items: pl.Expr, check: pl.Expr) -> pl.Expr:
    """True when ``check`` holds for every item of a list column (and for no list at all)."""
    return items.list.eval(check.fill_null(False)).list.all().fill_null(True)


def _none(items: pl.Expr) -> pl.Expr:
    """True for a list column that is missing or empty."""
    return items.list.len().fill_null(0) == 0


def _bulk_rows(credentials: pl.DataFrame, today: date) -> pl.DataFrame:
    """:func:`parse_credential` on whole columns of :data:`BULK_SCHEMA` credentials.

    Returns:
        For every row, the award's columns, ``achievement_key`` (the achievement's ``id`` as
        written) and ``plain``: True where parse_credential would give the same award with no
        note and no problem. Other rows must go through parse_credential.
    """
    issuer = pl.col("issuer")
    subject = pl.col("credentialSubject")
    achievement = subject.struct.field("achievement")
    identifier = subject.struct.field("identifier").list.first()
    # One evidence item, the usual case; a list of several is joined by the careful path.
    evidence = pl.col("evidence").list.first().struct.field
    item = pl.element().struct.field
    method = _stripped(item("verificationMethod"))
    rows = credentials.select(
        "row_number",
        "line",
        award_id=_stripped(pl.col("id")),
        credential_name=_stripped(pl.col("name")),
        issuer_id=_stripped(issuer.struct.field("id")),
        issuer_name=_stripped(issuer.struct.field("name")),
        issued_on=_iso_date(pl.coalesce("validFrom", "issuanceDate")),
        expires_on=_iso_date(pl.coalesce("validUntil", "expirationDate")),
        has_expiry=pl.coalesce("validUntil", "expirationDate").is_not_null(),
        subject_id=_stripped(subject.struct.field("id")),
        identity=_stripped(identifier.struct.field("identityHash")),
        identity_type=_stripped(identifier.struct.field("identityType")),
        marked_hashed=identifier.struct.field("hashed"),
        salt=_stripped(identifier.struct.field("salt")),
        evidence=pl.coalesce(
            _stripped(evidence("id")), _stripped(evidence("name")), _stripped(evidence("narrative"))
        ),
        narrative=_stripped(subject.struct.field("narrative")),
        achievement_key=achievement.struct.field("id"),
        # Everything else parse_credential checks, as the credential is written; any miss
        # (a note, a problem, a status) sends the row to the careful path.
        shaped=pl.all_horizontal(
            pl.col("type").list.contains("OpenBadgeCredential")
            | pl.col("type").list.contains("AchievementCredential"),
            pl.any_horizontal(pl.col("@context").list.contains(c) for c in VC_CONTEXTS),
            issuer.struct.field("type").list.contains("Profile"),
            issuer.struct.field("parentOrg").is_null(),
            _none(issuer.struct.field("otherIdentifier")),
            subject.struct.field("type").list.contains("AchievementSubject"),
            subject.struct.field("source").is_null(),
            _none(subject.struct.field("result")),
            achievement.struct.field("id") != "",
            _none(achievement.struct.field("resultDescription")),
            subject.struct.field("identifier").list.len() == 1,
            identifier.struct.field("type") == "IdentityObject",
            pl.col("evidence").list.len().fill_null(0) <= 1,
            evidence("type").list.contains("Evidence") | pl.col("evidence").list.first().is_null(),
            _all_items(
                pl.col("proof"),
                pl.element().is_null() | method.is_null() | method.str.contains(_KNOWN_METHOD),
            ),
            ~pl.col("revoked").fill_null(False),
            pl.col("credentialStatus").is_null(),
            ~pl.col("risky"),
        ).fill_null(False),
    )
    identity = pl.col("identity")
    prefixed = identity.str.starts_with("sha256$") | identity.str.starts_with("md5$")
    hashed = pl.coalesce("marked_hashed", prefixed)
    lowered = identity.str.to_lowercase()
    subject_id = pl.col("subject_id")
    return rows.with_columns(
        recipient_employee_id=pl.when(
            ~subject_id.str.contains(_URI_SCHEME.pattern)
            & ~subject_id.str.contains("@", literal=True)
        ).then(subject_id),
        recipient_type=pl.when(
            pl.col("identity_type").str.to_lowercase().is_in(list(_EMAIL_IDENTITY_TYPES))
        )
        .then(pl.lit("email"))
        .otherwise(pl.col("identity_type")),
        recipient_identity=identity,
        recipient_hashed=hashed,
        recipient_salt=pl.when(hashed).then(pl.col("salt")),
        plain=pl.all_horizontal(
            pl.col("shaped"),
            pl.col("award_id").is_not_null(),
            pl.col("issuer_id").is_not_null(),
            identity.is_not_null(),
            pl.col("issued_on").is_not_null(),
            pl.col("issued_on") <= pl.lit(today + _FUTURE_TOLERANCE),
            pl.col("expires_on").is_not_null() | ~pl.col("has_expiry"),
            (pl.col("expires_on") >= pl.col("issued_on")).fill_null(True),
            ~hashed | lowered.str.starts_with("sha256$") | lowered.str.starts_with("md5$"),
        ).fill_null(False),
    )


def _hand_over(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split :func:`_bulk_rows` into the rows the columns vouch for and the rows
    parse_credential must read: those that are not plain, and the first plain row of each
    achievement, which builds the badge class that the rows after it only look up."""
    careful = ~pl.col("plain") | pl.col("achievement_key").is_first_distinct().over("plain")
    return rows.filter(~careful), rows.filter(careful)


def _plain_awards(rows: pl.DataFrame, achievements: dict[str, _AchievementRows]) -> pl.DataFrame:
    """The award rows of plain bulk rows, named and classed from their achievement as
    parse_credential built it for the first row that has it."""
    keys = rows["achievement_key"].unique().to_list()
    classes = pl.DataFrame(
        {
            "achievement_key": keys,
            "badge_class_id": [achievements[key][0] for key in keys],
            "class_name": [achievements[key][1] for key in keys],
        },
        schema={"achievement_key": pl.String, "badge_class_id": pl.String, "class_name": pl.String},
    )
    return rows.join(classes, on="achievement_key", how="left").select(
        pl.col("row_number").cast(pl.Int64),
        "award_id",
        source_format=pl.lit(SOURCE_FORMAT),
        badge_class_id="badge_class_id",
        badge_name=pl.coalesce("class_name", "credential_name"),
        issuer_id="issuer_id",
        issuer_name="issuer_name",
        recipient_employee_id="recipient_employee_id",
        recipient_type="recipient_type",
        recipient_identity="recipient_identity",
        recipient_hashed="recipient_hashed",
        recipient_salt="recipient_salt",
        issued_on="issued_on",
        expires_on="expires_on",
        revoked=pl.lit(False),
        revoked_on=pl.lit(None, pl.Date),
        revocation_reason=pl.lit(None, pl.String),
        status=pl.lit(None, pl.String),
        evidence="evidence",
        narrative="narrative",
    )


def _load_ndjson(lines: _NdjsonLines, ctx: LoadContext, origin: Path) -> LoadResult:
    """Load an NDJSON file: plain rows in bulk, the others through :func:`parse_credential`."""
    file_load = _FileLoad(ctx, origin, NAME)
    credentials, items = _read_blocks(lines)
    plain: pl.DataFrame | None = None
    if credentials is not None:
        plain, handed = _hand_over(_bulk_rows(credentials, file_load.today))
        lines_handed = handed.select("row_number", "line").iter_rows()
        items += [(row, _line_value(lines.line(index))) for row, index in lines_handed]
    for row_number, item in sorted(items, key=lambda pair: pair[0]):
        file_load.add(row_number, item)
    if plain is not None and plain.height:
        file_load.add_plain(_plain_awards(plain, file_load.achievements))
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
            lines = _ndjson_lines(data)
            if lines is None:
                return load_items(split_items(data, path.name), ctx, path)
            return _load_ndjson(lines, ctx, path)
    finally:
        if collecting:
            gc.enable()
