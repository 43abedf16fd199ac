"""``skillboard generate``: a seeded synthetic employer written as real export files.

The simulation (:mod:`.workforce`, :mod:`.awards`) decides what happened; the writers
(:mod:`.roster_files`, :mod:`.badge_files`, :mod:`.reference_files`) say it in the formats HR
and badge platforms export. Every random draw comes from generators seeded by ``seed``, and
the history ends on a fixed date (2026-10-31), so the same arguments give byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from etl.generate import identities
from etl.generate.awards import default_awards_per_employee, simulate_awards
from etl.generate.badge_files import write_credly, write_ob2, write_ob3
from etl.generate.reference_files import write_reference_files
from etl.generate.roster_files import write_rosters
from etl.generate.workforce import LAST_SNAPSHOT, simulate

__all__ = ["GenerateSummary", "generate"]

# Badge files of an earlier run whose names depend on the seed or the scale; removed before
# writing so that two employers never mix in one inbox. Rosters, the Credly export and the
# reference files have fixed names and are simply overwritten; nothing else is touched.
STALE_PATTERNS = (
    "ob2_assertions_*.ndjson",
    "ob2_assertion_*.json",
    "ob2_badgeclass_*.json",
    "ob3_credentials_*.ndjson",
    "ob3_credential_*.json",
)


@dataclass(frozen=True)
class GenerateSummary:
    """What ``generate`` wrote."""

    out: Path
    employees: int
    """Active on the last roster (2026-10-31)."""
    people: int
    """Everyone employed at some point in the 36 months, leavers included."""
    leavers: int
    roster_files: int
    awards: int
    awards_by_format: dict[str, int]
    unmatched_awards: int
    """Awards whose recipient is no roster e-mail (personal address or typo)."""
    revoked_awards: int
    expiring_within_90_days: int
    """Awards still valid at the last snapshot that expire within the next 90 days."""
    files_written: int
    bytes_written: int
    files: list[Path] = field(default_factory=list, repr=False)

    def lines(self) -> list[str]:
        """A short human-readable report for the command line."""
        formats = ", ".join(f"{k} {v:,}" for k, v in self.awards_by_format.items())
        return [
            f"Wrote {self.files_written} files ({self.bytes_written / 1e6:,.1f} MB) to {self.out}",
            f"Employees on the last roster ({LAST_SNAPSHOT}): {self.employees:,}; "
            f"people in the history: {self.people:,}; leavers: {self.leavers:,}",
            f"Roster snapshots: {self.roster_files}",
            f"Badge awards: {self.awards:,} ({formats})",
            f"Unmatched awards: {self.unmatched_awards:,}; revoked: {self.revoked_awards:,}; "
            f"expiring within 90 days: {self.expiring_within_90_days:,}",
        ]


def _clear_stale(out: Path) -> None:
    for pattern in STALE_PATTERNS:
        for path in sorted(out.glob(pattern)):
            path.unlink()


def generate(
    out: Path,
    employees: int,
    seed: int,
    *,
    awards_per_employee: float | None = None,
) -> GenerateSummary:
    """Simulate an employer and write its exports into ``out`` (created when missing).

    Args:
        out: the inbox folder to write into.
        employees: headcount on the last roster (at least 50).
        seed: the random seed; the same seed and size give byte-identical files.
        awards_per_employee: badge awards over the history per employee; default 7.5 below
            10,000 employees and 10 from there (SPEC §7 scales S, M, L).

    Returns:
        Counts of what was written.
    """
    out.mkdir(parents=True, exist_ok=True)
    _clear_stale(out)
    per_employee = awards_per_employee or default_awards_per_employee(employees)
    wf = simulate(employees, seed)
    awards = simulate_awards(wf, per_employee, seed).frame
    rng = np.random.default_rng(np.random.SeedSequence([seed, 3]))

    ids = identities.employee_ids(wf.size)
    emails = identities.work_emails(wf)
    unmatched_rows = awards["unmatched"].to_numpy()
    people = awards["person"].to_numpy()
    recipient = emails[people].astype(object)
    recipient[unmatched_rows] = identities.stray_emails(people[unmatched_rows], wf, emails, rng)
    awards = awards.with_columns(recipient_email=pl.Series(recipient.tolist(), dtype=pl.String))

    files = write_rosters(out, wf, ids, emails, rng)
    roster_files = len(files)
    files += write_ob2(out, awards.filter(pl.col("format") == "ob2"), rng).paths
    files += write_ob3(out, awards.filter(pl.col("format") == "ob3"), rng).paths
    end_day = int(wf.month_ends[-1])
    files += write_credly(
        out, awards.filter(pl.col("format") == "credly"), wf, ids, end_day, rng
    ).paths
    files += write_reference_files(out)

    by_format = dict(awards.group_by("format").len().sort("format").iter_rows())
    valid = awards.filter(
        ~pl.col("revoked") & (pl.col("expires_day").is_null() | (pl.col("expires_day") > end_day))
    )
    expiring = valid.filter(pl.col("expires_day") <= end_day + 90).height
    return GenerateSummary(
        out=out,
        employees=int(wf.active_at(end_day).sum()),
        people=wf.size,
        leavers=int((wf.term_month > 0).sum()),
        roster_files=roster_files,
        awards=awards.height,
        awards_by_format={k: int(v) for k, v in by_format.items()},
        unmatched_awards=int(unmatched_rows.sum()),
        revoked_awards=int(awards["revoked"].sum()),
        expiring_within_90_days=expiring,
        files_written=len(files),
        bytes_written=sum(p.stat().st_size for p in files),
        files=files,
    )
