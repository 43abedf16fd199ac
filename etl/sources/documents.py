"""An index of the JSON documents in the inbox by their ``id``, for resolving references.

Open Badges 2.0 assertions often name their BadgeClass, Issuer or RevocationList by URL instead
of embedding it. Those URLs are looked up here, among the files already in the inbox, so a run
never needs the network. The index is built once per run, on the first lookup, from small files
only (JSON, JSON-LD, text, JWS under 5 MB): big files are award exports, not the documents they
refer to. Files in the "mocked HTTP" form that validators use (a URL line, a blank line, then the
body) count as the document served at that URL.

Fetching a URL that is not in the inbox happens only when ``badges.allow_network`` is true.
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import orjson

from etl.sources.base import LoadContext

MAX_INDEXED_BYTES = 5 * 1024 * 1024
INDEXED_SUFFIXES = frozenset({".json", ".jsonld", ".txt", ".jws"})
NETWORK_TIMEOUT_S = 10.0

_URL_LINE = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$", re.IGNORECASE)
_CACHE_KEY = "open_badges.documents"

Document = dict[str, Any]
Accept = Callable[[Document], bool]


def split_mocked_http(text: str) -> tuple[str | None, str]:
    """Split the "mocked HTTP" form ``URL\\n\\nbody`` into the URL and the body.

    Args:
        text: the file's text.

    Returns:
        ``(url, body)`` for that form, else ``(None, text)``.
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    first, sep, rest = stripped.partition("\n")
    if not sep or not _URL_LINE.match(first.strip()):
        return None, text
    body = rest.lstrip(" \t")
    if not body.startswith(("\n", "\r\n")):
        return None, text
    return first.strip(), body


def decode_text(data: bytes) -> str:
    """Decode file bytes as UTF-8 (BOM dropped), falling back to Latin-1 so nothing raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


@dataclass
class _Entry:
    path: Path
    document: Document


@dataclass
class DocumentIndex:
    """Documents in the inbox by id; built lazily on the first :meth:`find`.

    Args:
        inbox: the folder searched (recursively).
        allow_network: fetch ids that are not in the inbox over HTTP(S).
    """

    inbox: Path
    allow_network: bool = False
    _entries: dict[str, list[_Entry]] | None = field(default=None, repr=False)
    _fetched: dict[str, Document | str] = field(default_factory=dict, repr=False)

    def find(self, doc_id: str, accept: Accept) -> Document | None:
        """Return the inbox document with this id that ``accept`` likes, or ``None``.

        When several files hold the same id, the one whose file name is the URL's last path
        segment wins (``.../robotics-badge.json`` -> ``robotics-badge.json``), then the first
        path in sorted order, so the choice never depends on directory listing order.
        """
        candidates = [e for e in self._index().get(doc_id, []) if accept(e.document)]
        if not candidates:
            return None
        wanted = PurePosixPath(urlsplit(doc_id).path).name
        candidates.sort(key=lambda e: (e.path.name != wanted, str(e.path)))
        return candidates[0].document

    def resolve(self, doc_id: str, accept: Accept, what: str) -> tuple[Document | None, str]:
        """Find a referenced document in the inbox, or on the network when that is allowed.

        Args:
            doc_id: the reference (usually a URL).
            accept: which documents qualify (e.g. "is a BadgeClass").
            what: what is looked for, for the message ("badge class").

        Returns:
            ``(document, "")`` or ``(None, reason)`` where the reason says what to do.
        """
        found = self.find(doc_id, accept)
        if found is not None:
            return found, ""
        if not self.allow_network:
            return None, (
                f"{what} {doc_id} is not in the inbox: add its JSON file, "
                "or set badges.allow_network = true"
            )
        fetched = self._fetch(doc_id)
        if isinstance(fetched, str):
            return None, f"{what} {doc_id} is not in the inbox and could not be fetched: {fetched}"
        if not accept(fetched):
            return None, f"{what} {doc_id} was fetched but is not a {what}"
        return fetched, ""

    @property
    def size(self) -> int:
        """How many ids the index holds (builds it when needed)."""
        return len(self._index())

    def _index(self) -> dict[str, list[_Entry]]:
        if self._entries is None:
            self._entries = {}
            for path in _candidate_files(self.inbox):
                for key, document in _documents_in(path):
                    self._entries.setdefault(key, []).append(_Entry(path, document))
        return self._entries

    def _fetch(self, url: str) -> Document | str:
        if url in self._fetched:
            return self._fetched[url]
        result: Document | str
        if urlsplit(url).scheme not in ("http", "https"):
            result = "only http(s) URLs are fetched"
        else:
            result = _http_get_document(url)
        self._fetched[url] = result
        return result


def index_for(ctx: LoadContext) -> DocumentIndex:
    """The run's document index: one per :class:`LoadContext`, created on first use."""
    index = ctx.cache.get(_CACHE_KEY)
    if not isinstance(index, DocumentIndex):
        index = DocumentIndex(ctx.inbox, allow_network=ctx.settings.badges.allow_network)
        ctx.cache[_CACHE_KEY] = index
    return index


