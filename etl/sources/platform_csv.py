"""Badge-platform CSV exports (Credly, Canvas Credentials, any other through a column mapping).

Built-in header profiles, from the vendors' documented column names
(../shared/conformance/BADGE_PLATFORM_CSV_COLUMNS.md):

- ``credly``: the analytics export (``Badge Name``, ``Badge Template ID``, ``Issued by``,
  ``Earner Badge ID``, ``Issuer Earner ID``, ``Issued to Email``, ``Status``, ``Expired``,
  ``Issue Date``, ``Expiration Date``...); the bulk-issue template's ``Recipient Email`` /
  ``Issued at date`` are read too.
- ``canvas``: the Canvas Credentials (Badgr) award list (``Badge Class ID``, ``Identifier``,
  ``First Name``, ``Last Name``, ``Narrative``, ``Evidence Narrative``, ``Evidence URL``,
  ``Issue Date``, ``Expiration Date``).
- ``mapped``: ``[badges.columns]`` in the settings, canonical field -> header, for any other
  platform; it wins over the built-in profiles when every header it names is in the file.

Speed: a whole file is read by polars and checked column by column; only the rows a check flags
go through Python, and their reason comes from the check (naming the header, the bad value and
the expected format) or, for the rules that define a valid award, from
:class:`etl.models.BadgeAward` itself, so those rules are written once.

Dates are read with the format chosen per column (:mod:`etl.sources.column_dates`; Credly
documents ``mm/dd/yy``), or ``badges.date_format`` when set.

Limitation: polars pads a row with too few fields with empty values, so a short row is only
caught when a required field ends up empty; a row with too many fields (or broken quoting)
makes the whole file go through Python's csv reader, which quarantines each such row.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError

from etl.models import BadgeAward, describe_validation_error
from etl.sources.badge_tables import AWARD_SCHEMA, BADGE_CLASS_SCHEMA
from etl.sources.base import (
    FileRejected,
    LoadContext,
    LoadResult,
    Probe,
    QuarantinedRow,
    rejecting_surprises,
)
from etl.sources.column_dates import ColumnChoice, DateFormat, choose_format, configured_format
from etl.sources.tabular import (
    decode_text,
    header_of,
    is_spreadsheet,
    normalise_header,
    read_text_table,
    sniff_delimiter,
)

NAME = "platform_csv"
ROW = "row_number"


@dataclass(frozen=True)
class Profile:
    """Which header feeds which canonical field, for one platform's export."""

    name: str
    source_format: str
    columns: dict[str, tuple[str, ...]]
    """Canonical field -> candidate headers (normalised), the first non-empty one wins."""


CREDLY = Profile(
    "credly",
    "credly_csv",
    {
        "award_id": ("earner badge id",),
        "badge_class_id": ("badge template id",),
        "badge_name": ("badge name",),
        "issuer_name": ("issued by",),
        "recipient_employee_id": ("issuer earner id",),
        "recipient_email": ("issued to email", "recipient email"),
        "status": ("status",),
        "expired": ("expired",),
        "issued_on": ("issue date", "issued at date", "issued at"),
        "expires_on": ("expiration date", "expires at"),
        "evidence": ("evidence url", "text evidence url"),
    },
)
CANVAS = Profile(
    "canvas",
    "canvas_csv",
    {
        "award_id": ("award id", "assertion id", "entity id"),
        "badge_class_id": ("badge class id",),
        "badge_name": ("badge name", "badge class name", "badge class"),
        "issuer_name": ("issuer name", "issuer"),
        "recipient_identifier": ("identifier",),
        "issued_on": ("issue date",),
        "expires_on": ("expiration date",),
        "narrative": ("narrative",),
        "evidence": ("evidence url", "evidence narrative"),
    },
)

MAPPABLE_FIELDS = (
    "award_id",
    "badge_class_id",
    "badge_name",
    "issuer_id",
    "issuer_name",
    "recipient_employee_id",
    "recipient_email",
    "recipient_identifier",
    "recipient_identity",
    "recipient_type",
    "recipient_hashed",
    "recipient_salt",
    "issued_on",
    "expires_on",
    "revoked",
    "revoked_on",
    "revocation_reason",
    "status",
    "expired",
    "evidence",
    "narrative",
)
"""Canonical fields a ``[badges.columns]`` mapping may name. ``recipient_email`` is an email
address; ``recipient_identifier`` is an email, URL or phone number told apart by its shape."""

