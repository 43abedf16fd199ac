"""Badge images with a baked credential: PNG text chunks and SVG ``openbadges:`` elements.

Baking puts the award inside the badge image so the picture carries its own proof:
- PNG: an ``iTXt`` chunk (``tEXt`` / ``zTXt`` also read) with keyword ``openbadges`` (Open Badges
  2.0) or ``openbadgecredential`` (Open Badges 3.0); its text is the assertion / credential JSON,
  a compact JWS / VC-JWT, or (OB 2.0 hosted) the assertion's URL.
- SVG: an ``<openbadges:assertion>`` (2.0) or ``<openbadges:credential>`` (3.0) element whose
  ``verify`` attribute carries a JWS, or whose body (often CDATA) is the JSON.

The payload is handed to the OB 3.0 parser (:func:`etl.sources.open_badges_v3.load_items`) or the
OB 2.0 one (``etl.sources.open_badges_v2.parse_document``), so a baked award is judged exactly
like the same award dropped in the inbox as a file. A URL payload is looked up among the inbox
documents (the network only when ``badges.allow_network`` is true). Chunks are read with
``struct`` and ``zlib``; the SVG is searched with a regular expression rather than an XML parser,
so entity tricks in a hostile file have nothing to expand.
"""

from __future__ import annotations

import html
import importlib
import re
import struct
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from etl.sources import open_badges_v3
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe, rejecting_surprises
from etl.sources.documents import index_for
from etl.sources.vc_jwt import TokenError, decode_token, looks_like_jwt

