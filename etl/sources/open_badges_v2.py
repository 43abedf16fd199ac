"""Open Badges 2.0 (and 1.x / 0.5) assertions, badge classes and revocation lists.

Reads a JSON document, a JSON array of documents, NDJSON (one document per line, streamed), a
compact JWS whose payload is an assertion (signed badges), or the "mocked HTTP" form validators
use. Each assertion becomes one ``raw_badge_awards`` row; every BadgeClass seen (embedded, in its
own file, or found by reference in the inbox) becomes a ``raw_badge_classes`` row with its
``alignment`` objects as ``raw_alignments`` rows; RevocationList entries become
``raw_revocations`` rows. How rows are written: awards and classes merge by id.

A unit ("row") is one assertion, one badge class or one revocation entry. Issuer profiles, keys
and endorsements are reference documents: they count as no row and only serve lookups.
A unit that cannot be used is quarantined with its reason; a file that is not JSON at all is
rejected. Validity is :class:`etl.models.BadgeAward`: good rows are checked in bulk with polars
and only the rows polars flags go through the model, which words the reason.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import orjson
import polars as pl
from pydantic import ValidationError

from etl.models import (
    ISO_DATE_PATTERN,
    BadgeAward,
    BadgeClass,
    describe_validation_error,
)
from etl.sources.badge_tables import (
    ALIGNMENT_SCHEMA,
    AWARD_SCHEMA,
    BADGE_CLASS_SCHEMA,
    REVOCATION_SCHEMA,
)
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe, QuarantinedRow
from etl.sources.documents import DocumentIndex, decode_text, index_for, split_mocked_http
from etl.sources.jws import (
    CompactJws,
    JwsError,
    RsaPublicKey,
    decode_compact_jws,
    load_public_keys,
    looks_like_compact_jws,
    signature_problem,
)

NAME = "open_badges_v2"

OB2_LABELS = {
    "award_id": "id",
    "badge_class_id": "badge",
    "badge_name": "badge.name",
    "issuer_id": "badge.issuer",
    "issuer_name": "issuer.name",
    "recipient_type": "recipient.type",
    "recipient_identity": "recipient.identity",
    "recipient_hashed": "recipient.hashed",
    "recipient_salt": "recipient.salt",
    "issued_on": "issuedOn",
    "expires_on": "expires",
    "revoked": "revoked",
    "revocation_reason": "revocationReason",
    "evidence": "evidence",
    "narrative": "narrative",
}
"""Canonical column -> the property a person sees in their Open Badges file, for messages."""

CHUNK_ROWS = 20_000
"""Awards buffered as Python values before they become a polars frame: small enough that the
buffered strings stay a few MB, large enough that per-frame overhead does not show."""

MAX_DOCUMENT_BYTES = 1 << 30
"""A single (non-NDJSON) JSON document is parsed whole; beyond this, NDJSON is the way."""

_HEAD_BYTES = 1 << 20
_CLIP = 500
_ASSERTION, _BADGE_CLASS, _REVOCATION_LIST, _REVOKED_NOTICE = (
    "assertion",
    "badge_class",
    "revocation_list",
    "revoked_notice",
)
_REFERENCE, _UNKNOWN = "reference", "unknown"
_REFERENCE_TYPES = frozenset(
    {
        "Issuer",
        "Profile",
        "CryptographicKey",
        "Endorsement",
        "Criteria",
        "Evidence",
        "Image",
        "AlignmentObject",
        "Extension",
        "VerificationObject",
        "IdentityObject",
    }
)
_CONTEXT_KEYS = frozenset({"@context", "@language", "id", "validation"})
_DETECT_TYPES = frozenset({"Assertion", "BadgeClass", "Issuer", "Profile", "RevocationList"})
_VC_MARKERS = ("www.w3.org/2018/credentials", "www.w3.org/ns/credentials")
_HASH_PREFIXES = ("sha256$", "md5$")
_STRING_FIELDS = (
    "award_id",
    "badge_class_id",
    "badge_name",
    "issuer_id",
    "issuer_name",
    "recipient_type",
    "recipient_identity",
    "recipient_salt",
    "revocation_reason",
    "evidence",
    "narrative",
)
_BUFFERED = (
    *_STRING_FIELDS,
    "source_format",
    "recipient_hashed",
    "revoked",
    "issued_raw",
    "expires_raw",
)
_N_STRINGS = len(_STRING_FIELDS)
_TEXT_TYPES = frozenset({str, type(None)})
_HEAD_TYPE = re.compile(
    r'"type"\s*:\s*\[?\s*"(?:[^"]*[#:/])?(Assertion|BadgeClass|Issuer|Profile|RevocationList)"'
)


# --------------------------------------------------------------------------------------------
# detect


def detect(probe: Probe) -> bool:
    """Return True for Open Badges 2.0 / 1.x / 0.5 documents, arrays, NDJSON or signed JWS.

    Recognised: an ``@context`` naming ``w3id.org/openbadges``; a ``type`` of Assertion,
    BadgeClass, Issuer, Profile or RevocationList without a W3C credentials context (that is
    Open Badges 3.0); the 1.x / 0.5 shape (``recipient`` and ``badge``); a compact JWS whose
    payload is such an assertion; and the mocked-HTTP form (URL line, blank line, JSON).
    """
    _url, body = split_mocked_http(probe.text_head())
    text = body.strip()
    if not text:
        return False
    if text[0] not in "{[":
        return _head_jws_is_ob2(text)
    values = _head_values(text)
    if values:
        return any(_is_ob2_value(value) for value in values)
    # A head cut mid-document, or broken JSON (which load() then rejects with the parse error
    # rather than leaving the file unrecognised): fall back to what the text says.
    if any(marker in text for marker in _VC_MARKERS) or "VerifiableCredential" in text:
        return False
    return (
        "w3id.org/openbadges" in text
        or _HEAD_TYPE.search(text) is not None
        or ('"recipient"' in text and '"badge"' in text)
    )


def _head_values(text: str) -> list[Any]:
    try:
        return [orjson.loads(text)]
    except orjson.JSONDecodeError:
        pass
    first = text.split("\n", 1)[0]
    try:
        return [orjson.loads(first)]
    except orjson.JSONDecodeError:
        return []


def _head_jws_is_ob2(text: str) -> bool:
    parts = "".join(text.split()).split(".")
    if len(parts) < 3:
        return False
    try:
        payload = orjson.loads(decode_compact_jws(".".join(parts[:2]) + ".").payload)
    except (JwsError, orjson.JSONDecodeError):
        return False
    return isinstance(payload, dict) and _kind(payload)[0] == _ASSERTION and _is_ob2_value(payload)


def _is_ob2_value(value: Any) -> bool:
    if isinstance(value, list):
        return any(_is_ob2_value(item) for item in value[:3])
    if isinstance(value, str):
        return looks_like_compact_jws(value) and _head_jws_is_ob2(value)
    if not isinstance(value, dict) or _is_verifiable_credential(value):
        return False
    context = _context_text(value.get("@context"))
    if "openbadges" in context and set(value) - {"@context"}:
        return True
    if _type_names(value) & _DETECT_TYPES:
        return True
    return "recipient" in value and "badge" in value


def _is_verifiable_credential(doc: dict[str, Any]) -> bool:
    context = _context_text(doc.get("@context"))
    return (
        any(marker in context for marker in _VC_MARKERS)
        or "VerifiableCredential" in _type_names(doc)
        or "credentialSubject" in doc
        or "vc" in doc
    )


def _context_text(context: Any) -> str:
    if context is None:
        return ""
    if isinstance(context, str):
        return context
    try:
        return orjson.dumps(context).decode()
    except (orjson.JSONEncodeError, TypeError):
        return ""


def _type_names(doc: dict[str, Any]) -> set[str]:
    """Type names with any IRI prefix dropped (``obi:Assertion`` -> ``Assertion``)."""
    raw = doc.get("type")
    if isinstance(raw, str):
        return {_type_name(raw)}
    values = raw if isinstance(raw, list) else [raw]
    return {_type_name(v) for v in values if isinstance(v, str)}


@lru_cache(maxsize=256)
def _type_name(value: str) -> str:
    return re.split(r"[#:/]", value)[-1]


# --------------------------------------------------------------------------------------------
# what a document is


def _kind(doc: dict[str, Any]) -> tuple[str, str]:
    """Classify a document; the second value is the reason when it is of no use."""
    if "type" in doc:
        names = _type_names(doc)
        if "Assertion" in names:
            return _ASSERTION, ""
        if "BadgeClass" in names:
            return _BADGE_CLASS, ""
        if "RevocationList" in names:
            return _REVOCATION_LIST, ""
        if names & _REFERENCE_TYPES:
            return _REFERENCE, ""
        if not names:
            return _UNKNOWN, f"type {_clip(doc['type'])} names no Open Badges class"
        shown = ", ".join(sorted(names))
        return _UNKNOWN, (
            f"type '{shown}' is not an Open Badges Assertion, BadgeClass or RevocationList"
        )
    if "recipient" in doc or ("badge" in doc and ("issuedOn" in doc or "issued_on" in doc)):
        return _ASSERTION, ""
    if "revokedAssertions" in doc:
        return _REVOCATION_LIST, ""
    if doc.get("revoked") is True and "id" in doc:
        return _REVOKED_NOTICE, ""
    if "name" in doc and ("criteria" in doc or "issuer" in doc):
        return _BADGE_CLASS, ""
    if set(doc) <= _CONTEXT_KEYS or (
        "name" in doc and ("url" in doc or "email" in doc or "origin" in doc)
    ):
        # A JSON-LD context document, or a 1.x issuer: looked up, never a row.
        return _REFERENCE, ""
    doc_id = doc.get("id")
    named = f"document {_clip(doc_id)}" if isinstance(doc_id, str) else "the document"
    return _UNKNOWN, (
        f"{named} has no type and is not an assertion (no recipient), "
        "a badge class (no name and criteria) or a revocation list"
    )


def _version(doc: dict[str, Any]) -> str:
    """``ob2``, ``ob1`` (1.0 / 1.1) or ``ob05``, from the context or, without one, the shape."""
    context = doc.get("@context")
    text = context if isinstance(context, str) else _context_text(context)
    if "openbadges/v1" in text:
        return "ob1"
    if "openbadges" in text:
        return "ob2"
    if "uid" in doc or "verify" in doc:
        return "ob1"
    badge = doc.get("badge")
    badge_version = badge.get("version") if isinstance(badge, dict) else None
    if isinstance(doc.get("recipient"), str) or (
        isinstance(badge_version, str) and badge_version.startswith("0.5")
    ):
        return "ob05"
    return "ob2" if "type" in doc else "ob1"


def _is_badge_class(doc: dict[str, Any]) -> bool:
    return _kind(doc)[0] == _BADGE_CLASS


def _is_issuer(doc: dict[str, Any]) -> bool:
    names = _type_names(doc)
    if names:
        return bool(names & {"Issuer", "Profile"})
    return "name" in doc and "recipient" not in doc and "criteria" not in doc


# --------------------------------------------------------------------------------------------
# the parser: one per file (or per baked image), shared by load() and parse_document()


@dataclass(frozen=True)
class _Badge:
    badge_class_id: str
    name: Any
    issuer_id: Any
    issuer_name: Any


_Values = tuple[Any, ...]
"""One award's values in ``_BUFFERED`` order (a tuple: cheaper to build and keep than a dict)."""