DATE_FIELDS = ("issued_on", "expires_on", "revoked_on")
CREDLY_STATUSES = ("accepted", "pending", "revoked", "rejected")
_YES = ("expired", "yes", "y", "true", "t", "1")
_NO = ("no", "n", "false", "f", "0", "not expired")
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_URL = r"(?i)^https?://\S+$"
_PHONE = r"^(?:tel:)?\+?[0-9][0-9 ().-]{5,}[0-9]$"
_BADGE_WORDS = ("badge", "credential", "certificat", "achievement", "award")
_RECIPIENT_WORDS = ("mail", "recipient", "identifier", "earner", "holder")
_DATE_WORDS = ("date", "issued", "awarded", "earned")
_MAX_FIELD = 64 * 1024 * 1024


# --------------------------------------------------------------------------------------------
# detection and profile choice


def _matches_credly(headers: set[str]) -> bool:
    return "badge template id" in headers and bool(
        headers & {"earner badge id", "issued to email", "recipient email", "issuer earner id"}
    )


def _matches_canvas(headers: set[str]) -> bool:
    return {"badge class id", "identifier"} <= headers


def _looks_like_badge_export(headers: set[str]) -> bool:
    def has(words: tuple[str, ...]) -> bool:
        return any(word in header for header in headers for word in words)

    return has(_BADGE_WORDS) and has(_RECIPIENT_WORDS) and has(_DATE_WORDS)


def detect(probe: Probe) -> bool:
    """Return True for a CSV/XLSX whose headers are a Credly or Canvas export, or look like a
    badge export another platform wrote (read through ``[badges.columns]``).

    Args:
        probe: the first bytes of the file.
    """
    try:
        header = header_of(probe)
    except Exception:  # detection must never fail a run; an unreadable file is not ours
        return False
    if not header:
        return False
    headers = {normalise_header(h) for h in header}
    mapping = probe.settings.badges.columns if probe.settings is not None else {}
    if mapping and {normalise_header(h) for h in mapping.values()} <= headers:
        return True
    return _matches_credly(headers) or _matches_canvas(headers) or _looks_like_badge_export(headers)


def choose_profile(headers: list[str], mapping: dict[str, str]) -> Profile:
    """The profile that reads a file with these headers.

    Args:
        headers: the file's headers as written.
        mapping: ``badges.columns`` (canonical field -> header); may be empty.

    Raises:
        FileRejected: for an unknown field in the mapping, or when no profile fits.
    """
    present = {normalise_header(h) for h in headers}
    if mapping:
        unknown = sorted(set(mapping) - set(MAPPABLE_FIELDS))
        if unknown:
            raise FileRejected(
                f"badges.columns names unknown fields {unknown}; "
                f"known fields: {', '.join(MAPPABLE_FIELDS)}"
            )
        wanted = {field: normalise_header(header) for field, header in mapping.items()}
        missing = sorted(h for h in wanted.values() if h not in present)
        if not missing:
            return Profile("mapped", "mapped_csv", {f: (h,) for f, h in wanted.items()})
        if not (_matches_credly(present) or _matches_canvas(present)):
            raise FileRejected(
                f"badges.columns names headers this file does not have: {missing}; "
                f"the file's headers are {headers}"
            )
    if _matches_credly(present):
        return CREDLY
    if _matches_canvas(present):
        return CANVAS
    raise FileRejected(
        "no badge-platform profile matches these headers "
        f"{headers}; add a [badges.columns] mapping (canonical field = header) to the settings"
    )


# --------------------------------------------------------------------------------------------
# reading the file as text cells


