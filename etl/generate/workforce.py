"""The workforce simulation: an organisation chart, 36 months of hires, leavers, moves and pay.

Vectorised with numpy: the only Python loop runs over the 36 months (and over teams once while
the org chart is built), so 500,000 employees take seconds. People live in column arrays
indexed by a person number; the employee id is ``E`` + that number plus one.

Leaving is a monthly hazard: a base rate times multipliers for department, tenure,
performance, leadership and, from the month after a person's first badge, 0.7. That last
multiplier is the "badge effect" the retention pages should find again; the simulation
records exposed and unexposed person-months and leavers (``hazard_log``) so tests can check it
without the rest of the pipeline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from etl.generate import org
from etl.generate.taxonomy import CORE_BADGE

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

EPOCH = date(1970, 1, 1)
LAST_SNAPSHOT = date(2026, 10, 31)
"""Fixed reference date (the last month-end) so that the output never depends on today."""
HISTORY_MONTHS = 36
SNAPSHOT_EVERY_MONTHS = 3
BADGE_PROGRAMME_START = date(2021, 1, 1)
NO_DAY = 10**7
"""Stands for "never" in day columns (far beyond any real date)."""

ROLE_CEO, ROLE_HEAD, ROLE_MANAGER, ROLE_LEAD, ROLE_STAFF = 0, 1, 2, 3, 4

BASE_ANNUAL_ATTRITION = 0.12
BADGE_HAZARD_RATIO = 0.7
LEADER_HAZARD_RATIO = 0.6
MOVE_RATE = 0.005
CROSS_DEPARTMENT_SHARE = 0.25
PROMOTION_RATE = 0.012
SILENT_LEAVER_SHARE = 0.08
HEADCOUNT_GROWTH = 1.06
"""Headcount at the last snapshot over headcount 36 months earlier."""
GENERAL_BADGES_PER_YEAR = 2.2
"""Mean yearly rate of optional badges for a participant (before thinning to the target)."""


def to_day(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def month_ends() -> IntArray:
    """Day numbers of the 37 month-ends from 36 months before the last snapshot to it."""
    last = np.datetime64(LAST_SNAPSHOT.isoformat()[:7], "M")
    months = np.arange(last - HISTORY_MONTHS, last + 1)
    ends = (months + 1).astype("datetime64[D]") - np.timedelta64(1, "D")
    return ends.astype(np.int64)


@dataclass
class OrgChart:
    """Teams and leadership positions; positions outlive the people who hold them."""

    team_dept: IntArray
    team_location: IntArray
    team_name: list[str]
    team_weight: FloatArray
    team_culture: FloatArray
    """Multiplier on course participation: some teams learn more than others."""
    team_lead_pos: IntArray
    pos_role: IntArray
    pos_dept: IntArray
    pos_parent: IntArray
    pos_team: IntArray
    pos_location: IntArray
    holder: IntArray
    dept_team_start: IntArray
    dept_team_count: IntArray


@dataclass
class Snapshot:
    """Who was on the roster at one quarter-end and in which job (rows are person numbers)."""

    day: int
    people: IntArray
    dept: IntArray
    team: IntArray
    role: IntArray
    level: IntArray
    location: IntArray
    salary: FloatArray
    manager: IntArray
    """Person number of the manager, -1 for the CEO."""


@dataclass
class HazardLog:
    """Monthly person-time at risk and leavers, split by badge exposure at the month's start."""

    exposed_months: int = 0
    exposed_leavers: int = 0
    unexposed_months: int = 0
    unexposed_leavers: int = 0

    def rate(self, exposed: bool) -> float:
        """Leavers per person-month."""
        if exposed:
            return self.exposed_leavers / max(self.exposed_months, 1)
        return self.unexposed_leavers / max(self.unexposed_months, 1)