def _candidate_files(inbox: Path) -> list[Path]:
    paths: list[Path] = []
    for folder, _dirs, names in os.walk(inbox):
        for name in names:
            path = Path(folder) / name
            if path.suffix.lower() not in INDEXED_SUFFIXES:
                continue
            try:
                if path.stat().st_size <= MAX_INDEXED_BYTES:
                    paths.append(path)
            except OSError:
                continue
    paths.sort()
    return paths


def _documents_in(path: Path) -> list[tuple[str, Document]]:
    """Every (id, document) a small file offers; unreadable files offer nothing."""
    try:
        text = decode_text(path.read_bytes())
    except OSError:
        return []
    url, body = split_mocked_http(text)
    values = _parse_json_values(body)
    found: list[tuple[str, Document]] = []
    for value in values:
        if url is not None and isinstance(value, dict):
            found.append((url, value))
        found.extend(_ids_in(value))
    return found


def _parse_json_values(body: str) -> list[Any]:
    """A JSON document, or the lines of an NDJSON file; ``[]`` when it is neither."""
    stripped = body.strip()
    if not stripped.startswith(("{", "[")):
        return []
    try:
        return [orjson.loads(stripped)]
    except orjson.JSONDecodeError:
        pass
    values: list[Any] = []
    for line in stripped.splitlines():
        try:
            values.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue
    return values


def _ids_in(value: Any, depth: int = 0) -> list[tuple[str, Document]]:
    """Documents with an id: top-level ones, array elements and the badge classes and issuers
    embedded in assertions (so one embedded copy serves every assertion that names it).
    Assertions themselves are not kept: nothing refers to them and they are the bulk."""
    if depth > 3:
        return []
    if isinstance(value, list):
        return [pair for item in value for pair in _ids_in(item, depth + 1)]
    if not isinstance(value, dict):
        return []
    found: list[tuple[str, Document]] = []
    doc_id = value.get("id")
    if isinstance(doc_id, str) and doc_id and "recipient" not in value:
        found.append((doc_id, value))
    for key in ("badge", "issuer"):
        if isinstance(value.get(key), dict):
            found.extend(_ids_in(value[key], depth + 1))
    return found


def _http_get_document(url: str) -> Document | str:
    request = urllib.request.Request(
        url, headers={"Accept": "application/ld+json, application/json;q=0.9"}
    )
    try:
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT_S) as response:
            data = response.read(MAX_INDEXED_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return str(exc)
    if len(data) > MAX_INDEXED_BYTES:
        return f"the response is larger than {MAX_INDEXED_BYTES} bytes"
    values = _parse_json_values(decode_text(data))
    if len(values) != 1 or not isinstance(values[0], dict):
        return "the response is not a JSON object"
    document: Document = values[0]
    return document
