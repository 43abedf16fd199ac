"""Badge awards over the simulated history: who earned which badge when, in which format.

Three kinds of award, all vectorised over people:
- the *core* badge of the person's job family (most people earn it within months of joining
  or of the programme's start in 2021) and its renewals while it keeps expiring;
- the first *optional* badge of a course participant (its date was drawn by the simulation,
  because it lowers the person's leaving hazard from then on);
- further optional badges, a Poisson process after the first, thinned at random so the total
  lands on ``awards_per_employee`` x employees.

Awards issued after a person left are dropped. A few are revoked, some recipients cannot be
matched to the roster (a personal address or a typo), and the format split is steered to
roughly 40 % Open Badges 2.0, 30 % Open Badges 3.0 and 30 % Credly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from etl.generate import org
from etl.generate.taxonomy import BADGE_CLASSES, CORE_BADGE, FORMATS
from etl.generate.workforce import (
    NO_DAY,
    ROLE_STAFF,
    IntArray,
    Workforce,
)

FORMAT_SHARE = (0.4, 0.3, 0.3)
UNMATCHED_SHARE = 0.025
OB2_REVOKED_SHARE = 0.004
CREDLY_STATUS = ("accepted", "pending", "revoked", "rejected")
CREDLY_STATUS_P = (0.945, 0.04, 0.01, 0.005)

OPTIONAL_SURPLUS = 1.6
RENEWAL_RATE = 0.95
"""Share of expiring core badges renewed (compliance courses are chased up)."""

KIND_CORE, KIND_RENEWAL, KIND_FIRST, KIND_MORE = 0, 1, 2, 3


def default_awards_per_employee(employees: int) -> float:
    """7.5 awards per employee for demo-sized employers, 10 from 10,000 employees up (SPEC §7)."""
    return 7.5 if employees < 10_000 else 10.0


def _days(months: int) -> int:
    return round(months * 30.4375)


_CLASS_INDEX = {b.slug: i for i, b in enumerate(BADGE_CLASSES)}
_CLASS_FORMAT = np.asarray([FORMATS.index(b.format) for b in BADGE_CLASSES])
_CLASS_VALIDITY = np.asarray([_days(b.validity_months or 0) for b in BADGE_CLASSES])
_CORE_CLASS = np.asarray(
    [_CLASS_INDEX[CORE_BADGE[d.family][0]] for d in org.DEPARTMENTS]
    + [_CLASS_INDEX[CORE_BADGE[org.EXECUTIVE_FAMILY][0]]]
)


def _affinity(group: int) -> npt.NDArray[np.float64]:
    """Class weights for an audience: 0..9 a family's staff, 10..19 its leaders, 20 the CEO."""
    n_depts = len(org.DEPARTMENTS)
    leader = group >= n_depts
    family = (
        org.EXECUTIVE_FAMILY if group == 2 * n_depts else org.DEPARTMENTS[group % n_depts].family
    )
    weights = []
    for b in BADGE_CLASSES:
        if family in b.families:
            w = 6.0
        elif leader and "Leadership" in b.families:
            w = 8.0
        elif b.families == ("*",):
            w = 2.5
        else:
            w = 0.25
        weights.append(w)
    return np.asarray(weights)


@dataclass
class Awards:
    """One row per award (truth, before any file format is applied)."""

    frame: pl.DataFrame
    """Columns: award (int), person, issued_day, issued_second, class_index, format
    ('ob2'/'ob3'/'credly'), expires_day (null = never), kind, unmatched, revoked, status."""


def _core_awards(wf: Workforce, end_day: int, rng: np.random.Generator) -> tuple[IntArray, ...]:
    """Core badges and their renewals (renewed a few weeks before expiry, 95 % of the time)."""
    has = (wf.core_day <= end_day) & (wf.core_day < wf.term_day)
    people = np.flatnonzero(has)
    day = wf.core_day[people]
    cls = _CORE_CLASS[wf.core_dept[people]]
    out_people, out_day, out_cls, out_kind = (
        [people],
        [day],
        [cls],
        [np.full(people.shape[0], KIND_CORE)],
    )
    validity = _CLASS_VALIDITY[cls]
    alive = validity > 0
    while alive.any():
        day = day + validity - rng.integers(0, 30, day.shape[0])
        alive &= (
            (day <= end_day)
            & (day < wf.term_day[people])
            & (rng.random(day.shape[0]) < RENEWAL_RATE)
        )
        out_people.append(people[alive])
        out_day.append(day[alive])
        out_cls.append(cls[alive])
        out_kind.append(np.full(int(alive.sum()), KIND_RENEWAL))
    return (
        np.concatenate(out_people),
        np.concatenate(out_day),
        np.concatenate(out_cls),
        np.concatenate(out_kind),
    )


