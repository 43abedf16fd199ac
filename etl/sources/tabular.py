"""Reading spreadsheet-like exports (CSV, XLSX) as tables of text, quirks and all.

Every cell comes back as a string exactly as the file holds it (no type inference), so each
loader decides how to parse its own columns and can quarantine a row with its raw values.
Real exports arrive with a UTF-8 BOM, CRLF line ends, Latin-1/Windows-1252 bytes, semicolon
or tab delimiters and trailing blank rows; all of that is absorbed here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl.sources.base import FileRejected, Probe

ROW_NUMBER = "row_number"
"""The 1-based data row (header not counted), added to every table read here."""

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class TextTable:
    """A file's rows as text: original headers plus ``row_number``; blank rows removed."""

    frame: pl.DataFrame
    headers: list[str]
    """The header row as written (BOM removed), in file order."""


def is_spreadsheet(probe: Probe) -> bool:
    """True when the file is an Excel/ODS workbook (by its magic bytes or, failing that, name)."""
    if probe.head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return probe.suffix in SPREADSHEET_SUFFIXES or probe.suffix not in (".csv", ".txt")
    return False


def normalise_header(header: str) -> str:
    """The form headers are compared in: trimmed and lower-cased."""
    return header.strip().lstrip("\ufeff").strip().lower()


def decode_text(data: bytes) -> str:
    """Decode an export's bytes: BOM-aware UTF-8/UTF-16, else Windows-1252, else Latin-1.

    Windows-1252 is tried before Latin-1 because spreadsheet tools on Windows write it, and it
    is the only one of the two that holds the euro sign; Latin-1 accepts any byte, so it is last.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def sniff_delimiter(first_line: str) -> str:
    """The delimiter that splits the header line into the most fields (comma on a tie)."""
    best, best_count = ",", 0
    for delimiter in _DELIMITERS:
        fields = next(csv.reader([first_line], delimiter=delimiter), [])
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


def header_of(probe: Probe) -> list[str] | None:
    """The header row of a CSV or spreadsheet, or ``None`` when the file is neither."""
    if is_spreadsheet(probe):
        return _spreadsheet_header(probe.path)
    if b"\x00" in probe.head[:4096] and not probe.head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary, not text
    text = decode_text(probe.head)
    stripped = text.lstrip()
    if not stripped or stripped[0] in "{[<":
        return None  # JSON or XML/SVG, not a table
    first_line = text.splitlines()[0] if text else ""
    if not first_line.strip():
        return None
    fields = next(csv.reader([first_line], delimiter=sniff_delimiter(first_line)), [])
    return [field.strip() for field in fields]


def _spreadsheet_header(path: Path) -> list[str] | None:
    import fastexcel

    try:
        sheet = fastexcel.read_excel(str(path)).load_sheet(0, n_rows=0)
        return [column.name.strip() for column in sheet.available_columns()]
    except Exception:  # an unreadable workbook is simply not a table we recognise
        return None


def read_text_table(path: Path) -> TextTable:
    """Read a CSV or the first sheet of a workbook with every cell as text.

    Rows whose cells are all empty are dropped (they are spacing, not data), but
    ``row_number`` still counts them so it points at the row a person sees in the file.

    Raises:
        FileRejected: when the file is empty or cannot be parsed as a table.
    """
    with path.open("rb") as handle:
        head = handle.read(8)
    probe = Probe(path=path, head=head)
    frame = _read_spreadsheet(path) if is_spreadsheet(probe) else _read_csv(path)
    headers = list(frame.columns)
    frame = frame.with_row_index(ROW_NUMBER, offset=1).with_columns(
        pl.col(ROW_NUMBER).cast(pl.Int64)
    )
    if headers:
        not_blank = pl.any_horizontal(
            pl.col(h).is_not_null() & (pl.col(h).str.strip_chars() != "") for h in headers
        )
        frame = frame.filter(not_blank)
    return TextTable(frame=frame, headers=headers)


def _read_csv(path: Path) -> pl.DataFrame:
    data = path.read_bytes()
    if not data.strip():
        raise FileRejected(f"{path.name} is empty: export it again with its header row")
    text = decode_text(data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    try:
        return pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=sniff_delimiter(first_line),
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except (pl.exceptions.PolarsError, ValueError) as exc:
        raise FileRejected(
            f"{path.name} is not a readable CSV ({exc}); check it opens in a spreadsheet tool "
            "and export it again as CSV"
        ) from exc


def _read_spreadsheet(path: Path) -> pl.DataFrame:
    try:
        # infer_schema_length=0 makes fastexcel hand every cell over as text; native date
        # cells arrive as "YYYY-MM-DD HH:MM:SS", which the date detection reads as ISO.
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except Exception as exc:
        raise FileRejected(
            f"{path.name} is not a readable workbook ({exc}); save it again as .xlsx or CSV"
        ) from exc
    # An all-empty column comes back typed Null; make every column text like the CSV path.
    return frame.select(pl.all().cast(pl.String))