@dataclass
class Workforce:
    """Everyone who worked for the employer during the history, with the truth about them."""

    employees: int
    month_ends: IntArray
    chart: OrgChart
    first_name: IntArray
    last_name: IntArray
    hire_day: IntArray
    term_day: IntArray
    term_month: IntArray
    voluntary: BoolArray
    regrettable: BoolArray
    reason: IntArray
    """Index into VOLUNTARY_REASONS (voluntary) or INVOLUNTARY_REASONS; -1 while employed."""
    silent: BoolArray
    """Left without a termination row: simply absent from the next roster."""
    role: IntArray
    dept: IntArray
    team: IntArray
    position: IntArray
    level: IntArray
    location: IntArray
    perf: IntArray
    salary: FloatArray
    participant: BoolArray
    badge_rate: FloatArray
    """Optional badges per day for participants."""
    first_general_day: IntArray
    core_day: IntArray
    core_dept: IntArray
    first_badge_day: IntArray
    snapshots: list[Snapshot] = field(default_factory=list)
    hazard_log: HazardLog = field(default_factory=HazardLog)

    @property
    def size(self) -> int:
        """Number of people ever employed in the history."""
        return int(self.hire_day.shape[0])

    def active_at(self, day: int) -> BoolArray:
        """Employed at the end of ``day``."""
        return (self.hire_day <= day) & (self.term_day > day)


class _Pool:
    """Growable column arrays; new people are appended month by month."""

    INT_COLUMNS = (
        "first_name",
        "last_name",
        "hire_day",
        "term_day",
        "term_month",
        "reason",
        "role",
        "dept",
        "team",
        "position",
        "level",
        "location",
        "perf",
        "first_general_day",
        "core_day",
        "core_dept",
        "first_badge_day",
    )
    FLOAT_COLUMNS = ("salary", "badge_rate")
    BOOL_COLUMNS = ("voluntary", "regrettable", "silent", "participant", "active")

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self.ints = {c: np.zeros(capacity, dtype=np.int64) for c in self.INT_COLUMNS}
        self.floats = {c: np.zeros(capacity, dtype=np.float64) for c in self.FLOAT_COLUMNS}
        self.bools = {c: np.zeros(capacity, dtype=np.bool_) for c in self.BOOL_COLUMNS}

    def reserve(self, extra: int) -> slice:
        capacity = self.ints["hire_day"].shape[0]
        if self.n + extra > capacity:
            new_capacity = max(capacity * 2, self.n + extra)
            for columns in (self.ints, self.floats, self.bools):
                for name, arr in columns.items():
                    grown = np.zeros(new_capacity, dtype=arr.dtype)
                    grown[: self.n] = arr[: self.n]
                    columns[name] = grown  # type: ignore[assignment]
        sl = slice(self.n, self.n + extra)
        self.n += extra
        return sl