class _Parser:
    """Turns documents into rows; keeps per-file caches of resolved badge classes."""

    def __init__(self, ctx: LoadContext) -> None:
        self.ctx = ctx
        self.rows_read = 0
        self.loaded = 0
        self.quarantine: list[QuarantinedRow] = []
        self.award_frames: list[pl.DataFrame] = []
        self.buffer: list[_Values] = []
        self.buffer_rows: list[int] = []
        self.class_rows: list[dict[str, Any]] = []
        self.alignment_rows: list[dict[str, Any]] = []
        self.revocation_rows: list[dict[str, Any]] = []
        self._badges: dict[str, _Badge | str] = {}
        self._classes_written: set[str] = set()
        self._issuer_names: dict[str, Any] = {}
        self._index: DocumentIndex | None = None
        self._keys: list[RsaPublicKey] | None = None

    # -- units ------------------------------------------------------------------------------

    def reject_unit(self, row_number: int, raw: dict[str, Any], reason: str) -> None:
        """Count one unit as read and quarantine it."""
        self.rows_read += 1
        self.quarantine.append(QuarantinedRow(row_number=row_number, raw=raw, reason=reason))

    def add_value(self, row_number: int, value: Any, default_id: str | None = None) -> None:
        """Read one JSON value: a document, or a string holding a compact JWS."""
        jws: CompactJws | None = None
        if isinstance(value, str) and looks_like_compact_jws(value):
            try:
                jws = decode_compact_jws(value)
                value = orjson.loads(jws.payload)
            except (JwsError, orjson.JSONDecodeError) as exc:
                self.reject_unit(row_number, _raw(value), f"signed badge cannot be decoded: {exc}")
                return
        if not isinstance(value, dict):
            self.reject_unit(
                row_number,
                _raw(value),
                f"a JSON {_json_type(value)} is not an Open Badges document",
            )
            return
        if default_id is not None and not isinstance(value.get("id"), str):
            value = {**value, "id": default_id}
        kind, reason = _kind(value)
        if kind == _ASSERTION:
            if jws is not None and (problem := self._signature_problem(jws)):
                self.reject_unit(row_number, _raw(value), problem)
                return
            self.add_assertion(row_number, value)
        elif kind == _BADGE_CLASS:
            self._add_badge_class_document(row_number, value)
        elif kind == _REVOCATION_LIST:
            self._add_revocation_list(row_number, value)
        elif kind == _REVOKED_NOTICE:
            self._add_revocation(row_number, value.get("id"), value.get("revocationReason"))
        elif kind == _UNKNOWN:
            self.reject_unit(row_number, _raw(value), reason)
        # _REFERENCE: issuers, keys, endorsements... are looked up, never rows themselves.

    def _signature_problem(self, jws: CompactJws) -> str | None:
        keys_dir = self.ctx.settings.badges.keys_dir
        if keys_dir is None:
            return None
        if self._keys is None:
            cached = self.ctx.cache.get("open_badges.public_keys")
            if not isinstance(cached, list):
                cached = load_public_keys(Path(keys_dir))
                self.ctx.cache["open_badges.public_keys"] = cached
            self._keys = cached
        return signature_problem(jws, self._keys, Path(keys_dir))

    # -- assertions -------------------------------------------------------------------------

    def add_assertion(self, row_number: int, doc: dict[str, Any]) -> None:
        """Read one assertion document."""
        self.rows_read += 1
        version = _version(doc)
        badge = self._badge_of(doc.get("badge"), version, row_number)
        if isinstance(badge, str):
            self.quarantine.append(QuarantinedRow(row_number, _raw(doc), badge))
            return
        values = _award_values(doc, version, badge)
        if _fast_ok(values):
            self.buffer.append(values)
            self.buffer_rows.append(row_number)
        else:
            self._validate_one(row_number, values)
        if len(self.buffer) >= CHUNK_ROWS:
            self.flush()

    def _validate_one(self, row_number: int, values: _Values) -> None:
        """The slow path: the model decides, and words the reason when it says no."""
        try:
            award = BadgeAward.model_validate(_model_input(values), context={"labels": OB2_LABELS})
        except ValidationError as exc:
            self.quarantine.append(
                QuarantinedRow(
                    row_number,
                    _raw(dict(zip(_BUFFERED, values, strict=True))),
                    describe_validation_error(exc, OB2_LABELS),
                )
            )
            return
        good = award.model_dump()
        good["issued_raw"] = award.issued_on.isoformat()
        good["expires_raw"] = award.expires_on.isoformat() if award.expires_on else None
        self.buffer.append(tuple(good[key] for key in _BUFFERED))
        self.buffer_rows.append(row_number)

    def flush(self) -> None:
        """Turn the buffered awards into a checked polars frame."""
        if not len(self.buffer):
            return
        columns = dict(zip(_BUFFERED, zip(*self.buffer, strict=True), strict=True))
        frame = pl.DataFrame(
            {"row_number": self.buffer_rows, **columns},
            schema={
                "row_number": pl.Int64(),
                **{k: AWARD_SCHEMA[k] for k in _STRING_FIELDS},
                "source_format": pl.String(),
                "recipient_hashed": pl.Boolean(),
                "revoked": pl.Boolean(),
                "issued_raw": pl.String(),
                "expires_raw": pl.String(),
            },
        )
        self.buffer, self.buffer_rows = [], []
        frame = frame.with_columns(
            issued_on=_parse_dates("issued_raw"), expires_on=_parse_dates("expires_raw")
        )
        flagged = (
            pl.col("issued_on").is_null()
            | (pl.col("expires_raw").is_not_null() & pl.col("expires_on").is_null())
            | (pl.col("expires_on") < pl.col("issued_on")).fill_null(False)
        )
        frame = frame.with_columns(_flagged=flagged)
        bad = frame.filter(pl.col("_flagged"))
        good = frame.filter(~pl.col("_flagged"))
        fixed: list[dict[str, Any]] = []
        for row in bad.iter_rows(named=True):
            # Rows polars flags go to the model: it has the last word and words the reason.
            values = tuple(row[k] for k in _BUFFERED)
            try:
                award = BadgeAward.model_validate(
                    _model_input(values), context={"labels": OB2_LABELS}
                )
            except ValidationError as exc:
                reason = describe_validation_error(exc, OB2_LABELS)
                self.quarantine.append(
                    QuarantinedRow(
                        row["row_number"], _raw(dict(zip(_BUFFERED, values, strict=True))), reason
                    )
                )
                continue
            fixed.append({"row_number": row["row_number"], **award.model_dump()})
        awards = good.select(_award_columns())
        if fixed:
            awards = pl.concat([awards, pl.DataFrame(fixed, schema=AWARD_SCHEMA)])
        awards = awards.with_columns(recipient_identity=_normalised_identity())
        self.loaded += awards.height
        self.award_frames.append(awards)

    def _badge_of(self, badge: Any, version: str, row_number: int) -> _Badge | str:
        """The badge class an assertion names (embedded or by reference), or the reason why
        not. Resolved classes are cached per file; the first copy of an id wins."""
        if isinstance(badge, str):
            cached = self._badges.get(badge)
            if cached is None:
                cached = self._resolve_badge(badge, version, row_number)
                self._badges[badge] = cached
            return cached
        if isinstance(badge, dict):
            class_id = badge.get("id")
            if isinstance(class_id, str) and class_id:
                cached = self._badges.get(class_id)
                # An embedded copy also serves later references that failed to resolve.
                if cached is None or isinstance(cached, str):
                    cached = self._badge_from_document(badge, class_id, version, row_number)
                    self._badges[class_id] = cached
                return cached
            return self._badge_from_document(badge, _synthetic_id(badge), version, row_number)
        if badge is None:
            return "badge is missing: an assertion names its BadgeClass"
        return f"badge {_clip(badge)} is neither a BadgeClass URL nor a BadgeClass object"

    def _resolve_badge(self, url: str, version: str, row_number: int) -> _Badge | str:
        document, reason = self._documents().resolve(url, _is_badge_class, "badge class")
        if document is None:
            return reason
        class_id = document.get("id")
        return self._badge_from_document(
            document,
            class_id if isinstance(class_id, str) and class_id else url,
            version,
            row_number,
        )

    def _badge_from_document(
        self, document: dict[str, Any], class_id: str, version: str, row_number: int
    ) -> _Badge:
        issuer_id, issuer_name = self._issuer_of(document.get("issuer"))
        badge = _Badge(class_id, document.get("name"), issuer_id, issuer_name)
        self._write_badge_class(row_number, document, badge, version)
        return badge

    def _issuer_of(self, issuer: Any) -> tuple[Any, Any]:
        if isinstance(issuer, dict):
            issuer_id = issuer.get("id") or issuer.get("origin") or issuer.get("url")
            return issuer_id, issuer.get("name")
        if isinstance(issuer, str) and issuer:
            if issuer not in self._issuer_names:
                # An issuer that is not in the inbox only costs its name, never the award.
                found = self._documents().find(issuer, _is_issuer)
                self._issuer_names[issuer] = found.get("name") if found else None
            return issuer, self._issuer_names[issuer]
        return None, None

    def _documents(self) -> DocumentIndex:
        if self._index is None:
            self._index = index_for(self.ctx)
        return self._index

    # -- badge classes ----------------------------------------------------------------------

    def _add_badge_class_document(self, row_number: int, doc: dict[str, Any]) -> None:
        self.rows_read += 1
        class_id = doc.get("id")
        if not isinstance(class_id, str) or not class_id:
            class_id = _synthetic_id(doc)
        issuer_id, issuer_name = self._issuer_of(doc.get("issuer"))
        badge = _Badge(class_id, doc.get("name"), issuer_id, issuer_name)
        problem = self._write_badge_class(row_number, doc, badge, _version(doc))
        if problem:
            self.quarantine.append(QuarantinedRow(row_number, _raw(doc), problem))
        else:
            self.loaded += 1

    def _write_badge_class(
        self, row_number: int, doc: dict[str, Any], badge: _Badge, version: str
    ) -> str | None:
        """Add the class and its alignments once per file; return the reason when invalid."""
        if badge.badge_class_id in self._classes_written:
            return None
        try:
            row = BadgeClass.model_validate(
                {
                    "badge_class_id": badge.badge_class_id,
                    "name": badge.name,
                    "description": _text(doc.get("description")),
                    "issuer_id": badge.issuer_id,
                    "issuer_name": badge.issuer_name,
                    "criteria": _criteria(doc.get("criteria")),
                    "source_format": version,
                }
            )
        except ValidationError as exc:
            return describe_validation_error(exc, {"name": "name", "issuer_id": "issuer"})
        self._classes_written.add(badge.badge_class_id)
        self.class_rows.append({"row_number": row_number, **row.model_dump()})
        alignment = doc.get("alignment")
        for item in alignment if isinstance(alignment, list) else [alignment]:
            if isinstance(item, dict):
                values = {
                    "target_name": _str_or_none(item.get("targetName")),
                    "target_url": _str_or_none(item.get("targetUrl")),
                    "target_framework": _str_or_none(item.get("targetFramework")),
                    "target_code": _str_or_none(item.get("targetCode")),
                    "target_type": _str_or_none(item.get("targetType")),
                }
                # An alignment naming nothing cannot map to a skill; it carries no information.
                if values["target_name"] or values["target_url"] or values["target_code"]:
                    self.alignment_rows.append(
                        {"row_number": row_number, "badge_class_id": badge.badge_class_id} | values
                    )
        return None

    # -- revocations ------------------------------------------------------------------------

    def _add_revocation_list(self, row_number: int, doc: dict[str, Any]) -> None:
        entries = doc.get("revokedAssertions", [])
        if not isinstance(entries, list):
            self.reject_unit(row_number, _raw(doc), "revokedAssertions is not a list")
            return
        for position, entry in enumerate(entries, start=1):
            if isinstance(entry, str):
                self._add_revocation(row_number, entry, None)
            elif isinstance(entry, dict):
                award_id = entry.get("id") or entry.get("uid")
                self._add_revocation(row_number, award_id, entry.get("revocationReason"))
            else:
                self.reject_unit(
                    row_number,
                    _raw(entry),
                    f"revokedAssertions entry {position} is neither an id nor an object",
                )

    def _add_revocation(self, row_number: int, award_id: Any, reason: Any) -> None:
        if not isinstance(award_id, str) or not award_id:
            self.reject_unit(
                row_number,
                {"id": _clip(award_id), "revocationReason": _clip(reason)},
                "revoked assertion has no id (or uid) to say which award it revokes",
            )
            return
        self.rows_read += 1
        self.loaded += 1
        self.revocation_rows.append(
            {
                "row_number": row_number,
                "award_id": award_id,
                "revoked_on": None,
                "reason": _text(reason),
            }
        )

    # -- result -----------------------------------------------------------------------------

    def tables(self) -> dict[str, pl.DataFrame]:
        """The four raw tables this file feeds (empty frames included)."""
        self.flush()
        awards = (
            pl.concat(self.award_frames, rechunk=False)
            if self.award_frames
            else pl.DataFrame(schema=AWARD_SCHEMA)
        )
        return {
            "raw_badge_awards": awards,
            "raw_badge_classes": pl.DataFrame(self.class_rows, schema=BADGE_CLASS_SCHEMA),
            "raw_alignments": pl.DataFrame(self.alignment_rows, schema=ALIGNMENT_SCHEMA),
            "raw_revocations": pl.DataFrame(self.revocation_rows, schema=REVOCATION_SCHEMA),
        }

    def result(self) -> LoadResult:
        """The LoadResult; ``rows_read == rows_loaded + len(quarantine)`` by construction."""
        tables = self.tables()
        return LoadResult(
            loader=NAME,
            rows_read=self.rows_read,
            tables=tables,
            quarantine=self.quarantine,
            rows_loaded=self.loaded,
        )


