"""VC-JWT: a Verifiable Credential carried as a compact JWT (RFC 7519), decoded to its credential.

Two shapes exist in the wild and in the 1EdTech conformance files: VCDM 1.1 puts the credential
under the ``vc`` claim and repeats some of it as registered claims (``iss``, ``jti``, ``nbf``,
``exp``, ``sub``); VCDM 2 makes the payload the credential itself. Either way the registered
claims only fill gaps: a value inside the credential wins over the claim that mirrors it.

Splitting and base64url decoding are :mod:`etl.sources.jws`'s (the same compact serialisation
carries OB 2.0 signed assertions); signatures are checked by the caller against keys supplied
locally, never fetched.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from etl.sources.jws import CompactJws, JwsError, decode_compact_jws, looks_like_compact_jws


class TokenError(ValueError):
    """The text is not a decodable VC-JWT; the message says which part failed."""


def looks_like_jwt(text: str) -> bool:
    """Return True when ``text`` has the shape of a compact JWS/JWT (three base64url parts)."""
    return looks_like_compact_jws(text)


def decode_token(token: str) -> tuple[CompactJws, dict[str, Any]]:
    """Split a compact JWT into the decoded JWS (for signature checks) and its JSON payload.

    Raises:
        TokenError: when the token is not a compact JWS or its payload is not a JSON object.
    """
    try:
        jws = decode_compact_jws(token)
        payload = orjson.loads(jws.payload)
    except JwsError as exc:
        raise TokenError(str(exc)) from exc
    except orjson.JSONDecodeError as exc:
        raise TokenError(f"the JWT payload is not JSON ({exc})") from exc
    if not isinstance(payload, dict):
        raise TokenError(f"the JWT payload is a JSON {type(payload).__name__}, not an object")
    return jws, payload


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


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