NAME = "baked_image"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORDS = frozenset({b"openbadges", b"openbadgecredential"})
_TEXT_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt"})
_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024
_SVG_ELEMENT = re.compile(
    r"<(openbadges:(?:assertion|credential))\b([^>]*?)(?:/>|>(.*?)</\1\s*>)",
    re.DOTALL | re.IGNORECASE,
)
_VERIFY_ATTR = re.compile(r"""\bverify\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


class _NotBaked(Exception):
    """The image holds no baked credential, or one that cannot be taken out; says why."""


# --------------------------------------------------------------------------------------------
# PNG


def png_payload(handle: BinaryIO) -> str | None:
    """The text of the first ``openbadges`` / ``openbadgecredential`` chunk of a PNG, or None.

    Only chunk headers are read until a badge chunk turns up, so a large image costs little.

    Args:
        handle: the file, opened in binary mode, positioned at its start.

    Raises:
        _NotBaked: when the badge chunk is there but cannot be decoded.
    """
    if handle.read(8) != PNG_SIGNATURE:
        return None
    while True:
        header = handle.read(8)
        if len(header) < 8:
            return None
        length, chunk_type = struct.unpack(">I4s", header)
        if chunk_type == b"IEND":
            return None
        if chunk_type in _TEXT_CHUNKS and length <= _MAX_PAYLOAD_BYTES:
            data = handle.read(length)
            handle.seek(4, 1)  # CRC
            if len(data) < length:
                return None
            keyword = data.split(b"\x00", 1)[0]
            if keyword in PNG_KEYWORDS:
                return _chunk_text(chunk_type, data[len(keyword) + 1 :])
        else:
            handle.seek(length + 4, 1)


def _chunk_text(chunk_type: bytes, body: bytes) -> str:
    """The text of a tEXt / zTXt / iTXt chunk body (after the keyword and its NUL)."""
    try:
        if chunk_type == b"tEXt":
            return body.decode("latin-1")
        if chunk_type == b"zTXt":
            return _inflate(body[1:]).decode("latin-1")
        # iTXt: compression flag, method, language tag NUL, translated keyword NUL, text.
        compressed = body[:1] == b"\x01"
        rest = body[2:]
        _language, _, rest = rest.partition(b"\x00")
        _translated, _, text = rest.partition(b"\x00")
        return (_inflate(text) if compressed else text).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise _NotBaked(f"the openbadges PNG chunk cannot be decoded ({exc})") from exc


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    text = inflater.decompress(data, _MAX_PAYLOAD_BYTES)
    if inflater.unconsumed_tail:
        raise zlib.error(f"inflated text is larger than {_MAX_PAYLOAD_BYTES} bytes")
    return text


# --------------------------------------------------------------------------------------------
# SVG


def svg_payload(text: str) -> str | None:
    """The JWS of the ``verify`` attribute, else the (CDATA-unwrapped) body of the first
    ``openbadges:assertion`` / ``openbadges:credential`` element; None when there is none."""
    match = _SVG_ELEMENT.search(text)
    if match is None:
        return None
    verify = _VERIFY_ATTR.search(match.group(2) or "")
    if verify is not None:
        token = html.unescape(verify.group(1) or verify.group(2) or "").strip()
        if token:
            return token
    body = match.group(3) or ""
    cdata = _CDATA.findall(body)
    payload = "".join(cdata) if cdata else html.unescape(body)
    return payload.strip() or None


def _is_svg(head: str) -> bool:
    return "<svg" in head[:8192].lower()


# --------------------------------------------------------------------------------------------
# the source


def detect(probe: Probe) -> bool:
    """Return True for a PNG with an Open Badges chunk, or an SVG that declares ``openbadges``.

    Args:
        probe: the first bytes of the file.
    """
    if probe.head.startswith(PNG_SIGNATURE):
        try:
            with probe.path.open("rb") as handle:
                return png_payload(handle) is not None
        except (OSError, _NotBaked, struct.error):
            return True  # a badge chunk is there but broken: load() says why
    text = probe.text_head()
    return _is_svg(text) and "openbadges" in text.lower()


def _payload_of(path: Path) -> str:
    with path.open("rb") as handle:
        if handle.read(8) == PNG_SIGNATURE:
            handle.seek(0)
            payload = png_payload(handle)
            if payload is None:
                raise _NotBaked("no baked credential: the PNG has no 'openbadges' text chunk")
            return payload.strip()
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not _is_svg(text):
        raise _NotBaked("no baked credential: the file is neither a PNG nor an SVG")
    payload = svg_payload(text)
    if payload is None:
        raise _NotBaked(
            "no baked credential: the SVG has no <openbadges:assertion> or "
            "<openbadges:credential> element with content"
        )
    return payload


def _document_of(payload: str, ctx: LoadContext) -> Any:
    """The JSON document a payload stands for: itself, a JWS's payload, or a resolved URL."""
    if payload.startswith(("{", "[")):
        try:
            return orjson.loads(payload)
        except orjson.JSONDecodeError as exc:
            raise _NotBaked(f"the baked credential is not valid JSON ({exc})") from exc
    if looks_like_jwt(payload):
        return payload
    if _URL.match(payload):
        document, reason = index_for(ctx).resolve(payload, _is_json_object, "baked assertion")
        if document is None:
            raise _NotBaked(f"the baked credential is only a URL: {reason}")
        return document
    raise _NotBaked(
        f"the baked credential is neither JSON, a JWS nor a URL (starts with {payload[:30]!r})"
    )


def _is_json_object(document: Any) -> bool:
    return isinstance(document, dict)


def _is_ob3(document: Any) -> bool:
    if isinstance(document, str):
        try:
            _jws, payload = decode_token(document)
        except TokenError as exc:
            raise _NotBaked(f"the baked JWS cannot be decoded ({exc})") from exc
        return open_badges_v3.is_ob3_document(payload)
    return open_badges_v3.is_ob3_document(document)


def _load_ob2(document: Any, ctx: LoadContext, path: Path) -> LoadResult:
    """Hand an OB 2.0 assertion (dict, or compact JWS text) to the OB 2.0 loader's parser.

    Imported here, not at module level, so this module does not depend on the OB 2.0 loader
    being importable for PNG/SVG files that carry OB 3.0 credentials.
    """
    try:
        ob2 = importlib.import_module("etl.sources.open_badges_v2")
        parse_document = ob2.parse_document
    except (ImportError, AttributeError) as exc:
        raise FileRejected(
            f"{path.name} carries an Open Badges 2.0 assertion but the OB 2.0 loader is "
            f"not available ({exc})"
        ) from exc
    result = parse_document(document, ctx, origin=path)
    if not isinstance(result, LoadResult):
        raise FileRejected(f"{path.name}: the OB 2.0 parser returned {type(result).__name__}")
    result.loader = f"{NAME}:ob2"
    return result


def load(path: Path, ctx: LoadContext) -> LoadResult:
    """Take the credential out of a badge image and load it like a credential file.

    Args:
        path: the PNG or SVG.
        ctx: the run's settings and inbox.

    Returns:
        The award rows of the baked credential (``loader`` is ``baked_image:ob3`` or ``:ob2``).

    Raises:
        FileRejected: no baked credential, an unreadable one, or one its parser rejects.
    """
    with rejecting_surprises(path, "a baked badge"):
        try:
            document = _document_of(_payload_of(path), ctx)
        except _NotBaked as exc:
            raise FileRejected(f"{path.name}: {exc}") from exc
        if _is_ob3(document):
            return open_badges_v3.load_items([(1, document)], ctx, path, loader=f"{NAME}:ob3")
        return _load_ob2(document, ctx, path)