def build_org_chart(employees: int, rng: np.random.Generator) -> OrgChart:
    """Teams of about ten, leads over teams, managers over five teams, a head per department.

    Args:
        employees: headcount at the last snapshot; the chart is sized for it.
        rng: the seeded generator.

    Returns:
        The chart with every position vacant.
    """
    depts = org.DEPARTMENTS
    team_dept: list[int] = []
    team_location: list[int] = []
    team_name: list[str] = []
    team_weight: list[float] = []
    lead_parent_slot: list[int] = []  # manager slot within the department, -1 = the head
    dept_team_start, dept_team_count, dept_managers = [], [], []
    for d, dept in enumerate(depts):
        teams = max(1, round(employees * dept.weight / 11))
        managers = math.ceil(teams / 5) if teams >= 3 else 0
        dept_team_start.append(len(team_dept))
        dept_team_count.append(teams)
        dept_managers.append(managers)
        loc_p = np.linspace(2.0, 1.0, len(dept.locations))
        locs = rng.choice(len(dept.locations), size=teams, p=loc_p / loc_p.sum())
        for j in range(teams):
            base = dept.team_names[j % len(dept.team_names)]
            suffix = f" {j // len(dept.team_names) + 1}" if j >= len(dept.team_names) else ""
            team_dept.append(d)
            team_location.append(org.LOCATION_INDEX[dept.locations[int(locs[j])]])
            team_name.append(base + suffix)
            team_weight.append(dept.weight / teams)
            lead_parent_slot.append(j % managers if managers else -1)

    n_teams = len(team_dept)
    weight = np.asarray(team_weight) * rng.lognormal(0.0, 0.3, n_teams)
    culture = rng.lognormal(0.0, 0.35, n_teams)

    # Positions: 0 = CEO, then one head per department, then managers, then team leads.
    pos_role = [ROLE_CEO]
    pos_dept = [-1]
    pos_parent = [-1]
    pos_team = [-1]
    pos_location = [org.LOCATION_INDEX[org.HQ]]
    head_pos = []
    for d, dept in enumerate(depts):
        head_pos.append(len(pos_role))
        pos_role.append(ROLE_HEAD)
        pos_dept.append(d)
        pos_parent.append(0)
        pos_team.append(-1)
        pos_location.append(org.LOCATION_INDEX[dept.locations[0]])
    manager_pos: list[list[int]] = []
    for d in range(len(depts)):
        slots = []
        for k in range(dept_managers[d]):
            slots.append(len(pos_role))
            pos_role.append(ROLE_MANAGER)
            pos_dept.append(d)
            pos_parent.append(head_pos[d])
            pos_team.append(-1)
            pos_location.append(team_location[dept_team_start[d] + k])
        manager_pos.append(slots)
    team_lead_pos = np.empty(n_teams, dtype=np.int64)
    for t in range(n_teams):
        d = team_dept[t]
        team_lead_pos[t] = len(pos_role)
        pos_role.append(ROLE_LEAD)
        pos_dept.append(d)
        slot = lead_parent_slot[t]
        pos_parent.append(manager_pos[d][slot] if slot >= 0 else head_pos[d])
        pos_team.append(t)
        pos_location.append(team_location[t])

    return OrgChart(
        team_dept=np.asarray(team_dept, dtype=np.int64),
        team_location=np.asarray(team_location, dtype=np.int64),
        team_name=team_name,
        team_weight=weight / weight.sum(),
        team_culture=culture,
        team_lead_pos=team_lead_pos,
        pos_role=np.asarray(pos_role, dtype=np.int64),
        pos_dept=np.asarray(pos_dept, dtype=np.int64),
        pos_parent=np.asarray(pos_parent, dtype=np.int64),
        pos_team=np.asarray(pos_team, dtype=np.int64),
        pos_location=np.asarray(pos_location, dtype=np.int64),
        holder=np.full(len(pos_role), -1, dtype=np.int64),
        dept_team_start=np.asarray(dept_team_start, dtype=np.int64),
        dept_team_count=np.asarray(dept_team_count, dtype=np.int64),
    )


_DEPT_BASE_PAY = np.asarray([d.base_salary for d in org.DEPARTMENTS])
_DEPT_ATTRITION = np.asarray([d.attrition for d in org.DEPARTMENTS])
_DEPT_PARTICIPATION = np.asarray([d.badge_participation for d in org.DEPARTMENTS])
_DEPT_WEIGHT = np.asarray([d.weight for d in org.DEPARTMENTS]) / sum(
    d.weight for d in org.DEPARTMENTS
)
_ROLE_PAY = {ROLE_HEAD: org.HEAD_PAY, ROLE_MANAGER: org.MANAGER_PAY, ROLE_LEAD: org.LEAD_PAY}
_CORE_P = np.asarray(
    [CORE_BADGE[d.family][1] for d in org.DEPARTMENTS] + [CORE_BADGE[org.EXECUTIVE_FAMILY][1]]
)
_PERF_HAZARD = np.asarray([2.0, 1.4, 1.0, 0.9, 0.8])


