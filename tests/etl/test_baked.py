"""Baked badge images: PNG text chunks and SVG elements, built by hand in each test.

The credential baked everywhere is the OB 3.0 one below: issued 2024-05-01 to "E123" for
achievement https://acme.example/a/python ("Python Foundations").
"""

from __future__ import annotations

import base64
import struct
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.sources import baked
from etl.sources.base import FileRejected, LoadContext, LoadResult, Probe
from skillboard.settings import load_settings

CREDENTIAL: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "id": "urn:uuid:baked-1",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://acme.example/issuer", "type": ["Profile"], "name": "Acme"},
    "validFrom": "2024-05-01T00:00:00Z",
    "credentialSubject": {
        "id": "E123",
        "type": ["AchievementSubject"],
        "achievement": {
            "id": "https://acme.example/a/python",
            "type": ["Achievement"],
            "name": "Python Foundations",
        },
    },
}
OB2_ASSERTION: dict[str, Any] = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Assertion",
    "id": "https://acme.example/assertions/7",
    "recipient": {"type": "email", "hashed": False, "identity": "ann@acme.example"},
    "issuedOn": "2023-02-01T00:00:00Z",
    "verification": {"type": "hosted"},
    "badge": {
        "type": "BadgeClass",
        "id": "https://acme.example/badges/sql",
        "name": "SQL Basics",
        "description": "d",
        "image": "https://acme.example/sql.png",
        "criteria": {"narrative": "c"},
        "issuer": {
            "type": "Profile",
            "id": "https://acme.example/issuer",
            "name": "Acme",
            "url": "https://acme.example",
            "email": "badges@acme.example",
        },
    },
}


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(*chunks: bytes) -> bytes:
    header = _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + header + pixels + b"".join(chunks) + _chunk(b"IEND", b"")


def _itxt(keyword: bytes, text: str, compressed: bool = False) -> bytes:
    payload = zlib.compress(text.encode()) if compressed else text.encode()
    flag = b"\x01\x00" if compressed else b"\x00\x00"
    return _chunk(b"iTXt", keyword + b"\x00" + flag + b"\x00\x00" + payload)


def _load(path: Path) -> LoadResult:
    return baked.load(path, LoadContext(settings=load_settings(), inbox=path.parent))


def _detect(path: Path) -> bool:
    return baked.detect(Probe(path=path, head=path.read_bytes()[:65536]))


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def _award(result: LoadResult) -> dict[str, Any]:
    return result.tables["raw_badge_awards"].row(0, named=True)


@pytest.mark.parametrize(
    "chunk",
    [
        _itxt(b"openbadgecredential", orjson.dumps(CREDENTIAL).decode()),
        _itxt(b"openbadges", orjson.dumps(CREDENTIAL).decode(), compressed=True),
        _chunk(b"tEXt", b"openbadges\x00" + orjson.dumps(CREDENTIAL)),
        _chunk(b"zTXt", b"openbadges\x00\x00" + zlib.compress(orjson.dumps(CREDENTIAL))),
    ],
    ids=["iTXt-ob3-keyword", "iTXt-compressed", "tEXt", "zTXt"],
)
def test_png_text_chunk_credential_loads(tmp_path: Path, chunk: bytes) -> None:
    path = _write(tmp_path, "badge.png", _png(_chunk(b"tEXt", b"Software\x00paint"), chunk))
    assert _detect(path)
    result = _load(path)
    assert (result.loader, result.rows_read, result.loaded) == ("baked_image:ob3", 1, 1)
    award = _award(result)
    assert (award["award_id"], award["issued_on"]) == ("urn:uuid:baked-1", date(2024, 5, 1))
    assert award["badge_name"] == "Python Foundations"


def test_png_without_badge_chunk_is_not_detected_and_rejected_when_forced(tmp_path: Path) -> None:
    path = _write(tmp_path, "logo.png", _png(_chunk(b"tEXt", b"Comment\x00just a logo")))
    assert not _detect(path)
    with pytest.raises(FileRejected, match="no baked credential"):
        _load(path)


def test_svg_with_cdata_credential_loads(tmp_path: Path) -> None:
    svg = (
        '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0">'
        f"<openbadges:credential><![CDATA[{orjson.dumps(CREDENTIAL).decode()}]]>"
        "</openbadges:credential><circle r='4'/></svg>"
    )
    path = _write(tmp_path, "badge.svg", svg)
    assert _detect(path)
    assert _award(_load(path))["recipient_employee_id"] == "E123"


def test_svg_with_entity_escaped_ob2_assertion_goes_to_the_ob2_parser(tmp_path: Path) -> None:
    """No CDATA: the body is XML text, so quotes arrive as &quot; and are unescaped."""
    body = orjson.dumps(OB2_ASSERTION).decode().replace('"', "&quot;")
    svg = (
        '<svg xmlns:openbadges="http://openbadges.org">'
        f"<openbadges:assertion>{body}</openbadges:assertion></svg>"
    )
    result = _load(_write(tmp_path, "ob2.svg", svg))
    assert (result.loader, result.loaded) == ("baked_image:ob2", 1)
    award = _award(result)
    assert (award["badge_name"], award["issued_on"]) == ("SQL Basics", date(2023, 2, 1))


def test_svg_verify_attribute_jws_is_decoded(tmp_path: Path) -> None:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(orjson.dumps(value)).rstrip(b"=").decode()

    token = f"{part({'alg': 'RS256'})}.{part(CREDENTIAL)}.c2ln"
    svg = f'<svg><openbadges:credential verify="{token}"/></svg>'
    result = _load(_write(tmp_path, "jws.svg", svg))
    assert _award(result)["award_id"] == "urn:uuid:baked-1"


def test_url_payload_not_in_inbox_is_rejected_with_what_to_do(tmp_path: Path) -> None:
    path = _write(tmp_path, "hosted.png", _png(_itxt(b"openbadges", "https://x.example/a/1")))
    with pytest.raises(FileRejected, match=r"only a URL.*not in the inbox"):
        _load(path)


def test_url_payload_in_inbox_is_resolved(tmp_path: Path) -> None:
    """The document index keeps assertions only in the "mocked HTTP" form (URL, blank line,
    body), the way a hosted assertion is saved next to the image."""
    hosted = f"{OB2_ASSERTION['id']}\n\n{orjson.dumps(OB2_ASSERTION).decode()}"
    _write(tmp_path, "assertion-7.json", hosted)
    path = _write(tmp_path, "hosted.png", _png(_itxt(b"openbadges", OB2_ASSERTION["id"])))
    assert _award(_load(path))["award_id"] == "https://acme.example/assertions/7"


@pytest.mark.parametrize(
    ("payload", "keyword"),
    [("{broken", "not valid JSON"), ("hello there", "neither JSON")],
)
def test_unusable_payload_is_rejected(tmp_path: Path, payload: str, keyword: str) -> None:
    path = _write(tmp_path, "b.png", _png(_itxt(b"openbadges", payload)))
    with pytest.raises(FileRejected, match=keyword):
        _load(path)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.integers(min_value=0, max_value=2000), noise=st.binary(min_size=1, max_size=6))
def test_corrupted_png_is_rejected_or_counted(tmp_path: Path, position: int, noise: bytes) -> None:
    data = _png(_itxt(b"openbadges", orjson.dumps(CREDENTIAL).decode(), compressed=True))
    position %= len(data)
    path = _write(tmp_path, "c.png", data[:position] + noise + data[position + len(noise) :])
    _detect(path)  # must not raise
    try:
        result = _load(path)
    except FileRejected as exc:
        assert str(exc)
        return
    assert result.rows_read == result.loaded + len(result.quarantine)
