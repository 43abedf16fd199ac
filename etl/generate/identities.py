"""Who a person is in the files: employee id, names, work e-mail, and the addresses that miss.

Also the small vectorised helpers every writer needs: random UUIDs and hex salts from the
seeded generator (``uuid.uuid4()`` would break byte-for-byte reproducibility), and ISO or
US-style date strings for whole columns at once.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

from etl.generate import org
from etl.generate.workforce import Workforce

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def employee_ids(count: int) -> npt.NDArray[np.str_]:
    """``E000001``, ``E000002``...: person number + 1, at least six digits."""
    width = max(6, len(str(count)))
    return np.char.add("E", np.char.zfill(np.arange(1, count + 1).astype(str), width))


def first_names(wf: Workforce) -> npt.NDArray[np.str_]:
    """Display first names."""
    return np.asarray(org.FIRST_NAMES)[wf.first_name]


def last_names(wf: Workforce) -> npt.NDArray[np.str_]:
    """Display last names."""
    return np.asarray(org.LAST_NAMES)[wf.last_name]


def work_emails(wf: Workforce) -> npt.NDArray[np.str_]:
    """``first.last@corp.example.com``, lower-case ASCII; namesakes get 2, 3... in hire order."""
    firsts = np.asarray([org.email_local(n) for n in org.FIRST_NAMES])[wf.first_name]
    lasts = np.asarray([org.email_local(n) for n in org.LAST_NAMES])[wf.last_name]
    frame = pl.DataFrame({"base": np.char.add(np.char.add(firsts, "."), lasts)})
    frame = frame.with_columns(n=pl.int_range(pl.len()).over("base"))
    emails = frame.select(
        pl.when(pl.col("n") == 0)
        .then(pl.col("base"))
        .otherwise(pl.col("base") + (pl.col("n") + 1).cast(pl.String))
        + "@"
        + org.COMPANY_DOMAIN
    ).to_series()
    return emails.to_numpy().astype(str)


def stray_emails(
    people: npt.NDArray[np.int64],
    wf: Workforce,
    emails: npt.NDArray[np.str_],
    rng: np.random.Generator,
) -> list[str]:
    """Addresses that match no roster e-mail: a personal mailbox or a typo in the work address.

    Args:
        people: person numbers of the awards whose recipient goes astray.
        wf: the workforce (for names).
        emails: every person's work e-mail (to make sure a typo does not hit a colleague).
        rng: the seeded generator.

    Returns:
        One address per entry of ``people``.
    """
    known = set(emails.tolist())
    firsts = [org.email_local(org.FIRST_NAMES[i]) for i in wf.first_name[people]]
    lasts = [org.email_local(org.LAST_NAMES[i]) for i in wf.last_name[people]]
    n = int(people.shape[0])
    typo: list[bool] = (rng.random(n) < 0.5).tolist()
    digits: list[int] = rng.integers(10, 99, n).tolist()
    domains: list[int] = rng.integers(0, len(org.PERSONAL_DOMAINS), n).tolist()
    positions: list[float] = rng.random(n).tolist()
    out: list[str] = []
    for k, person in enumerate(people.tolist()):
        personal = f"{firsts[k]}.{lasts[k]}{digits[k]}@{org.PERSONAL_DOMAINS[domains[k]]}"
        address = personal
        if typo[k]:
            local, _, domain = emails[person].partition("@")
            if len(local) > 2:
                at = int(positions[k] * (len(local) - 1))
                swapped = local[:at] + local[at + 1] + local[at] + local[at + 2 :]
                candidate = f"{swapped}@{domain}"
                if candidate not in known:
                    address = candidate
        out.append(address)
    return out


def random_hex(rng: np.random.Generator, count: int, chars: int) -> npt.NDArray[np.str_]:
    """``count`` random lower-case hex strings of ``chars`` characters."""
    raw = rng.integers(0, 256, (count, (chars + 1) // 2), dtype=np.uint8)
    return _hex_matrix(raw)[:, :chars].copy().view(f"S{chars}").ravel().astype(str)


def random_uuids(rng: np.random.Generator, count: int) -> npt.NDArray[np.str_]:
    """``count`` version-4 UUID strings drawn from ``rng``."""
    raw = rng.integers(0, 256, (count, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = _hex_matrix(raw)
    dash = np.full((count, 1), ord("-"), dtype=np.uint8)
    parts = [
        hexed[:, 0:8],
        dash,
        hexed[:, 8:12],
        dash,
        hexed[:, 12:16],
        dash,
        hexed[:, 16:20],
        dash,
        hexed[:, 20:32],
    ]
    return np.ascontiguousarray(np.hstack(parts)).view("S36").ravel().astype(str)


def _hex_matrix(raw: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    out = np.empty((raw.shape[0], raw.shape[1] * 2), dtype=np.uint8)
    out[:, 0::2] = _HEX[raw >> 4]
    out[:, 1::2] = _HEX[raw & 0x0F]
    return out


def iso_datetimes(days: npt.NDArray[np.int64], seconds: npt.NDArray[np.int64]) -> list[str]:
    """``2025-03-14T10:23:05Z`` for each day number plus seconds into the day."""
    stamps = (days * 86400 + seconds).astype("datetime64[s]")
    return np.char.add(np.datetime_as_string(stamps, unit="s"), "Z").tolist()  # type: ignore[no-any-return]


def date_column(days: pl.Expr, fmt: str) -> pl.Expr:
    """A day-number column (null = no date) as text in ``fmt`` (blank when null)."""
    return days.cast(pl.Int32).cast(pl.Date).dt.strftime(fmt).fill_null("")


def write_csv(frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` as CSV the way HR systems do: blank fields empty, not quoted ``""``."""
    frame.with_columns(pl.col(pl.String).replace("", None)).write_csv(path)
