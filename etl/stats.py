"""Statistics SQL cannot do: the Cox proportional-hazards model of retention.

The model reads ``retention_segments`` (person-time of the analysis window cut at team changes,
the first valid badge and tenure bands) and fits, for all employees and for each department,
the hazard of leaving with badge exposure as a *time-varying* covariate, adjusted for
department and tenure band. A fixed "ever badged" flag would credit badges with the time people
had to survive to earn them (immortal-time bias), so the fit uses lifelines'
``CoxTimeVaryingFitter`` on start-stop rows rather than ``CoxPHFitter`` on one row per person.
The time scale is days since the window start; people enter when they are first at risk in the
window (delayed entry) and leave the risk set when they leave or the window ends.

The result is a table joined into ``retention_summary``; when a model cannot be fitted its
hazard ratio is null and ``reason`` says why. Association, not causation.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import duckdb
import pandas as pd

MIN_EVENTS_PER_GROUP = 1
"""A fit needs at least this many leavers in badged and in not-badged time."""

COX_TABLE = "retention_cox"

_SEGMENTS_SQL = """
    select
        s.employee_id,
        s.team as department,
        s.tenure_band,
        s.exposed,
        cast(s.seg_from - p.window_start as integer) as start,
        cast(s.seg_to - p.window_start as integer) as stop,
        s.is_leave
    from retention_segments as s
    cross join stg_params as p
    where s.team_type = 'department'
    order by s.employee_id, s.seg_from
"""


@dataclass(frozen=True)
class CoxResult:
    """One team's adjusted hazard ratio of leaving, badged vs not badged time."""

    team_type: str
    team: str
    hazard_ratio: float | None
    hazard_ratio_low: float | None
    hazard_ratio_high: float | None
    p_value: float | None
    people: int
    events: int
    reason: str | None


def fit_cox(segments: pd.DataFrame, team_type: str, team: str) -> CoxResult:
    """Fit the exposure hazard ratio on start-stop segments of one group.

    Args:
        segments: columns employee_id, department, tenure_band, exposed, start, stop, is_leave;
            one person's rows do not overlap.
        team_type: the group's team type (``all`` or ``department``).
        team: the group's name.

    Returns:
        The hazard ratio of leaving in badged vs not-badged time with its 95% interval, or
        nulls and the reason the model could not be fitted.
    """
    from lifelines import CoxTimeVaryingFitter

    people = int(segments["employee_id"].nunique()) if len(segments) else 0
    events = int(segments["is_leave"].sum()) if len(segments) else 0

    def without(reason: str) -> CoxResult:
        return CoxResult(team_type, team, None, None, None, None, people, events, reason)

    if len(segments) == 0:
        return without("no person-time in the window")
    by_state = segments.groupby("exposed")["is_leave"].sum()
    for state, label in ((True, "badged"), (False, "not-badged")):
        if int(by_state.get(state, 0)) < MIN_EVENTS_PER_GROUP:
            return without(f"no leavers in {label} time")
    design = _design(segments)
    fitter = CoxTimeVaryingFitter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitter.fit(
                design,
                id_col="id",
                event_col="event",
                start_col="start",
                stop_col="stop",
                show_progress=False,
            )
    except Exception as exc:  # lifelines raises several types on non-convergence
        return without(f"the model did not converge: {type(exc).__name__}")
    row = fitter.summary.loc["exposed"]
    ratio = float(row["exp(coef)"])
    low = float(row["exp(coef) lower 95%"])
    high = float(row["exp(coef) upper 95%"])
    if not all(math.isfinite(v) for v in (ratio, low, high)):
        return without("the model did not converge: infinite estimate")
    return CoxResult(team_type, team, ratio, low, high, float(row["p"]), people, events, None)


def _design(segments: pd.DataFrame) -> pd.DataFrame:
    """Start-stop rows with 0/1 columns for exposure and the adjustment covariates."""
    design = pd.DataFrame(
        {
            "id": segments["employee_id"].astype("category").cat.codes,
            "start": segments["start"].astype(float),
            "stop": segments["stop"].astype(float),
            "event": segments["is_leave"].astype(bool),
            "exposed": segments["exposed"].astype(float),
        }
    )
    for column in ("department", "tenure_band"):
        dummies = pd.get_dummies(segments[column], prefix=column, drop_first=True, dtype=float)
        design = pd.concat([design, dummies], axis=1)
    # Covariates that never vary in the group (one department) carry no information.
    constant = [
        c
        for c in design.columns
        if c not in ("id", "start", "stop", "event") and design[c].nunique() <= 1
    ]
    return design.drop(columns=constant)


def build_retention_cox(con: duckdb.DuckDBPyConnection) -> None:
    """Fit the Cox model for all employees and for each department into ``retention_cox``."""
    segments = con.execute(_SEGMENTS_SQL).df()
    results = [fit_cox(segments, "all", "all")]
    if len(segments):
        for department, group in segments.groupby("department", sort=True):
            results.append(fit_cox(group.reset_index(drop=True), "department", str(department)))
    con.execute(
        f"create or replace table {COX_TABLE} ("
        "team_type varchar, team varchar, hazard_ratio double, hazard_ratio_low double, "
        "hazard_ratio_high double, p_value double, people bigint, events bigint, reason varchar)"
    )
    con.executemany(
        f"insert into {COX_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [
                r.team_type,
                r.team,
                r.hazard_ratio,
                r.hazard_ratio_low,
                r.hazard_ratio_high,
                r.p_value,
                r.people,
                r.events,
                r.reason,
            ]
            for r in results
        ],
    )