# --------------------------------------------------------------------------------------------
# one assertion's values


def _award_values(doc: dict[str, Any], version: str, badge: _Badge) -> _Values:
    """The award's raw values, in ``_BUFFERED`` order."""
    recipient = doc.get("recipient")
    salt = doc.get("salt")
    if isinstance(recipient, dict):
        identity = recipient.get("identity")
        hashed = recipient.get("hashed")
        salt = recipient.get("salt", salt)
        recipient_type = recipient.get("type", "email")
    else:
        # 0.5: the recipient is the (possibly hashed) email itself, the salt sits beside it.
        identity, hashed, recipient_type = recipient, None, "email"
    if hashed is None and type(identity) is str:
        # 0.5 and some 1.x issuers say "hashed" only through the prefix.
        hashed = identity.lstrip()[:7].lower().startswith(_HASH_PREFIXES)
    issued = doc.get("issuedOn")
    if issued is None:
        issued = doc.get("issued_on")
    evidence = doc.get("evidence")
    if evidence is not None and type(evidence) is not str:
        evidence = _evidence(evidence)
    return (
        doc.get("id") or _award_id(doc, version),
        badge.badge_class_id,
        badge.name,
        badge.issuer_id,
        badge.issuer_name,
        recipient_type,
        identity,
        salt,
        doc.get("revocationReason"),
        evidence,
        doc.get("narrative"),
        version,
        hashed,
        doc.get("revoked", False),
        issued,
        doc.get("expires"),
    )