def _optional_awards(
    wf: Workforce, end_day: int, target: int, rng: np.random.Generator
) -> tuple[IntArray, IntArray, IntArray]:
    """First optional badges (kept) and further ones thinned to ``target`` in total."""
    first_ok = (wf.first_general_day <= end_day) & (wf.first_general_day < wf.term_day)
    first_people = np.flatnonzero(first_ok)
    first_day = wf.first_general_day[first_people]
    span = end_day - first_day
    # Draw more than needed, then thin: the thinning keeps every person's rate proportions.
    counts = rng.poisson(wf.badge_rate[first_people] * span * OPTIONAL_SURPLUS)
    more_people = np.repeat(first_people, counts)
    more_day = np.repeat(first_day, counts) + np.ceil(
        rng.random(more_people.shape[0]) * np.repeat(span, counts)
    ).astype(np.int64)
    keep = more_day < wf.term_day[more_people]
    more_people, more_day = more_people[keep], more_day[keep]
    room = max(target - first_people.shape[0], 0)
    if more_people.shape[0] > room:
        chosen = np.sort(rng.choice(more_people.shape[0], size=room, replace=False))
        more_people, more_day = more_people[chosen], more_day[chosen]
    people = np.concatenate([first_people, more_people])
    day = np.concatenate([first_day, more_day])
    kind = np.concatenate(
        [np.full(first_people.shape[0], KIND_FIRST), np.full(more_people.shape[0], KIND_MORE)]
    )
    return people, day, kind


def _choose_classes(
    wf: Workforce, people: IntArray, core_by_format: npt.NDArray[np.int64], rng: np.random.Generator
) -> IntArray:
    """Pick a class for each optional award: format first (to steer the split), then course."""
    total = people.shape[0] + int(core_by_format.sum())
    want = np.asarray(FORMAT_SHARE) * total - core_by_format
    p_format = np.clip(want, 0.0, None)
    p_format = p_format / p_format.sum() if p_format.sum() > 0 else np.asarray(FORMAT_SHARE)
    fmt = rng.choice(len(FORMATS), size=people.shape[0], p=p_format)
    n_depts = len(org.DEPARTMENTS)
    dept = wf.dept[people]
    group = np.where(
        dept < 0, 2 * n_depts, dept + np.where(wf.role[people] == ROLE_STAFF, 0, n_depts)
    )
    out = np.empty(people.shape[0], dtype=np.int64)
    for g in np.unique(group):
        weights = _affinity(int(g))
        in_group = group == g
        for f in range(len(FORMATS)):
            sel = np.flatnonzero(in_group & (fmt == f))
            if sel.shape[0] == 0:
                continue
            classes = np.flatnonzero(f == _CLASS_FORMAT)
            w = weights[classes]
            out[sel] = rng.choice(classes, size=sel.shape[0], p=w / w.sum())
    return out


def simulate_awards(wf: Workforce, awards_per_employee: float, seed: int) -> Awards:
    """Every badge awarded to the workforce up to the last snapshot.

    Args:
        wf: the simulated workforce.
        awards_per_employee: target awards over all history per employee on the last roster.
        seed: seeds the draws (independent of the workforce stream).

    Returns:
        The awards, sorted by issue date.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    end_day = int(wf.month_ends[-1])
    core_people, core_day, core_cls, core_kind = _core_awards(wf, end_day, rng)
    target = round(awards_per_employee * wf.employees) - core_people.shape[0]
    opt_people, opt_day, opt_kind = _optional_awards(wf, end_day, target, rng)
    core_by_format = np.bincount(_CLASS_FORMAT[core_cls], minlength=len(FORMATS))
    opt_cls = _choose_classes(wf, opt_people, core_by_format, rng)

    people = np.concatenate([core_people, opt_people])
    day = np.concatenate([core_day, opt_day])
    cls = np.concatenate([core_cls, opt_cls])
    kind = np.concatenate([core_kind, opt_kind])
    order = np.lexsort((people, day))
    people, day, cls, kind = people[order], day[order], cls[order], kind[order]
    n = people.shape[0]

    fmt = _CLASS_FORMAT[cls]
    validity = _CLASS_VALIDITY[cls]
    unmatched = rng.random(n) < UNMATCHED_SHARE
    ob2_revoked = (fmt == 0) & (rng.random(n) < OB2_REVOKED_SHARE)
    status = np.where(fmt == 2, rng.choice(len(CREDLY_STATUS), size=n, p=CREDLY_STATUS_P), -1)
    frame = pl.DataFrame(
        {
            "award": np.arange(n, dtype=np.int64),
            "person": people,
            "issued_day": day,
            "issued_second": rng.integers(8 * 3600, 18 * 3600, n),
            "class_index": cls,
            "format": np.asarray(FORMATS)[fmt],
            "expires_day": np.where(validity > 0, day + validity, NO_DAY),
            "kind": kind,
            "unmatched": unmatched,
            "revoked": ob2_revoked | (status == CREDLY_STATUS.index("revoked")),
            "status": np.where(status >= 0, np.asarray(CREDLY_STATUS)[np.maximum(status, 0)], ""),
        }
    ).with_columns(
        pl.when(pl.col("expires_day") == NO_DAY)
        .then(None)
        .otherwise(pl.col("expires_day"))
        .alias("expires_day"),
        pl.when(pl.col("status") == "").then(None).otherwise(pl.col("status")).alias("status"),
    )
    return Awards(frame=frame)
