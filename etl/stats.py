"""Statistics SQL cannot do: the Cox proportional-hazards model of retention.

The model reads ``retention_segments`` (person-time of the analysis window cut at team changes,
the first valid badge and tenure bands). For all employees and for each department, it fits the
hazard of leaving, with badge exposure as a *time-varying* covariate and adjustment for
department and tenure band. A fixed "ever badged" flag would credit badges with the time people
had to survive in order to earn them (immortal-time bias). So each row is a piece of a person's
time in counting-process form (start, stop]: the person is at risk at t when start < t <= stop,
and a leaving is an event at stop. People enter when they are first at risk in the window
(delayed entry).

Time is counted in whole months since the window start (month m = days // 30.4375; a piece
covers the months from the one it starts in to the one holding its last day, like the
Kaplan-Meier curve). With monthly time, identical rows collapse into a few thousand weighted
rows (counted in DuckDB, so the segments never reach pandas) and there are about 24 distinct
event times. The partial likelihood (Breslow ties) is then maximised by Newton-Raphson in numpy
in well under a second at 50,000 employees. lifelines
needs minutes at that size. ``tests/sql/test_stats.py`` checks the fit against lifelines'
``CoxPHFitter`` on data without ties.

The result is a table joined into ``retention_summary``. When a model cannot be fitted, its
hazard ratio is null and ``reason`` says why. Association, not causation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

COX_TABLE = "retention_cox"
DAYS_PER_MONTH = 30.4375
MAX_ITERATIONS = 50
MAX_LOG_HAZARD_RATIO = 15.0
"""|ln HR| beyond this means the estimate is running off to infinity (complete separation)."""

FloatArray = npt.NDArray[np.float64]

_PIECES_SQL = """
    with segments as (
        select
            s.team as department,
            s.tenure_band,
            s.exposed,
            s.is_leave,
            -- (start, stop] in whole months since the window start: the month before the one
            -- the piece starts in, and the month holding its last day.
            floor(cast(s.seg_from - p.window_start as integer) / ?) - 1 as start,
            floor((cast(s.seg_to - p.window_start as integer) - 1) / ?) as stop
        from retention_segments as s
        cross join stg_params as p
        where s.team_type = 'department'
    )
    select
        g.department,
        g.tenure_band,
        g.exposed,
        g.is_leave,
        g.start,
        g.stop,
        count(*) as weight
    from segments as g
    group by g.department, g.tenure_band, g.exposed, g.is_leave, g.start, g.stop
"""
"""Department segments as monthly pieces, identical ones counted once with their number: a
few thousand rows instead of one per segment, so pandas never touches the segments."""

_PEOPLE_SQL = """
    select
        grouping(s.team) = 1 as is_all,
        s.team as department,
        count(distinct s.employee_id) as people
    from retention_segments as s
    where s.team_type = 'department'
    group by grouping sets ((s.team), ())
"""


@dataclass(frozen=True)
class CoxResult:
    """One team's adjusted hazard ratio of leaving, badged vs not-badged time."""

    team_type: str
    team: str
    hazard_ratio: float | None
    hazard_ratio_low: float | None
    hazard_ratio_high: float | None
    p_value: float | None
    people: int
    events: int
    reason: str | None


class CoxFitError(RuntimeError):
    """The partial likelihood has no finite maximum, or Newton-Raphson did not converge."""


@dataclass(frozen=True)
class CoxFit:
    """Coefficients and their covariance matrix."""

    coefficients: FloatArray
    covariance: FloatArray


def fit_cox_counting(
    start: FloatArray,
    stop: FloatArray,
    event: FloatArray,
    weight: FloatArray,
    covariates: FloatArray,
) -> CoxFit:
    """Maximise the Cox partial likelihood (Breslow ties) for rows in (start, stop] form.

    Args:
        start: the row is at risk at times t with start < t ...
        stop: ... and t <= stop; an event happens at stop.
        event: 1 when the row ends in an event, else 0.
        weight: how many identical rows this row stands for.
        covariates: n x p matrix.

    Returns:
        The coefficients and their covariance (inverse observed information).

    Raises:
        CoxFitError: when the estimate diverges or does not converge.
    """
    times = np.unique(stop[event > 0])
    at_risk = (start[None, :] < times[:, None]) & (stop[None, :] >= times[:, None])
    died = (stop[None, :] == times[:, None]) & (event[None, :] > 0)
    deaths = (died * weight[None, :]).sum(axis=1)
    event_sum = (weight * event) @ covariates
    risk = at_risk.astype(np.float64)
    p = covariates.shape[1]
    beta = np.zeros(p)

    def log_likelihood(b: FloatArray) -> float:
        eta = covariates @ b
        return float(event_sum @ b - deaths @ np.log(risk @ (weight * np.exp(eta))))

    current = log_likelihood(beta)
    for _ in range(MAX_ITERATIONS):
        r = weight * np.exp(covariates @ beta)
        s0 = risk @ r
        s1 = risk @ (r[:, None] * covariates)
        mean = s1 / s0[:, None]
        gradient = event_sum - deaths @ mean
        # sum_t d_t (X' diag(risk_t r) X / s0_t - m_t m_t') without a loop over event times:
        # the first term is X' diag(c) X with c = sum_t (d_t / s0_t) risk_t r.
        row_weight = ((deaths / s0) @ risk) * r
        information = covariates.T @ (covariates * row_weight[:, None]) - (mean.T * deaths) @ mean
        try:
            step = np.linalg.solve(information, gradient)
        except np.linalg.LinAlgError as exc:
            raise CoxFitError("singular information matrix") from exc
        halvings = 0
        proposal = beta + step
        while log_likelihood(proposal) < current - 1e-12 and halvings < 30:
            step /= 2
            proposal = beta + step
            halvings += 1
        beta = proposal
        previous, current = current, log_likelihood(beta)
        if np.max(np.abs(beta)) > MAX_LOG_HAZARD_RATIO:
            raise CoxFitError("an estimate runs off to infinity (complete separation)")
        if abs(current - previous) < 1e-10 and np.max(np.abs(step)) < 1e-8:
            return CoxFit(beta, np.linalg.inv(information).astype(np.float64))
    raise CoxFitError(f"no convergence in {MAX_ITERATIONS} iterations")