def _award_id(doc: dict[str, Any], version: str) -> Any:
    award_id = doc.get("id")
    if award_id is not None and award_id != "":
        return award_id
    verify = doc.get("verify")
    if version == "ob1" and isinstance(verify, dict) and isinstance(verify.get("url"), str):
        # 1.0 hosted assertions are identified by the URL they are hosted at.
        return verify["url"]
    return _synthetic_id(doc)


def _fast_ok(values: _Values) -> bool:
    """Cheap checks that let a row skip the model; anything unusual takes the slow path."""
    if not _TEXT_TYPES.issuperset(map(type, values[:_N_STRINGS])):
        return False
    identity, hashed, revoked, issued, expires = (
        values[6],
        values[12],
        values[13],
        values[14],
        values[15],
    )
    return (
        bool(values[0])
        and bool(identity)
        and (
            hashed is False or (hashed is True and identity[:7].lower().startswith(_HASH_PREFIXES))
        )
        and type(issued) is str
        and (expires is None or type(expires) is str)
        and type(revoked) is bool
    )


def _model_input(values: _Values) -> dict[str, Any]:
    named = dict(zip(_BUFFERED, values, strict=True))
    named["issued_on"] = named.pop("issued_raw")
    named["expires_on"] = named.pop("expires_raw")
    return named


