"""The bulk path for big Open Badges 3.0 NDJSON files: whole columns instead of one dict a line.

A big export repeats one shape tens of thousands of times. pyarrow parses its lines into typed
columns in C++ (no Python object per value), polars applies
:func:`etl.sources.open_badges_v3.parse_credential`'s rules to whole columns, and every row those
columns cannot vouch for goes to parse_credential itself, in row order: a row with a note to log
or a problem to word, a status to look up, a line orjson would refuse, and the first row of each
achievement (whose badge class is built there). Both paths read the same rows the same way; only
the time differs.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
import polars as pl
import pyarrow as pa
import pyarrow.json as pj

from etl.models import ISO_DATE_PATTERN
from etl.sources.ob3_items import line_items
from etl.sources.ob3_values import (
    EMAIL_IDENTITY_TYPES,
    FUTURE_TOLERANCE,
    KNOWN_DID_METHODS,
    URI_SCHEME,
    VC_CONTEXTS,
    AchievementRows,
)

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
"""Every field :func:`~etl.sources.open_badges_v3.parse_credential` reads from an award, typed
as the OB 3.0 JSON Schema types it. pyarrow refuses a block whose values have other types (an
issuer given as a URL, a language map for a name, a number for an id), and such a block is read
line by line."""

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
    "|".join(sorted(KNOWN_DID_METHODS))
)
"""A ``verificationMethod`` ``open_badges_v3._proof_notes`` has nothing to say about (ASCII
classes, not ``(?i)``: Unicode case folding would also match what ``str.lower()`` keeps
apart)."""


@dataclass(frozen=True)
class NdjsonLines:
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


def ndjson_lines(data: bytes) -> NdjsonLines | None:
    """The lines of an NDJSON file of objects in UTF-8, or None for anything else (one JSON
    document or array, VC-JWT lines, a first line that is not JSON, other encodings), which
    :func:`~etl.sources.ob3_items.split_items` reads as before."""
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
    return NdjsonLines(data, starts, ends, one_object, _risky_lines(line_text))


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


def read_blocks(lines: NdjsonLines) -> tuple[pl.DataFrame | None, list[tuple[int, Any]]]:
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
            block_items = list(line_items(block.splitlines(), row))
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


def _parse_block(lines: NdjsonLines, first: int, last: int) -> pa.Table | None:
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
    """:func:`~etl.sources.ob3_values.text_value` for a string column: stripped as
    ``str.strip()`` does, empty -> null."""
    return text.str.strip_chars(_WHITESPACE).replace("", None)


def _iso_date(raw: pl.Expr) -> pl.Expr:
    """:func:`~etl.sources.open_badges_v3.parse_instant` for ISO 8601 text as written (null:
    anything else, to be worded by the careful path; ``date.fromisoformat`` knows no year 0,
    chrono does)."""
    day = raw.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    return pl.when(raw.str.contains(_ASCII_ISO_DATE) & (day.dt.year() >= 1)).then(day)


def _all_items(items: pl.Expr, check: pl.Expr) -> pl.Expr:
    """True when ``check`` holds for every item of a list column (and for no list at all)."""
    return items.list.eval(check.fill_null(False)).list.all().fill_null(True)


def _none(items: pl.Expr) -> pl.Expr:
    """True for a list column that is missing or empty."""
    return items.list.len().fill_null(0) == 0


def bulk_rows(credentials: pl.DataFrame, today: date) -> pl.DataFrame:
    """:func:`~etl.sources.open_badges_v3.parse_credential` on whole columns of credentials.

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
            ~subject_id.str.contains(URI_SCHEME.pattern)
            & ~subject_id.str.contains("@", literal=True)
        ).then(subject_id),
        recipient_type=pl.when(
            pl.col("identity_type").str.to_lowercase().is_in(list(EMAIL_IDENTITY_TYPES))
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
            pl.col("issued_on") <= pl.lit(today + FUTURE_TOLERANCE),
            pl.col("expires_on").is_not_null() | ~pl.col("has_expiry"),
            (pl.col("expires_on") >= pl.col("issued_on")).fill_null(True),
            ~hashed | lowered.str.starts_with("sha256$") | lowered.str.starts_with("md5$"),
        ).fill_null(False),
    )


def hand_over(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split :func:`bulk_rows` into the rows the columns vouch for and the rows
    parse_credential must read: those that are not plain, and the first plain row of each
    achievement, which builds the badge class that the rows after it only look up."""
    careful = ~pl.col("plain") | pl.col("achievement_key").is_first_distinct().over("plain")
    return rows.filter(~careful), rows.filter(careful)


def plain_awards(
    rows: pl.DataFrame, achievements: dict[str, AchievementRows], source_format: str
) -> pl.DataFrame:
    """The award rows of plain bulk rows, named and classed from their achievement as
    parse_credential built it for the first row that has it.

    Args:
        rows: the plain rows of :func:`hand_over`.
        achievements: achievement id -> rows parse_credential built for it.
        source_format: the ``source_format`` of the loader the rows are for.
    """
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
        source_format=pl.lit(source_format),
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