def _hire(
    pool: _Pool,
    chart: OrgChart,
    rng: np.random.Generator,
    *,
    positions: IntArray,
    staff_teams: IntArray,
    hire_day: IntArray,
    initial: bool,
) -> IntArray:
    """Append new people: first the holders of ``positions``, then staff of ``staff_teams``."""
    n_lead = positions.shape[0]
    count = n_lead + staff_teams.shape[0]
    sl = pool.reserve(count)
    idx = np.arange(sl.start, sl.stop, dtype=np.int64)
    ints, floats, bools = pool.ints, pool.floats, pool.bools

    role = np.concatenate([chart.pos_role[positions], np.full(staff_teams.shape[0], ROLE_STAFF)])
    lead_team = chart.pos_team[positions]
    team = np.concatenate([lead_team, staff_teams])
    dept = np.concatenate([chart.pos_dept[positions], chart.team_dept[staff_teams]])
    location = np.concatenate([chart.pos_location[positions], chart.team_location[staff_teams]])
    ints["first_name"][sl] = rng.integers(0, len(org.FIRST_NAMES), count)
    ints["last_name"][sl] = rng.integers(0, len(org.LAST_NAMES), count)
    ints["hire_day"][sl] = hire_day
    ints["term_day"][sl] = NO_DAY
    ints["term_month"][sl] = 0
    ints["reason"][sl] = -1
    ints["role"][sl] = role
    ints["dept"][sl] = dept
    ints["team"][sl] = team
    ints["position"][sl] = np.concatenate([positions, np.full(staff_teams.shape[0], -1)])
    ints["location"][sl] = location
    ints["perf"][sl] = rng.choice(5, size=count, p=org.PERFORMANCE_P) + 1
    chart.holder[positions] = idx[:n_lead]

    if initial:
        tenure_years = (month_ends()[0] - hire_day) / 365.25
        level = 1 + (tenure_years > 2) + (tenure_years > 5) + (tenure_years > 9)
        level = np.clip(level + rng.integers(-1, 1, count, endpoint=True), 1, 4)
    else:
        level = rng.choice(3, size=count, p=[0.6, 0.3, 0.1]) + 1
    level = np.where(role == ROLE_STAFF, level, 0)
    ints["level"][sl] = level

    dept_safe = np.maximum(dept, 0)
    multiplier = np.asarray(org.LEVEL_PAY)[np.maximum(level, 1) - 1]
    for r, pay in _ROLE_PAY.items():
        multiplier = np.where(role == r, pay, multiplier)
    salary = _DEPT_BASE_PAY[dept_safe] * multiplier * rng.lognormal(0.0, 0.1, count)
    salary = np.where(role == ROLE_CEO, org.CEO_SALARY, salary)
    floats["salary"][sl] = np.round(salary / 100.0) * 100.0

    # Badges: who takes optional courses, how often, and the family's core course.
    culture = np.where(team >= 0, chart.team_culture[np.maximum(team, 0)], 1.2)
    p_part = np.clip(_DEPT_PARTICIPATION[dept_safe] * np.sqrt(culture), 0.05, 0.97)
    p_part = np.where(dept < 0, 0.9, p_part)
    participant = rng.random(count) < p_part
    rate = GENERAL_BADGES_PER_YEAR / 365.25 * rng.gamma(2.0, 0.5, count) * culture
    start = np.maximum(hire_day, to_day(BADGE_PROGRAMME_START))
    first_general = start + np.ceil(rng.exponential(1.0, count) / rate).astype(np.int64)
    first_general = np.where(participant, first_general, NO_DAY)
    core_dept = np.where(dept < 0, len(org.DEPARTMENTS), dept)
    p_core = np.clip(_CORE_P[core_dept] * np.where(culture > 1.0, 1.0, 0.9), 0.0, 1.0)
    has_core = rng.random(count) < p_core
    core_day = np.where(has_core, start + rng.integers(14, 150, count), NO_DAY)
    bools["participant"][sl] = participant
    bools["active"][sl] = True
    floats["badge_rate"][sl] = np.where(participant, rate, 0.0)
    ints["first_general_day"][sl] = first_general
    ints["core_day"][sl] = core_day
    ints["core_dept"][sl] = core_dept
    ints["first_badge_day"][sl] = np.minimum(first_general, core_day)
    return idx


