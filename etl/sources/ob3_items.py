"""Items of an Open Badges 3.0 file: splitting the file into them, and an item into a credential.

An item is a parsed JSON value (a single document, an element of an array or of a
``VerifiablePresentation``, one NDJSON line), a VC-JWT string (one compact token per line), or
a :class:`etl.sources.ob3_values.CredentialInvalid` for an NDJSON line that is not JSON, which
is quarantined while the rest of the file still loads. :func:`decode_item` gives the credential
an item holds, checking a VC-JWT's signature against ``badges.keys_dir`` when keys are there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from etl.sources.base import FileRejected
from etl.sources.jws import CompactJws, RsaPublicKey, load_public_keys, signature_problem
from etl.sources.ob3_values import CredentialInvalid, as_list
from etl.sources.vc_jwt import TokenError, credential_from_payload, decode_token, looks_like_jwt

# The algorithms a configured RSA key can verify; other tokens load unchecked.
_CHECKABLE_ALGS = frozenset({"RS256", "RS384", "RS512"})


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
    elif isinstance(document, dict) and "VerifiablePresentation" in as_list(document.get("type")):
        yield from enumerate(as_list(document.get("verifiableCredential")), start=1)
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
    yield from line_items(lines)


def line_items(lines: Iterable[bytes], row: int = 0) -> Iterator[tuple[int, Any]]:
    """One item per non-empty line, numbered on from ``row``."""
    for line in lines:
        if not line or line.isspace():
            continue
        row += 1
        yield row, line_value(line)


def line_value(line: bytes) -> Any:
    """The JSON value of one line, or a :class:`CredentialInvalid` to quarantine (the rest of
    the file still loads)."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        bad_line = CredentialInvalid(f"line is not valid JSON ({exc})")
        bad_line.raw_text = line[:10_000].decode("utf-8", errors="replace")
        return bad_line


def quarantine_record(item: Any) -> dict[str, Any]:
    """The quarantined record as stored: the credential itself, or the text that failed."""
    if isinstance(item, dict):
        return item
    if isinstance(item, CredentialInvalid):
        return {"line": item.raw_text} if item.raw_text is not None else {}
    return {"value": item if isinstance(item, str) else repr(item)[:2000]}


class Signatures:
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


def decode_item(item: Any, signatures: Signatures) -> tuple[Any, str | None]:
    """The credential an item holds, and why its signature fails (None when it does not).

    Raises:
        CredentialInvalid: when the item is an unreadable line, or a string that is no VC-JWT.
    """
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
