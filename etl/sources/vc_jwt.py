"""VC-JWT: a Verifiable Credential carried as a compact JWT (RFC 7519), decoded to its credential.

Two shapes exist in the wild and in the 1EdTech conformance files: VCDM 1.1 puts the credential
under the ``vc`` claim and repeats some of it as registered claims (``iss``, ``jti``, ``nbf``,
``exp``, ``sub``); VCDM 2 makes the payload the credential itself. Either way the registered
claims only fill gaps: a value inside the credential wins over the claim that mirrors it.

Signatures are not checked here (that needs the issuer's key, supplied locally); this module
only turns the token into the credential it carries.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from typing import Any

import orjson

COMPACT_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
"""Three base64url segments separated by dots (the signature may be empty for ``alg: none``)."""


class TokenError(ValueError):
    """The text is not a decodable compact JWT; the message says which part failed."""


def looks_like_jwt(text: str) -> bool:
    """Return True when ``text`` (stripped) has the shape of a compact JWS/JWT."""
    return COMPACT_JWT.match(text.strip()) is not None


def b64url_decode(segment: str) -> bytes:
    """Decode one base64url segment, padding optional.

    Raises:
        TokenError: when the segment is not base64url.
    """
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError(f"segment is not base64url ({exc})") from exc


def decode_segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a compact JWT into its JSON header and JSON payload (the signature is ignored).

    Raises:
        TokenError: when the token has not three segments or a segment is not base64url JSON.
    """
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise TokenError(f"a compact JWT has 3 dot-separated parts, this has {len(parts)}")
    decoded: list[dict[str, Any]] = []
    for label, segment in (("header", parts[0]), ("payload", parts[1])):
        try:
            value = orjson.loads(b64url_decode(segment))
        except orjson.JSONDecodeError as exc:
            raise TokenError(f"JWT {label} is not JSON ({exc})") from exc
        if not isinstance(value, dict):
            raise TokenError(f"JWT {label} is a JSON {type(value).__name__}, not an object")
        decoded.append(value)
    return decoded[0], decoded[1]


def _epoch_to_iso(value: Any) -> str | None:
    """NumericDate (seconds since the epoch) -> ISO 8601 UTC string, or None when not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def credential_from_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Return the credential a VC-JWT payload carries, with registered claims filling its gaps.

    ``iss`` -> ``issuer``, ``jti`` -> ``id``, ``nbf`` -> ``validFrom`` (or ``issuanceDate`` for a
    VCDM 1.1 credential), ``exp`` -> ``validUntil`` / ``expirationDate``, ``sub`` ->
    ``credentialSubject.id``.

    Args:
        payload: the decoded JWT payload.

    Returns:
        A new dict (the payload is not modified).
    """
    inner = payload.get("vc")
    credential: dict[str, Any] = dict(inner) if isinstance(inner, dict) else dict(payload)
    v1 = "issuanceDate" in credential or "https://www.w3.org/2018/credentials/v1" in _as_list(
        credential.get("@context")
    )
    if credential.get("id") is None and isinstance(payload.get("jti"), str):
        credential["id"] = payload["jti"]
    if credential.get("issuer") is None and isinstance(payload.get("iss"), str):
        credential["issuer"] = payload["iss"]
    start_key, end_key = ("issuanceDate", "expirationDate") if v1 else ("validFrom", "validUntil")
    if credential.get("validFrom") is None and credential.get("issuanceDate") is None:
        nbf = _epoch_to_iso(payload.get("nbf"))
        if nbf is not None:
            credential[start_key] = nbf
    if credential.get("validUntil") is None and credential.get("expirationDate") is None:
        exp = _epoch_to_iso(payload.get("exp"))
        if exp is not None:
            credential[end_key] = exp
    sub = payload.get("sub")
    if isinstance(sub, str):
        subject = credential.get("credentialSubject")
        if subject is None:
            credential["credentialSubject"] = {"id": sub}
        elif isinstance(subject, dict) and subject.get("id") is None:
            credential["credentialSubject"] = {**subject, "id": sub}
    return credential


def decode_vc_jwt(token: str) -> dict[str, Any]:
    """Decode a VC-JWT into the credential it carries (see :func:`credential_from_payload`).

    Raises:
        TokenError: when the token cannot be decoded.
    """
    _header, payload = decode_segments(token)
    return credential_from_payload(payload)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