def _initial_population(
    pool: _Pool, chart: OrgChart, employees: int, rng: np.random.Generator
) -> None:
    """Everyone employed 36 months before the last snapshot, hired over the 15 years before."""
    start_day = int(month_ends()[0])
    n_pos = chart.pos_role.shape[0]
    headcount = max(n_pos + chart.team_dept.shape[0], round(employees / HEADCOUNT_GROWTH))
    staff = headcount - n_pos
    staff_teams = rng.choice(chart.team_dept.shape[0], size=staff, p=chart.team_weight)
    # Tenure: mostly recent hires, a long tail to 15 years; leaders have been around longer.
    u = rng.random(headcount)
    scale = np.where(np.arange(headcount) < n_pos, 7.0, 4.0)
    tenure = -scale * np.log1p(-u * (1.0 - np.exp(-15.0 / scale)))
    hire_day = start_day - np.ceil(tenure * 365.25).astype(np.int64)
    _hire(
        pool,
        chart,
        rng,
        positions=np.arange(n_pos, dtype=np.int64),
        staff_teams=staff_teams,
        hire_day=hire_day,
        initial=True,
    )


def _leave(
    pool: _Pool,
    people: IntArray,
    month: int,
    first_day: int,
    days_in_month: int,
    rng: np.random.Generator,
    *,
    previous_roster_day: int | None,
    layoff: bool = False,
) -> None:
    """Record ``people`` as leaving during ``month`` with a type, reason and regret flag."""
    ints, bools = pool.ints, pool.bools
    n = people.shape[0]
    perf = ints["perf"][people]
    role = ints["role"][people]
    p_vol = np.where(perf <= 2, 0.45, np.where(role == ROLE_STAFF, 0.8, 0.85))
    voluntary = (rng.random(n) < p_vol) & (not layoff)
    p_regret = np.asarray([0.05, 0.05, 0.3, 0.65, 0.8])[perf - 1]
    regrettable = voluntary & (rng.random(n) < p_regret)
    vol_reason = rng.choice(len(org.VOLUNTARY_REASONS), size=n, p=org.VOLUNTARY_REASON_P)
    inv_reason = np.asarray(
        rng.choice(len(org.INVOLUNTARY_REASONS), size=n, p=org.INVOLUNTARY_REASON_P)
    )
    if layoff:
        inv_reason = np.full(n, org.LAYOFF)
    ints["term_day"][people] = first_day + rng.integers(0, days_in_month, n)
    ints["term_month"][people] = month
    ints["reason"][people] = np.where(voluntary, vol_reason, inv_reason)
    bools["voluntary"][people] = voluntary
    bools["regrettable"][people] = regrettable
    # Only someone already listed on an earlier roster can vanish from the next one.
    listed = (
        ints["hire_day"][people] <= previous_roster_day
        if previous_roster_day is not None
        else False
    )
    bools["silent"][people] = (rng.random(n) < SILENT_LEAVER_SHARE) & listed
    bools["active"][people] = False


def _monthly_hazard(pool: _Pool, people: IntArray, first_day: int) -> FloatArray:
    ints = pool.ints
    base = 1.0 - (1.0 - BASE_ANNUAL_ATTRITION) ** (1.0 / 12.0)
    tenure = (first_day - ints["hire_day"][people]) / 365.25
    tenure_mult = np.select(
        [tenure < 1, tenure < 2, tenure < 5, tenure < 10], [1.5, 1.25, 1.0, 0.8], 0.6
    )
    role = ints["role"][people]
    dept_mult = _DEPT_ATTRITION[np.maximum(ints["dept"][people], 0)]
    badged = ints["first_badge_day"][people] < first_day
    hazard = (
        base
        * tenure_mult
        * dept_mult
        * _PERF_HAZARD[ints["perf"][people] - 1]
        * np.where(role == ROLE_STAFF, 1.0, LEADER_HAZARD_RATIO)
        * np.where(badged, BADGE_HAZARD_RATIO, 1.0)
    )
    return np.where(role == ROLE_CEO, 0.0, hazard)


