"""Compact JWS (RFC 7515): how Open Badges 2.0 signed assertions travel.

A signed assertion is ``header.payload.signature``, each part base64url. Decoding needs no key:
the payload *is* the assertion. Checking the signature is optional and only happens when the
issuer's public key is supplied locally (``badges.keys_dir``): keys are never fetched, because a
key fetched from the place that also serves the badge proves nothing. RS256/384/512 are checked
with plain modular arithmetic (PKCS#1 v1.5), so no crypto library is needed for the one
algorithm the Open Badges 2.0 specification names.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_WHITESPACE = re.compile(r"\s+")

# DER DigestInfo prefixes of EMSA-PKCS1-v1_5 (RFC 8017 §9.2, note 1).
_DIGEST_INFO = {
    "RS256": ("sha256", bytes.fromhex("3031300d060960864801650304020105000420")),
    "RS384": ("sha384", bytes.fromhex("3041300d060960864801650304020205000430")),
    "RS512": ("sha512", bytes.fromhex("3051300d060960864801650304020305000440")),
}
_MAX_KEY_FILE = 1_000_000


class JwsError(ValueError):
    """The text is not a decodable compact JWS; the message says which part failed."""


@dataclass(frozen=True)
class CompactJws:
    """A decoded compact JWS."""

    header: dict[str, Any]
    payload: bytes
    signing_input: bytes
    """``header.payload`` as ASCII bytes: what the signature covers."""
    signature: bytes


@dataclass(frozen=True)
class RsaPublicKey:
    """An RSA public key and the file it came from (for messages)."""

    n: int
    e: int
    source: str


def compact_text(text: str) -> str:
    """Remove whitespace: published examples wrap tokens over several lines."""
    return _WHITESPACE.sub("", text)


def looks_like_compact_jws(text: str) -> bool:
    """Return True when ``text`` (whitespace ignored) has the shape ``header.payload.signature``."""
    if len(text) > 50_000_000:
        return False
    return _COMPACT.match(compact_text(text)) is not None


def b64url_decode(segment: str) -> bytes:
    """Decode one base64url segment, padding optional.

    Raises:
        JwsError: when the segment is not base64url.
    """
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise JwsError(f"a JWS segment is not base64url ({exc})") from exc


def decode_compact_jws(text: str) -> CompactJws:
    """Split and decode a compact JWS (the signature is not checked here).

    Args:
        text: the token; whitespace inside it is ignored.

    Returns:
        The header (a JSON object), the raw payload bytes, the signing input and the signature.

    Raises:
        JwsError: when the token has not three parts or the header is not base64url JSON.
    """
    token = compact_text(text)
    parts = token.split(".")
    if len(parts) != 3 or not _COMPACT.match(token):
        raise JwsError(f"a compact JWS has 3 dot-separated base64url parts, this has {len(parts)}")
    try:
        header = orjson.loads(b64url_decode(parts[0]))
    except orjson.JSONDecodeError as exc:
        raise JwsError(f"the JWS header is not JSON ({exc})") from exc
    if not isinstance(header, dict):
        raise JwsError("the JWS header is not a JSON object")
    return CompactJws(
        header=header,
        payload=b64url_decode(parts[1]),
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=b64url_decode(parts[2]),
    )


def verify_signature(jws: CompactJws, key: RsaPublicKey) -> bool:
    """Return True when ``key`` made the signature (RS256/RS384/RS512, PKCS#1 v1.5).

    Args:
        jws: the decoded token.
        key: an RSA public key.

    Returns:
        False for any other algorithm or a signature that does not match.
    """
    alg = jws.header.get("alg")
    if not isinstance(alg, str) or alg not in _DIGEST_INFO:
        return False
    hash_name, prefix = _DIGEST_INFO[alg]
    size = (key.n.bit_length() + 7) // 8
    signature = int.from_bytes(jws.signature, "big")
    if len(jws.signature) != size or signature >= key.n:
        return False
    encoded = pow(signature, key.e, key.n).to_bytes(size, "big")
    digest = hashlib.new(hash_name, jws.signing_input).digest()
    tail = prefix + digest
    padding = size - len(tail) - 3
    if padding < 8:
        return False
    expected = b"\x00\x01" + b"\xff" * padding + b"\x00" + tail
    return hmac.compare_digest(encoded, expected)


def signature_problem(jws: CompactJws, keys: list[RsaPublicKey], keys_dir: Path) -> str | None:
    """Check a signature against the locally supplied keys.

    Args:
        jws: the decoded token.
        keys: the keys read from ``keys_dir`` (see :func:`load_public_keys`).
        keys_dir: the folder, for the message.

    Returns:
        ``None`` when one of the keys verifies the signature, else the reason it does not.
    """
    alg = jws.header.get("alg")
    if alg not in _DIGEST_INFO:
        return f"signature algorithm {alg!r} cannot be checked (RS256/RS384/RS512 only)"
    if not keys:
        return f"no RSA public key in badges.keys_dir {keys_dir} to check the signature"
    if any(verify_signature(jws, key) for key in keys):
        return None
    return f"signature does not verify with any of the {len(keys)} keys in {keys_dir}"


def load_public_keys(keys_dir: Path) -> list[RsaPublicKey]:
    """Read every RSA public key in a folder: PEM files, JWK / JWK Set JSON, or Open Badges
    ``CryptographicKey`` documents (``publicKeyPem``). Unreadable files are skipped.

    Args:
        keys_dir: the folder (not searched recursively).

    Returns:
        The keys found, in file-name order.
    """
    keys: list[RsaPublicKey] = []
    if not keys_dir.is_dir():
        return keys
    for path in sorted(keys_dir.iterdir()):
        try:
            if not path.is_file() or path.stat().st_size > _MAX_KEY_FILE:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        keys.extend(_keys_in_text(text, path.name))
    return keys


def _keys_in_text(text: str, source: str) -> list[RsaPublicKey]:
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        try:
            value = orjson.loads(stripped)
        except orjson.JSONDecodeError:
            return []
        return _keys_in_json(value, source)
    return [key for pem in _pem_blocks(text) if (key := _key_from_pem(pem, source)) is not None]


def _keys_in_json(value: Any, source: str) -> list[RsaPublicKey]:
    if isinstance(value, list):
        return [key for item in value for key in _keys_in_json(item, source)]
    if not isinstance(value, dict):
        return []
    if isinstance(value.get("keys"), list):
        return _keys_in_json(value["keys"], source)
    if isinstance(value.get("publicKeyPem"), str):
        return _keys_in_text(value["publicKeyPem"], source)
    if (
        value.get("kty") == "RSA"
        and isinstance(value.get("n"), str)
        and isinstance(value.get("e"), str)
    ):
        try:
            n = int.from_bytes(b64url_decode(value["n"]), "big")
            e = int.from_bytes(b64url_decode(value["e"]), "big")
        except JwsError:
            return []
        return [RsaPublicKey(n=n, e=e, source=source)] if n > 0 and e > 0 else []
    return []


def _pem_blocks(text: str) -> list[tuple[str, bytes]]:
    blocks: list[tuple[str, bytes]] = []
    pattern = r"-----BEGIN ([A-Z ]+)-----(.*?)-----END \1-----"
    for match in re.finditer(pattern, text, re.S):
        try:
            blocks.append((match.group(1), base64.b64decode(_WHITESPACE.sub("", match.group(2)))))
        except (binascii.Error, ValueError):
            continue
    return blocks


def _key_from_pem(pem: tuple[str, bytes], source: str) -> RsaPublicKey | None:
    label, der = pem
    try:
        if label == "RSA PUBLIC KEY":  # PKCS#1: SEQUENCE { n, e }
            n, e = _rsa_sequence(der)
        elif label == "PUBLIC KEY":  # SPKI: SEQUENCE { algorithm, BIT STRING { PKCS#1 } }
            body, _ = _der_item(der, 0, 0x30)
            _, offset = _der_item(body, 0, 0x30)
            bits, _ = _der_item(body, offset, 0x03)
            n, e = _rsa_sequence(bits[1:])  # first byte counts unused bits
        else:
            return None
    except (IndexError, ValueError):
        return None
    return RsaPublicKey(n=n, e=e, source=source)


def _rsa_sequence(der: bytes) -> tuple[int, int]:
    body, _ = _der_item(der, 0, 0x30)
    n_bytes, offset = _der_item(body, 0, 0x02)
    e_bytes, _ = _der_item(body, offset, 0x02)
    return int.from_bytes(n_bytes, "big"), int.from_bytes(e_bytes, "big")


def _der_item(data: bytes, offset: int, tag: int) -> tuple[bytes, int]:
    """Return the content of the DER item at ``offset`` (which must carry ``tag``) and the
    offset just after it."""
    if data[offset] != tag:
        raise ValueError(f"DER tag {data[offset]:#x} where {tag:#x} was expected")
    length = data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("DER item runs past the end")
    return data[start:end], end