def read_cells(path: Path) -> tuple[pl.DataFrame, list[QuarantinedRow]]:
    """The file as a frame of strings with ``row_number``, plus rows with a wrong field count.

    Blank rows are dropped without being counted; ``row_number`` still counts them, so it is the
    row a person sees in a spreadsheet (header excluded).

    Raises:
        FileRejected: when the file is empty or not a table at all.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    if is_spreadsheet(Probe(path=path, head=head)):
        table = read_text_table(path)
        return table.frame, []
    data = path.read_bytes()
    if not data.strip():
        raise FileRejected(f"{path.name} is empty: export it again with its header row")
    text = decode_text(data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    separator = sniff_delimiter(first_line)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=separator,
            infer_schema=False,
            truncate_ragged_lines=False,
            raise_if_empty=True,
        )
        ragged: list[QuarantinedRow] = []
    except pl.exceptions.NoDataError as exc:
        raise FileRejected(f"{path.name} is empty: export it again with its header row") from exc
    except (pl.exceptions.PolarsError, ValueError):
        # Too many fields on some row, or quoting polars will not read: go row by row.
        frame, ragged = _read_rows_one_by_one(text, separator, path.name)
    frame = frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    cells = [c for c in frame.columns if c != ROW]
    if cells:
        frame = frame.filter(
            pl.any_horizontal(pl.col(c).str.strip_chars().fill_null("") != "" for c in cells)
        )
    return frame, ragged


def _read_rows_one_by_one(
    text: str, separator: str, name: str
) -> tuple[pl.DataFrame, list[QuarantinedRow]]:
    """Python's csv reader: slower, but tells each row's field count, so bad rows are kept."""
    if csv.field_size_limit() < _MAX_FIELD:
        csv.field_size_limit(_MAX_FIELD)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as exc:
        raise FileRejected(f"{name} is not a readable CSV ({exc}); export it again as CSV") from exc
    if not rows:
        raise FileRejected(f"{name} is empty: export it again with its header row")
    headers = _unique_headers(rows[0])
    good: list[list[str | None]] = []
    ragged: list[QuarantinedRow] = []
    for number, row in enumerate(rows[1:], start=1):
        if len(row) == len(headers):
            good.append(list(row))
            continue
        if not any(cell.strip() for cell in row):
            good.append([None] * len(headers))  # a blank line: dropped later, still numbered
            continue
        raw: dict[str, Any] = dict(zip(headers, row, strict=False))
        if len(row) > len(headers):
            raw["_extra_fields"] = row[len(headers) :]
        ragged.append(
            QuarantinedRow(
                number, raw, f"row has {len(row)} fields but the header has {len(headers)}"
            )
        )
        good.append([None] * len(headers))  # keeps row numbers aligned; dropped as blank
    columns = list(zip(*good, strict=True)) if good else [() for _ in headers]
    frame = pl.DataFrame(
        {
            h: pl.Series(h, list(col), dtype=pl.String)
            for h, col in zip(headers, columns, strict=True)
        }
    )
    return frame, ragged


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique: list[str] = []
    for header in headers:
        name = header.lstrip("\ufeff") or "column"
        count = seen.get(name, 0)
        seen[name] = count + 1
        unique.append(name if count == 0 else f"{name}_{count + 1}")
    return unique


# --------------------------------------------------------------------------------------------
# canonical columns and checks


def _canonical_frame(frame: pl.DataFrame, profile: Profile) -> tuple[pl.DataFrame, dict[str, str]]:
    """Frame of canonical fields (trimmed text, blank -> null) and field -> header label."""
    by_normalised: dict[str, str] = {}
    for header in frame.columns:
        if header != ROW:
            by_normalised.setdefault(normalise_header(header), header)
    exprs: list[pl.Expr] = [pl.col(ROW)]
    labels: dict[str, str] = {}
    for field, candidates in profile.columns.items():
        headers = [by_normalised[c] for c in candidates if c in by_normalised]
        if not headers:
            continue
        labels[field] = headers[0]
        cleaned = [_clean(pl.col(h)) for h in headers]
        exprs.append((pl.coalesce(cleaned) if len(cleaned) > 1 else cleaned[0]).alias(field))
    return frame.select(exprs), labels


def _clean(column: pl.Expr) -> pl.Expr:
    text = column.cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(None).otherwise(text)


def _field(frame: pl.DataFrame, field: str) -> pl.Expr:
    return pl.col(field) if field in frame.columns else pl.lit(None, dtype=pl.String)


def _date_formats(frame: pl.DataFrame, configured: str | None) -> dict[str, DateFormat]:
    """The format of each date column: the configured one, else detected from its values."""
    formats: dict[str, DateFormat] = {}
    for field in DATE_FIELDS:
        if field not in frame.columns:
            continue
        if configured:
            formats[field] = configured_format(configured)
        else:
            choice: ColumnChoice = choose_format(frame.get_column(field), day_first=False)
            formats[field] = choice.format
    return formats


def _reason(condition: pl.Expr, message: pl.Expr | str) -> pl.Expr:
    text = pl.lit(message) if isinstance(message, str) else message
    return pl.when(condition).then(text).otherwise(pl.lit(None, dtype=pl.String))


def _checked(
    frame: pl.DataFrame, profile: Profile, labels: dict[str, str], formats: dict[str, DateFormat]
) -> pl.DataFrame:
    """Add parsed dates, derived recipient/status columns, ``_reason`` and ``_model_flag``."""
    label = {f: labels.get(f, f) for f in MAPPABLE_FIELDS}
    parsed = [formats[f].expr(pl.col(f)).alias(f"_{f}") for f in DATE_FIELDS if f in formats]
    frame = frame.with_columns(parsed)
    reasons: list[pl.Expr] = []
    for field, fmt in formats.items():
        bad = pl.col(field).is_not_null() & pl.col(f"_{field}").is_null()
        reasons.append(
            _reason(
                bad,
                pl.format(
                    f"{label[field]} '{{}}' is not a date (expected {fmt.expected})", pl.col(field)
                ),
            )
        )
    issued = _field(frame, "issued_on")
    reasons.append(_reason(issued.is_null(), f"{label['issued_on']} is empty"))
    if "issued_on" not in frame.columns:
        reasons[-1] = pl.lit("the file has no issue date column")
    badge_missing = (
        _field(frame, "badge_class_id").is_null() & _field(frame, "badge_name").is_null()
    )
    reasons.append(_reason(badge_missing, "badge is missing: no badge class id and no badge name"))
    frame, recipient_reasons = _with_recipient(frame, label)
    reasons += recipient_reasons
    frame, status_reasons = _with_status(frame, profile, label)
    reasons += status_reasons
    identity = pl.col("_out_recipient_identity")
    model_flag = (identity.is_null() & _field(frame, "recipient_employee_id").is_null()) | (
        pl.col("_out_recipient_hashed").fill_null(False)
        & ~identity.fill_null("").str.to_lowercase().str.starts_with("sha256$")
        & ~identity.fill_null("").str.to_lowercase().str.starts_with("md5$")
    )
    if "_expires_on" in frame.columns and "_issued_on" in frame.columns:
        model_flag = model_flag | (pl.col("_expires_on") < pl.col("_issued_on")).fill_null(False)
    return frame.with_columns(
        pl.concat_str(reasons, separator="; ", ignore_nulls=True).alias("_reason"),
        model_flag.alias("_model_flag"),
    ).with_columns(
        pl.when(pl.col("_reason") == "").then(None).otherwise(pl.col("_reason")).alias("_reason")
    )


def _with_recipient(
    frame: pl.DataFrame, label: dict[str, str]
) -> tuple[pl.DataFrame, list[pl.Expr]]:
    """recipient_type / recipient_identity / recipient_hashed / recipient_salt columns."""
    reasons: list[pl.Expr] = []
    email = _field(frame, "recipient_email").str.strip_prefix("mailto:")
    identifier = _field(frame, "recipient_identifier")
    ident_lower = identifier.str.to_lowercase()
    ident_email = (
        pl.when(ident_lower.str.starts_with("mailto:"))
        .then(identifier.str.slice(7))
        .otherwise(identifier)
    )
    is_email = ident_email.str.contains(_EMAIL)
    is_url = identifier.str.contains(_URL)
    is_phone = identifier.str.contains(_PHONE)
    ident_type = (
        pl.when(is_email)
        .then(pl.lit("email"))
        .when(is_url)
        .then(pl.lit("url"))
        .when(is_phone)
        .then(pl.lit("telephone"))
        .otherwise(None)
    )
    ident_value = (
        pl.when(is_email)
        .then(ident_email)
        .when(is_phone)
        .then(identifier.str.strip_prefix("tel:"))
        .otherwise(identifier)
    )
    reasons.append(
        _reason(
            email.is_not_null() & ~email.str.contains(_EMAIL).fill_null(False),
            pl.format(f"{label['recipient_email']} '{{}}' is not an email address", email),
        )
    )
    reasons.append(
        _reason(
            identifier.is_not_null() & ident_type.is_null(),
            pl.format(
                f"{label['recipient_identifier']} '{{}}' is not an email address, URL or phone "
                "number",
                identifier,
            ),
        )
    )
    given_identity = _field(frame, "recipient_identity")
    given_type = _field(frame, "recipient_type").str.to_lowercase()
    hashed_text = _field(frame, "recipient_hashed").str.to_lowercase()
    hashed = (
        pl.when(hashed_text.is_in(list(_YES)))
        .then(True)
        .when(hashed_text.is_in(list(_NO)))
        .then(False)
    )
    reasons.append(
        _reason(
            hashed_text.is_not_null() & hashed.is_null(),
            pl.format(f"{label['recipient_hashed']} '{{}}' is not yes/no", hashed_text),
        )
    )
    identity = pl.coalesce(given_identity, email, ident_value)
    frame = frame.with_columns(
        identity.alias("_out_recipient_identity"),
        pl.when(given_identity.is_not_null())
        .then(pl.coalesce(given_type, pl.lit("email")))
        .when(email.is_not_null())
        .then(pl.lit("email"))
        .otherwise(ident_type)
        .alias("_out_recipient_type"),
        pl.when(given_identity.is_not_null())
        .then(hashed.fill_null(given_identity.str.contains(r"(?i)^(sha256|md5)\$")))
        .when(identity.is_not_null())
        .then(False)
        .alias("_out_recipient_hashed"),
    )
    return frame, reasons


def _flag(text: pl.Expr) -> pl.Expr:
    lower = text.str.to_lowercase()
    return pl.when(lower.is_in(list(_YES))).then(True).when(lower.is_in(list(_NO))).then(False)


def _with_status(
    frame: pl.DataFrame, profile: Profile, label: dict[str, str]
) -> tuple[pl.DataFrame, list[pl.Expr]]:
    """status / revoked columns from Status, Expired and a revoked flag."""
    reasons: list[pl.Expr] = []
    status = _field(frame, "status").str.to_lowercase()
    if profile is CREDLY:
        reasons.append(
            _reason(
                status.is_not_null() & ~status.is_in(list(CREDLY_STATUSES)),
                pl.format(
                    f"{label['status']} '{{}}' is not one of {', '.join(CREDLY_STATUSES)}",
                    _field(frame, "status"),
                ),
            )
        )
    expired_text = _field(frame, "expired")
    expired = _flag(expired_text)
    reasons.append(
        _reason(
            expired_text.is_not_null() & expired.is_null(),
            pl.format(f"{label['expired']} '{{}}' is not 'Expired' or blank", expired_text),
        )
    )
    revoked_text = _field(frame, "revoked")
    revoked_flag = _flag(revoked_text)
    reasons.append(
        _reason(
            revoked_text.is_not_null() & revoked_flag.is_null(),
            pl.format(f"{label['revoked']} '{{}}' is not yes/no", revoked_text),
        )
    )
    revoked = (status == "revoked").fill_null(False) | revoked_flag.fill_null(False)
    expires = pl.col("_expires_on") if "_expires_on" in frame.columns else pl.lit(None, pl.Date)
    # Credly's "Expired" says the badge has expired without always giving the date. The date
    # is not invented (the issue date would be wrong, today would move every run): expires_on
    # stays null and status "expired" carries the fact, which the SQL treats as not valid.
    expired_without_date = expired.fill_null(False) & expires.is_null()
    derived = (
        pl.when(revoked)
        .then(pl.lit("revoked"))
        .when(expired_without_date & (status.is_null() | (status == "accepted")))
        .then(pl.lit("expired"))
        .otherwise(status)
    )
    frame = frame.with_columns(revoked.alias("_out_revoked"), derived.alias("_out_status"))
    return frame, reasons


# --------------------------------------------------------------------------------------------
# output


def _synthetic_ids(keys: pl.Series) -> pl.Series:
    return pl.Series(
        [("urn:sha256:" + hashlib.sha256(k.encode()).hexdigest()) for k in keys.to_list()],
        dtype=pl.String,
    )


def _awards(frame: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    key = pl.concat_str(
        [
            pl.lit(profile.source_format),
            _field(frame, "badge_class_id").fill_null(""),
            _field(frame, "badge_name").fill_null(""),
            pl.col("_out_recipient_identity").str.to_lowercase().fill_null(""),
            _field(frame, "recipient_employee_id").fill_null(""),
            pl.col("_issued_on").cast(pl.String).fill_null(""),
        ],
        separator="\x1f",
    )
    award_id = _field(frame, "award_id")
    frame = frame.with_columns(
        pl.when(award_id.is_null())
        .then(key.map_batches(_synthetic_ids, return_dtype=pl.String))
        .otherwise(award_id)
        .alias("award_id")
    )
    columns: dict[str, pl.Expr] = {
        "row_number": pl.col(ROW),
        "award_id": pl.col("award_id"),
        "source_format": pl.lit(profile.source_format),
        "issued_on": pl.col("_issued_on"),
        "expires_on": _date_or_null(frame, "_expires_on"),
        "revoked_on": _date_or_null(frame, "_revoked_on"),
        "recipient_identity": pl.col("_out_recipient_identity"),
        "recipient_type": pl.col("_out_recipient_type"),
        "recipient_hashed": pl.col("_out_recipient_hashed"),
        "revoked": pl.col("_out_revoked"),
        "status": pl.col("_out_status"),
    }
    exprs = [
        columns.get(name, _field(frame, name)).cast(dtype).alias(name)
        for name, dtype in AWARD_SCHEMA.items()
    ]
    return frame.select(exprs)


def _date_or_null(frame: pl.DataFrame, column: str) -> pl.Expr:
    return pl.col(column) if column in frame.columns else pl.lit(None, dtype=pl.Date)


def _badge_classes(awards: pl.DataFrame, profile: Profile) -> pl.DataFrame:
    classes = (
        awards.filter(pl.col("badge_class_id").is_not_null())
        .unique(subset="badge_class_id", keep="first", maintain_order=True)
        .select(
            pl.col("row_number"),
            pl.col("badge_class_id"),
            pl.col("badge_name").alias("name"),
            pl.lit(None, dtype=pl.String).alias("description"),
            pl.col("issuer_id"),
            pl.col("issuer_name"),
            pl.lit(None, dtype=pl.String).alias("criteria"),
            pl.lit(profile.source_format).alias("source_format"),
        )
    )
    return classes.cast(dict(BADGE_CLASS_SCHEMA))  # type: ignore[arg-type]


def _model_reason(row: dict[str, Any], labels: dict[str, str]) -> str:
    """The model's own words for a row the polars mirror of its rules flagged."""
    record = {name: row.get(name) for name in AWARD_SCHEMA if name != "row_number"}
    try:
        BadgeAward.model_validate(record, context={"labels": labels})
    except ValidationError as exc:
        return describe_validation_error(exc, labels)
    return "row breaks a rule of a valid badge award"  # the mirror and the model disagree