def _move_and_promote(
    pool: _Pool, chart: OrgChart, people: IntArray, rng: np.random.Generator, april: bool
) -> None:
    """Team and department moves, promotions and the April pay review for active staff."""
    ints, floats = pool.ints, pool.floats
    staff = people[ints["role"][people] == ROLE_STAFF]
    movers = staff[rng.random(staff.shape[0]) < MOVE_RATE]
    if movers.shape[0]:
        cross = rng.random(movers.shape[0]) < CROSS_DEPARTMENT_SHARE
        new_dept = np.where(
            cross,
            rng.choice(len(org.DEPARTMENTS), size=movers.shape[0], p=_DEPT_WEIGHT),
            ints["dept"][movers],
        )
        count = chart.dept_team_count[new_dept]
        new_team = chart.dept_team_start[new_dept] + (rng.random(movers.shape[0]) * count).astype(
            np.int64
        )
        ints["dept"][movers] = new_dept
        ints["team"][movers] = new_team
        ints["location"][movers] = chart.team_location[new_team]
    level = ints["level"][staff]
    promoted = staff[(level < 4) & (rng.random(staff.shape[0]) < PROMOTION_RATE)]
    ints["level"][promoted] += 1
    floats["salary"][promoted] = np.round(floats["salary"][promoted] * 1.1 / 100.0) * 100.0
    if april:
        raise_ = np.clip(rng.normal(0.03, 0.012, people.shape[0]), 0.0, 0.08)
        floats["salary"][people] = np.round(floats["salary"][people] * (1 + raise_) / 100.0) * 100.0


def _snapshot(pool: _Pool, chart: OrgChart, month: int, day: int) -> Snapshot:
    ints, bools = pool.ints, pool.bools
    n = pool.n
    left_in_quarter = (ints["term_month"][:n] > month - SNAPSHOT_EVERY_MONTHS) & (
        ints["term_month"][:n] <= month
    )
    people = np.flatnonzero(bools["active"][:n] | (left_in_quarter & ~bools["silent"][:n]))
    role = ints["role"][people]
    team = ints["team"][people]
    position = ints["position"][people]
    manager_pos = np.where(
        role == ROLE_STAFF,
        chart.team_lead_pos[np.maximum(team, 0)],
        chart.pos_parent[np.maximum(position, 0)],
    )
    manager = np.where(manager_pos >= 0, chart.holder[np.maximum(manager_pos, 0)], -1)
    return Snapshot(
        day=day,
        people=people.astype(np.int64),
        dept=ints["dept"][people].copy(),
        team=team.copy(),
        role=role.copy(),
        level=ints["level"][people].copy(),
        location=ints["location"][people].copy(),
        salary=pool.floats["salary"][people].copy(),
        manager=np.where(role == ROLE_CEO, -1, manager),
    )