def _parse_dates(column: str) -> pl.Expr:
    raw = pl.col(column)
    return (
        pl.when(raw.str.contains(ISO_DATE_PATTERN))
        .then(raw.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))
        .otherwise(None)
    )


def _normalised_identity() -> pl.Expr:
    """Trimmed; a hash in lower case (``SHA256$ABC`` -> ``sha256$abc``) so that it compares
    equal to the hex digest SQL computes from a roster email and the salt."""
    identity = pl.col("recipient_identity").str.strip_chars()
    return pl.when(pl.col("recipient_hashed")).then(identity.str.to_lowercase()).otherwise(identity)


def _award_columns() -> list[pl.Expr]:
    constant = {
        "recipient_employee_id": pl.lit(None, pl.String()),
        "revoked_on": pl.lit(None, pl.Date()),
        "status": pl.lit(None, pl.String()),
    }
    return [
        constant[name].alias(name) if name in constant else pl.col(name) for name in AWARD_SCHEMA
    ]


# --------------------------------------------------------------------------------------------
# small value helpers


def _synthetic_id(doc: Any) -> str:
    """``urn:sha256:`` of the canonical JSON: the same document always gets the same id."""
    try:
        canonical = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONEncodeError, TypeError, RecursionError):
        # Nested beyond what orjson writes (254 levels): Python's encoder goes deeper.
        try:
            canonical = json.dumps(doc, sort_keys=True).encode("utf-8", "replace")
        except (TypeError, ValueError, RecursionError):
            canonical = b"<unserialisable document>"
    return "urn:sha256:" + hashlib.sha256(canonical).hexdigest()