def _quarantine(
    cells: pl.DataFrame, checked: pl.DataFrame, awards: pl.DataFrame, labels: dict[str, str]
) -> tuple[list[QuarantinedRow], pl.Series]:
    """Quarantined rows (raw cells + reason) and the mask of rows that load."""
    flagged = checked.get_column("_reason").is_not_null() | checked.get_column("_model_flag")
    if not flagged.any():
        return [], ~flagged
    model_labels = {**labels, "recipient_identity": labels.get("recipient_email", "recipient")}
    raw_rows = cells.filter(flagged).drop(ROW).to_dicts()
    reasons = checked.filter(flagged).get_column("_reason").to_list()
    award_rows = awards.filter(flagged).to_dicts()
    quarantine = [
        QuarantinedRow(
            int(award["row_number"]),
            raw,
            reason if reason is not None else _model_reason(award, model_labels),
        )
        for raw, reason, award in zip(raw_rows, reasons, award_rows, strict=True)
    ]
    return quarantine, ~flagged


def load(path: Path, ctx: LoadContext) -> LoadResult:
    """Read a badge-platform CSV/XLSX export into award rows.

    Args:
        path: the export.
        ctx: the run's settings (``badges.columns``, ``badges.date_format``).

    Returns:
        Awards and badge classes; rows that fail a check are quarantined with the header, the
        bad value and what was expected.

    Raises:
        FileRejected: when the file is not a table or no profile fits its headers.
    """
    with rejecting_surprises(path, "a badge-platform export"):
        return _load(path, ctx)


def _load(path: Path, ctx: LoadContext) -> LoadResult:
    cells, ragged = read_cells(path)
    headers = [c for c in cells.columns if c != ROW]
    profile = choose_profile(headers, dict(ctx.settings.badges.columns))
    canonical, labels = _canonical_frame(cells, profile)
    formats = _date_formats(canonical, ctx.settings.badges.date_format)
    checked = _checked(canonical, profile, labels, formats)
    if "_issued_on" not in checked.columns:
        checked = checked.with_columns(pl.lit(None, dtype=pl.Date).alias("_issued_on"))
    awards = _awards(checked, profile)
    quarantine, keep = _quarantine(cells, checked, awards, labels)
    loaded = awards.filter(keep)
    tables = {"raw_badge_awards": loaded}
    classes = _badge_classes(loaded, profile)
    if classes.height:
        tables["raw_badge_classes"] = classes
    all_quarantine = sorted(ragged + quarantine, key=lambda q: q.row_number or 0)
    return LoadResult(
        loader=f"{NAME}:{profile.name}",
        rows_read=cells.height + len(ragged),
        tables=tables,
        quarantine=all_quarantine,
    )
