"""Revocation of Open Badges 3.0 credentials, from ``revoked`` and the status lists they cite.

A credential is revoked by ``"revoked": true``, or by a ``credentialStatus`` whose list is in the
inbox: 1EdTech ``1EdTechRevocationList`` documents with ``revokedCredentials``, and
``BitstringStatusListEntry`` / ``StatusList2021Entry`` / ``RevocationList2020Status`` entries whose
list credential is in the inbox. A list that is not in the inbox leaves the award unrevoked:
nothing is fetched unless ``badges.allow_network`` is true. See :class:`StatusLists` for how a
list is found. Limitation: a list that changes later is only read again when a credential that
points at it is loaded again.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from etl.sources.base import LoadContext
from etl.sources.documents import index_for
from etl.sources.ob3_values import as_list, text_value, type_names

STATUS_LIST_TYPES = frozenset(
    {"BitstringStatusListCredential", "StatusList2021Credential", "RevocationList2020Credential"}
)
_MAX_STATUS_LIST_BYTES = 64 * 1024 * 1024
_MAX_REFERENCE_FILE_BYTES = 50 * 1024 * 1024


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
        document, _reason = index_for(self._ctx).resolve(url, is_reference_list, "status list")
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
    if "revokedCredentials" in document or STATUS_LIST_TYPES & set(
        type_names(document.get("type"))
    ):
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
        result.reason = text_value(credential.get("revocationReason")) or "revoked: true"
        return result
    for entry in as_list(credential.get("credentialStatus")):
        if not isinstance(entry, dict) or lists is None:
            continue
        entry_type = text_value(entry.get("type")) or ""
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
    url = text_value(entry.get("id"))
    document = lists.find(url) if url else None
    if document is None:
        return
    for item in as_list(document.get("revokedCredentials")):
        if (
            isinstance(item, dict)
            and item.get("id") == award_id
            and item.get("revoked", True) is not False
        ):
            result.revoked = True
            result.reason = (
                text_value(item.get("revocationReason")) or f"listed in revocation list {url}"
            )
            return


def _check_bitstring(entry: dict[str, Any], lists: StatusLists, result: Revocation) -> None:
    url = text_value(entry.get("statusListCredential")) or text_value(
        entry.get("revocationListCredential")
    )
    purpose = text_value(entry.get("statusPurpose")) or "revocation"
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


def is_reference_list(value: Any) -> bool:
    """A 1EdTech revocation list or a status list credential (read for revocations, not awards)."""
    return isinstance(value, dict) and (
        "revokedCredentials" in value
        or bool(STATUS_LIST_TYPES & set(type_names(value.get("type"))))
    )