def fit_cox(pieces: pd.DataFrame, team_type: str, team: str, people: int) -> CoxResult:
    """Fit the exposure hazard ratio for one group of department segments.

    Args:
        pieces: columns department, tenure_band, exposed, is_leave, start, stop (months since
            the window start, as in ``_PIECES_SQL``) and weight (how many segments the row
            stands for).
        team_type: ``all`` or ``department``.
        team: the group's name.
        people: how many people the group's segments belong to.

    Returns:
        The hazard ratio of leaving in badged vs not-badged time with its 95% interval, or
        nulls and the reason why the model could not be fitted.
    """
    leaves = pieces["weight"].where(pieces["is_leave"], 0)
    events = int(leaves.sum()) if len(pieces) else 0

    def without(reason: str) -> CoxResult:
        return CoxResult(team_type, team, None, None, None, None, people, events, reason)

    if len(pieces) == 0:
        return without("no person-time in the window")
    by_state = leaves.groupby(pieces["exposed"]).sum()
    for state, label in ((True, "badged"), (False, "not-badged")):
        if int(by_state.get(state, 0)) == 0:
            return without(f"no leavers in {label} time")
    # A department or tenure band without a single leaver has a coefficient of minus infinity;
    # its limit is the same fit without its rows, so they are left out (with no events lost).
    for column in ("department", "tenure_band"):
        leavers = pieces["weight"].where(pieces["is_leave"], 0).groupby(pieces[column])
        pieces = pieces[leavers.transform("sum") > 0]
    rows, names = _design(pieces.reset_index(drop=True))
    try:
        fit = fit_cox_counting(
            rows["start"].to_numpy(np.float64),
            rows["stop"].to_numpy(np.float64),
            rows["event"].to_numpy(np.float64),
            rows["weight"].to_numpy(np.float64),
            rows[names].to_numpy(np.float64),
        )
    except CoxFitError as exc:
        return without(f"the model could not be fitted: {exc}")
    index = names.index("exposed")
    coefficient = float(fit.coefficients[index])
    se = math.sqrt(max(float(fit.covariance[index, index]), 0.0))
    p_value = math.erfc(abs(coefficient / se) / math.sqrt(2)) if se > 0 else None
    return CoxResult(
        team_type,
        team,
        math.exp(coefficient),
        math.exp(coefficient - 1.96 * se),
        math.exp(coefficient + 1.96 * se),
        p_value,
        people,
        events,
        None,
    )


def _design(pieces: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Monthly (start, stop] rows with 0/1 covariates, identical rows collapsed with weights."""
    design = pd.DataFrame(
        {
            "start": pieces["start"].to_numpy(np.float64),
            "stop": pieces["stop"].to_numpy(np.float64),
            "event": pieces["is_leave"].astype(float).to_numpy(),
            "exposed": pieces["exposed"].astype(float).to_numpy(),
            "weight": pieces["weight"].to_numpy(),
        }
    )
    for column in ("department", "tenure_band"):
        dummies = pd.get_dummies(pieces[column], prefix=column, drop_first=True, dtype=float)
        design = pd.concat([design, dummies.reset_index(drop=True)], axis=1)
    names = [c for c in design.columns if c not in ("start", "stop", "event", "weight")]
    # Covariates that never vary in the group (one department) carry no information.
    names = [c for c in names if c == "exposed" or design[c].nunique() > 1]
    # Pieces of different departments or bands become identical once those columns are dropped.
    collapsed = design.groupby(["start", "stop", "event", *names], as_index=False)["weight"].sum()
    return collapsed, names


def build_retention_cox(con: duckdb.DuckDBPyConnection) -> None:
    """Fit the Cox model for all employees and for each department into ``retention_cox``."""
    pieces = con.execute(_PIECES_SQL, [DAYS_PER_MONTH, DAYS_PER_MONTH]).df()
    people_of = {
        None if is_all else department: int(people)
        for is_all, department, people in con.execute(_PEOPLE_SQL).fetchall()
    }
    results = [fit_cox(pieces, "all", "all", people_of.get(None, 0))]
    if len(pieces):
        for department, group in pieces.groupby("department", sort=True):
            results.append(
                fit_cox(
                    group.reset_index(drop=True),
                    "department",
                    str(department),
                    people_of.get(department, 0),
                )
            )
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