def simulate(employees: int, seed: int) -> Workforce:
    """Run 36 months of workforce history ending with ``employees`` people on the last roster.

    Args:
        employees: active headcount at the last snapshot (2026-10-31); at least 50.
        seed: seeds every random draw; the same seed gives the same history.

    Returns:
        The workforce with its quarterly snapshots and the hazard log.
    """
    if employees < 50:
        raise ValueError(f"employees must be at least 50 (got {employees})")
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    ends = month_ends()
    chart = build_org_chart(employees, rng)
    pool = _Pool(int(employees * 1.6) + 64)
    _initial_population(pool, chart, employees, rng)
    headcount0 = int(pool.bools["active"][: pool.n].sum())
    log = HazardLog()
    snapshots: list[Snapshot] = []
    for month in range(1, HISTORY_MONTHS + 1):
        first_day = int(ends[month - 1]) + 1
        days = int(ends[month]) - first_day + 1
        active = np.flatnonzero(pool.bools["active"][: pool.n])
        hazard = _monthly_hazard(pool, active, first_day)
        leaves = rng.random(active.shape[0]) < hazard
        badged = pool.ints["first_badge_day"][active] < first_day
        log.exposed_months += int(badged.sum())
        log.unexposed_months += int((~badged).sum())
        log.exposed_leavers += int((leaves & badged).sum())
        log.unexposed_leavers += int((leaves & ~badged).sum())
        leavers = active[leaves]
        previous_snapshot = (month - 1) // SNAPSHOT_EVERY_MONTHS * SNAPSHOT_EVERY_MONTHS
        previous_roster_day = int(ends[previous_snapshot]) if previous_snapshot > 0 else None
        _leave(pool, leavers, month, first_day, days, rng, previous_roster_day=previous_roster_day)
        vacated = pool.ints["position"][leavers]
        vacated = vacated[vacated >= 0]
        chart.holder[vacated] = -1
        stayers = active[~leaves]
        month_no = (np.datetime64(int(ends[month]), "D").astype("datetime64[M]").astype(int)) % 12
        _move_and_promote(pool, chart, stayers, rng, april=month_no == 3)

        if month == HISTORY_MONTHS:
            desired = employees
        else:
            trend = headcount0 + (employees - headcount0) * month / HISTORY_MONTHS
            desired = round(trend + rng.normal(0.0, 0.002 * employees))
        hires = desired - stayers.shape[0]
        if hires < vacated.shape[0]:
            # Only the last month can need this: lay off staff so the final headcount is exact.
            staff = stayers[pool.ints["role"][stayers] == ROLE_STAFF]
            extra = rng.choice(staff, size=vacated.shape[0] - hires, replace=False)
            _leave(
                pool,
                np.sort(extra),
                month,
                first_day,
                days,
                rng,
                previous_roster_day=previous_roster_day,
                layoff=True,
            )
            hires = vacated.shape[0]
        staff_teams = rng.choice(
            chart.team_dept.shape[0], size=hires - vacated.shape[0], p=chart.team_weight
        )
        _hire(
            pool,
            chart,
            rng,
            positions=vacated,
            staff_teams=staff_teams,
            hire_day=first_day + rng.integers(0, days, hires),
            initial=False,
        )
        if month % SNAPSHOT_EVERY_MONTHS == 0:
            snapshots.append(_snapshot(pool, chart, month, int(ends[month])))

    n = pool.n
    i, f, b = pool.ints, pool.floats, pool.bools
    return Workforce(
        employees=employees,
        month_ends=ends,
        chart=chart,
        first_name=i["first_name"][:n].copy(),
        last_name=i["last_name"][:n].copy(),
        hire_day=i["hire_day"][:n].copy(),
        term_day=i["term_day"][:n].copy(),
        term_month=i["term_month"][:n].copy(),
        voluntary=b["voluntary"][:n].copy(),
        regrettable=b["regrettable"][:n].copy(),
        reason=i["reason"][:n].copy(),
        silent=b["silent"][:n].copy(),
        role=i["role"][:n].copy(),
        dept=i["dept"][:n].copy(),
        team=i["team"][:n].copy(),
        position=i["position"][:n].copy(),
        level=i["level"][:n].copy(),
        location=i["location"][:n].copy(),
        perf=i["perf"][:n].copy(),
        salary=f["salary"][:n].copy(),
        participant=b["participant"][:n].copy(),
        badge_rate=f["badge_rate"][:n].copy(),
        first_general_day=i["first_general_day"][:n].copy(),
        core_day=i["core_day"][:n].copy(),
        core_dept=i["core_dept"][:n].copy(),
        first_badge_day=i["first_badge_day"][:n].copy(),
        snapshots=snapshots,
        hazard_log=log,
    )