def _evidence(value: Any) -> Any:
    """A URL stays a string; objects become their id; several become a JSON list."""
    if value is None or isinstance(value, str):
        return value
    items = value if isinstance(value, list) else [value]
    reduced = [_evidence_item(item) for item in items]
    if len(reduced) == 1 and isinstance(reduced[0], str):
        return reduced[0]
    return _json_text(reduced)


def _evidence_item(item: Any) -> Any:
    if isinstance(item, dict):
        item_id = item.get("id")
        if isinstance(item_id, str) and item_id and not item_id.startswith("_:"):
            return item_id
        return {k: v for k, v in item.items() if k != "id" or not str(v).startswith("_:")}
    return item


def _criteria(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("id", "narrative"):
            if isinstance(value.get(key), str) and not value[key].startswith("_:"):
                return str(value[key])
    return _text(value)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return _json_text(value)


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _json_text(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except (orjson.JSONEncodeError, TypeError, RecursionError):
        return _clip(value)


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _clip(value: Any) -> str:
    text = value if isinstance(value, str) else _json_text_unclipped(value)
    return text if len(text) <= _CLIP else text[: _CLIP - 3] + "..."


def _json_text_unclipped(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except (orjson.JSONEncodeError, TypeError, RecursionError):
        return repr(type(value))


def _raw(value: Any) -> dict[str, Any]:
    """What the quarantine keeps of a unit: its top-level fields, each clipped."""
    if isinstance(value, dict):
        return {str(k): _clip(v) for k, v in list(value.items())[:40]}
    return {"value": _clip(value)}


# --------------------------------------------------------------------------------------------
# load


def parse_document(
    obj: dict[str, Any] | str, ctx: LoadContext, *, origin: str | Path
) -> LoadResult:
    """Turn one already-extracted Open Badges 2.0 / 1.x / 0.5 document into rows.

    Made for the baked-image loader: it hands over the assertion found in a PNG ``iTXt`` chunk
    or an SVG ``openbadges:assertion`` element. Everything :func:`load` does to one document
    happens here too: referenced BadgeClass / Issuer documents are resolved through the run's
    document index, a compact JWS is decoded (and its signature checked when
    ``badges.keys_dir`` is set), and the award is judged by :class:`etl.models.BadgeAward`.

    Args:
        obj: the document as a dict (an Assertion, a BadgeClass or a RevocationList), or the
            text of a compact JWS whose payload is an assertion.
        ctx: the run's context (settings, inbox, shared caches).
        origin: where the document came from (the image's path or a label). Not stored in
            rows: the writer records the file.

    Returns:
        A :class:`LoadResult` with ``loader == "open_badges_v2"`` and exactly the four tables
        ``raw_badge_awards``, ``raw_badge_classes``, ``raw_alignments`` and
        ``raw_revocations`` (polars frames with the store's columns plus ``row_number``,
        always ``1``; possibly empty). An assertion gives 0 or 1 award rows; when it cannot be
        used, ``quarantine`` holds one :class:`QuarantinedRow` (``row_number`` 1) with the
        reason. ``rows_read == rows_loaded + len(quarantine)``; issuer profiles, keys and
        endorsements give ``rows_read == 0``. Never raises for bad content.
    """
    del origin  # the caller records the file; rows do not carry it
    parser = _Parser(ctx)
    parser.add_value(1, obj)
    return parser.result()


def load(path: Path, ctx: LoadContext) -> LoadResult:
    """Read an Open Badges 2.0 / 1.x / 0.5 file into award, badge class and revocation rows.

    Args:
        path: a JSON document, JSON array, NDJSON, compact JWS or mocked-HTTP file.
        ctx: the run's context.

    Returns:
        The rows of ``raw_badge_awards``, ``raw_badge_classes``, ``raw_alignments`` and
        ``raw_revocations``, and the quarantined units with their reasons.

    Raises:
        FileRejected: when the file is not JSON, NDJSON or a compact JWS at all.
    """
    parser = _Parser(ctx)
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(_HEAD_BYTES)
            _read_into(parser, stream, head, size)
    except OSError as exc:
        raise FileRejected(f"cannot be read: {exc.strerror or exc}") from exc
    except RecursionError as exc:
        raise FileRejected("not valid JSON: nested too deeply") from exc
    return parser.result()


def _read_into(parser: _Parser, stream: IO[bytes], head: bytes, size: int) -> None:
    head_text = decode_text(head).lstrip()
    if head_text.startswith("{") and _is_ndjson(
        _complete_lines(head_text, size > len(head)), size > len(head)
    ):
        stream.seek(0)
        _read_ndjson(parser, stream)
        return
    if size > MAX_DOCUMENT_BYTES:
        raise FileRejected(
            f"a single JSON document of {size} bytes is too large; export NDJSON instead"
        )
    stream.seek(0)
    text = decode_text(stream.read())
    url, body = split_mocked_http(text)
    stripped = body.strip()
    if not stripped:
        raise FileRejected("the file is empty")
    if stripped[0] not in "{[":
        if looks_like_compact_jws(stripped):
            parser.add_value(1, stripped, default_id=url)
            return
        lines = stripped.splitlines()
        if len(lines) > 1 and all(looks_like_compact_jws(line) for line in lines[:3]):
            # One signed assertion per line.
            stream.seek(0)
            _read_ndjson(parser, stream)
            return
        raise FileRejected(
            f"not JSON, NDJSON or a compact JWS: it starts with {_clip(stripped[:40])}"
        )
    try:
        value = orjson.loads(stripped)
    except orjson.JSONDecodeError as exc:
        if stripped.startswith("{") and _is_ndjson(stripped, more_beyond=False):
            stream.seek(0)
            _read_ndjson(parser, stream)
            return
        raise FileRejected(f"not valid JSON: {exc}") from exc
    if isinstance(value, list):
        for number, item in enumerate(value, start=1):
            parser.add_value(number, item)
    elif isinstance(value, dict):
        parser.add_value(1, value, default_id=url)
    else:
        parser.add_value(1, value)


def _is_ndjson(text: str, more_beyond: bool) -> bool:
    """NDJSON when the first line is a whole JSON object and something follows it, or, when
    the first line is broken, when the second non-empty line is a whole JSON object (a
    pretty-printed document's second line never is)."""
    first, _, rest = text.partition("\n")
    try:
        if isinstance(orjson.loads(first), dict):
            return more_beyond or bool(rest.strip())
    except orjson.JSONDecodeError:
        pass
    second = rest.lstrip().partition("\n")[0]
    try:
        return isinstance(orjson.loads(second), dict)
    except orjson.JSONDecodeError:
        return False


def _complete_lines(head: str, cut: bool) -> str:
    """The head without its last, possibly cut, line."""
    return head.rsplit("\n", 1)[0] if cut and "\n" in head else head


def _read_ndjson(parser: _Parser, stream: IO[bytes]) -> None:
    # Parsed JSON is acyclic, so reference counting frees every line's objects; the cyclic
    # collector would only re-scan the live buffers again and again (~15% of the time).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _read_ndjson_lines(parser, stream)
    finally:
        if was_enabled:
            gc.enable()


def _read_ndjson_lines(parser: _Parser, stream: IO[bytes]) -> None:
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    for number, line in enumerate(stream, start=1):
        try:
            value = loads(line)
        except decode_error:
            _add_line(parser, number, line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line)
            continue
        if type(value) is dict and value.get("type") == "Assertion":
            # The common case, straight to the assertion path.
            parser.add_assertion(number, value)
        else:
            parser.add_value(number, value)


def _add_line(parser: _Parser, number: int, line: bytes) -> None:
    if not line.strip():
        return
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        text = decode_text(line).strip()
        if looks_like_compact_jws(text):
            parser.add_value(number, text)
            return
        parser.reject_unit(number, {"line": _clip(text)}, f"line {number} is not valid JSON: {exc}")
        return
    parser.add_value(number, value)
