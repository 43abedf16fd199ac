"""The data-access layer: small named functions, each one parameterised query on the snapshot.

Callbacks call these and nothing else touches SQL. Every function takes the ``scope`` of the
person asking (what they may see) and applies it here, so access logic lives in one place; every
aggregate passes through :func:`_protect`, the one call into the k-anonymity rules of
:mod:`dashboard.privacy` (SPEC §5). The SQL text lives in ``sql/queries/<name>.sql``; values
reach it only as ``$name`` parameters.

Scope (SPEC §6): the scope a query runs with is the one passed, narrowed by the logged-in
user's (:func:`current_scope`, built from the session's user on the server, never from the
request), so a callback that passed ``Scope.everything()`` by mistake still gets the user's.
A restricted scope reads team aggregates only of the teams wholly inside it
(:func:`allowed_teams`); people-level queries carry the scope as SQL parameters.

Suppression is decided on the whole table of a team type (every department, every location,
every job family) before the view keeps the teams it shows: a team hidden as the complement
of a small one stays hidden when a filter selects it alone, so no combination of filters gets
a hidden figure back by subtraction from a total shown elsewhere.

Marts hold one row per (team type, team). The global filters pick the team type of the
aggregates: the most specific filter set wins (team › department › location › job family), and
the filter's values pick the teams. People-level questions (headcount, drill-downs) intersect
every filter.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from dashboard import access, audit, privacy
from dashboard.filters import Filters
from dashboard.snapshot import Snapshot
from dashboard.users import User
from skillboard.settings import SQL_DIR

QUERY_DIR = SQL_DIR / "queries"
DEFAULT_K = 5
EXPIRY_HORIZONS = (30, 60, 90)

TEAM_TYPE_LABELS = {
    "all": "whole organisation",
    "department": "department",
    "manager_org": "manager's org",
    "location": "location",
    "job_family": "job family",
}


# -- who is asking --------------------------------------------------------------------------


NOTHING = "\x00nothing"
"""A team / department name no snapshot has: a selection narrowed to nothing matches nobody
(an empty list would mean "no filter", i.e. everything)."""


@dataclass(frozen=True)
class Scope:
    """What the person asking may see. ``Scope()`` is everything (admin / hr / open demo).

    A restricted scope is the union of ``departments`` and the org (on the snapshot date) of
    ``manager_id``, recursively. Narrower scopes are applied inside this module so that no
    callback can forget them.
    """

    departments: tuple[str, ...] | None = None
    manager_id: str | None = None
    person_level: bool = True

    @classmethod
    def everything(cls) -> Scope:
        """The unrestricted scope."""
        return cls()

    @classmethod
    def nothing(cls) -> Scope:
        """The scope of nobody (a request without a valid user when users are configured)."""
        return cls(departments=(), manager_id=None, person_level=False)

    @property
    def restricted(self) -> bool:
        """True when the scope covers only some departments / one org."""
        return self.departments is not None or self.manager_id is not None

    def narrowed_by(self, granted: Scope) -> Scope:
        """This scope, never wider than ``granted`` (the logged-in user's)."""
        person_level = self.person_level and granted.person_level
        if not granted.restricted:
            return replace(self, person_level=person_level)
        if not self.restricted or replace(self, person_level=True) == replace(
            granted, person_level=True
        ):
            return replace(granted, person_level=person_level)
        # Two different restricted scopes: keep what both name (a subset of their overlap).
        wanted = set(granted.departments or ())
        departments = tuple(d for d in self.departments or () if d in wanted)
        manager = self.manager_id if self.manager_id == granted.manager_id else None
        return Scope(departments, manager, person_level)

    def sql_params(self) -> dict[str, Any]:
        """The scope as the ``$scope_*`` parameters of people-level queries."""
        return {
            "scope_all": not self.restricted,
            "scope_departments": list(self.departments or ()),
            "scope_manager": self.manager_id or NOTHING,
        }


def scope_of(user: User) -> Scope:
    """The scope of a logged-in user: admin and hr everything; a manager their departments
    and / or org; a viewer aggregates only (of everything, or of the scope listed)."""
    if user.sees_everything:
        return Scope(person_level=user.person_level)
    return Scope(
        departments=user.departments or None,
        manager_id=user.employee_id,
        person_level=user.person_level,
    )


def current_scope() -> Scope:
    """The scope of the current request: built from the session's user on the server.

    Everything in the open demo (no users file) and outside a request (tests, scripts);
    nothing when users are configured but the request has no valid user.
    """
    configured, user = access.request_identity()
    if not configured:
        return Scope.everything()
    return scope_of(user) if user is not None else Scope.nothing()


def _granted(scope: Scope) -> Scope:
    configured, _ = access.request_identity()
    return scope.narrowed_by(current_scope()) if configured else scope


class NotAllowed(PermissionError):
    """The scope does not allow this question."""


# -- query files ------------------------------------------------------------------------------

_USES = re.compile(r"^--\s*uses:\s*([a-z_]+)\s*$", re.MULTILINE)
_FIRST_WITH = re.compile(r"^with\s", re.MULTILINE | re.IGNORECASE)


@functools.cache
def query_text(name: str, query_dir: Path = QUERY_DIR) -> str:
    """The SQL of ``sql/queries/<name>.sql``, with the fragments its header asks for.

    A query whose header says ``-- uses: _people_as_of`` gets that fragment's CTEs in front of
    its own (its ``with`` becomes ``with <fragment>,``).

    Args:
        name: the file's stem.
        query_dir: where the files are.
    """
    text = (query_dir / f"{name}.sql").read_text(encoding="utf-8")
    fragments = _USES.findall(text)
    if not fragments:
        return text
    ctes = ",\n".join(
        (query_dir / f"{fragment}.sql").read_text(encoding="utf-8") for fragment in fragments
    )
    return _FIRST_WITH.sub(lambda _: f"with\n{ctes},\n", text, count=1)


def _run(db: Snapshot, name: str, **params: Any) -> pl.DataFrame:
    return db.query(query_text(name), params)


# -- privacy ---------------------------------------------------------------------------------


def k_anonymity(db: Snapshot) -> int:
    """The minimum group size of any aggregate shown (config, default 5, never below 3)."""

    def compute() -> int:
        if "stg_params" not in db.tables():
            return DEFAULT_K
        frame = _run(db, "k_anonymity")
        return max(int(frame["k"][0]), 3) if frame.height and frame["k"][0] is not None else 5

    return db.memo("k", compute)


def _protect(
    frame: pl.DataFrame,
    k: int,
    *,
    count: str,
    values: list[str],
    within: list[str] | None = None,
    across: list[str] | None = None,
) -> pl.DataFrame:
    """Suppress every row over fewer than k people (SPEC §5): its ``values`` and ``count``
    become null and ``suppressed`` is true. The one place aggregates meet the privacy rules.

    Args:
        frame: the aggregate rows.
        k: the minimum group size.
        count: the column counting the people behind each row.
        values: columns that reveal something about those people.
        within: columns grouping sibling rows under a total that is shown (``[]``: all rows
            are siblings); the next-smallest sibling of a lone hidden row is hidden too
            (complementary suppression). None: no total is shown, nothing to complement.
        across: a second grouping for two-way tables (rows add up along both); the two are
            applied in turn until no lone hidden cell is left in either.
    """
    groupings = [g for g in (within, across) if g is not None]
    if not groupings:
        return privacy.suppress(frame, people=count, values=values, k=k, total_shown=False)
    result = frame
    reasons: pl.Series | None = None
    hidden = -1
    for _ in range(6):  # each pass only hides more; two-way tables settle in a few
        for grouping in groupings:
            result = privacy.suppress(
                result.drop(["suppressed", "suppression_reason"], strict=False),
                people=count,
                values=values,
                k=k,
                siblings_by=grouping,
                total_shown=True,
            )
            # A cell hidden by an earlier pass reads as "fewer than k" to the next one: keep
            # the first reason found.
            now = result["suppression_reason"]
            reasons = now if reasons is None else reasons.fill_null(now)
        if int(result["suppressed"].sum()) == hidden:
            break
        hidden = int(result["suppressed"].sum())
    assert reasons is not None
    return result.with_columns(reasons.alias("suppression_reason"))


PARTITIONS = ("department", "location", "job_family")
"""Team types that split the organisation into disjoint teams (their sum is the whole)."""


def _team_rows(
    db: Snapshot,
    query: str,
    selection: TeamSelection,
    *,
    count: str,
    values: list[str],
    within: list[str] | None = None,
    across: list[str] | None = None,
    **params: Any,
) -> pl.DataFrame:
    """One team aggregate for the selected teams, suppressed on the whole table of its team
    type (see the module docstring) and then narrowed to the selection."""
    whole = selection.team_type in PARTITIONS
    frame = _run(
        db,
        query,
        team_type=selection.team_type,
        teams=[] if whole else list(selection.teams),
        **params,
    )
    frame = _protect(
        frame, k_anonymity(db), count=count, values=values, within=within, across=across
    )
    if whole and selection.teams:
        frame = frame.filter(pl.col("team").is_in(list(selection.teams)))
    return frame


# -- snapshot metadata (memoised per published file) -----------------------------------------


@dataclass(frozen=True)
class SnapshotInfo:
    """When the snapshot was built and what date its numbers describe."""

    built_at: dt.datetime | None
    run_id: int | None
    as_of: dt.date | None

    def age(self, now: dt.datetime | None = None) -> dt.timedelta | None:
        """How long ago it was built (UTC)."""
        if self.built_at is None:
            return None
        now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return now - self.built_at


def snapshot_info(db: Snapshot) -> SnapshotInfo:
    """The snapshot's build time, run id and as-of date."""

    def compute() -> SnapshotInfo:
        frame = _run(db, "snapshot_info")
        if frame.height == 0:
            return SnapshotInfo(None, None, None)
        row = frame.row(0, named=True)
        return SnapshotInfo(row["built_at"], row["run_id"], row["as_of"])

    return db.memo("snapshot_info", compute)


def as_of_dates(db: Snapshot) -> list[dt.date]:
    """The dates the as-of filter offers: month-ends with mart rows, newest first."""

    def compute() -> list[dt.date]:
        if "analysis_dates" not in db.tables():
            info = snapshot_info(db)
            return [info.as_of] if info.as_of else []
        return list(_run(db, "as_of_dates")["as_of"].to_list())

    return db.memo("as_of_dates", compute)


def resolve_as_of(db: Snapshot, filters: Filters) -> dt.date:
    """The as-of date to use: the filter's when the marts have it, else the snapshot date."""
    dates = as_of_dates(db)
    if filters.as_of is not None and filters.as_of in dates:
        return filters.as_of
    info = snapshot_info(db)
    if info.as_of is not None:
        return info.as_of
    return dates[0] if dates else dt.date.today()


def window_start(as_of: dt.date, months: int = 24) -> dt.date:
    """The day before the analysis window of ``months`` months that ends on ``as_of``."""
    year, month = divmod(as_of.year * 12 + as_of.month - 1 - months, 12)
    month += 1
    last = (dt.date(year + (month // 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(as_of.day, last))


@dataclass(frozen=True)
class Option:
    """One value a filter can take."""

    value: str
    label: str


AllowedTeams = Mapping[str, frozenset[str]]
"""Team type -> the teams whose aggregates a restricted scope may read."""


def allowed_teams(db: Snapshot, scope: Scope) -> AllowedTeams | None:
    """The teams a scope may read aggregates of; None when the scope is unrestricted.

    A restricted scope reads its departments and every manager's org (on the snapshot date)
    whose members are all inside the scope, its own org and the orgs under it among them.
    Locations, job families and the whole organisation mix people from outside any
    department scope, so a restricted scope reads none of them.
    """
    if not scope.restricted:
        return None

    def compute() -> AllowedTeams:
        orgs: frozenset[str] = frozenset()
        if "org_members_on_as_of" in db.tables():
            orgs = frozenset(_run(db, "scope_orgs", **scope.sql_params())["team"].to_list())
        return {"department": frozenset(scope.departments or ()), "manager_org": orgs}

    return db.memo(f"allowed:{scope.departments}:{scope.manager_id}", compute)


def filter_options(db: Snapshot, scope: Scope) -> dict[str, list[Option]]:
    """Every filter's options (department, team, location, job_family, framework), only
    those inside the scope: its teams, and the locations / job families of its people."""
    scope = _granted(scope)

    def compute() -> dict[str, list[Option]]:
        frame = _run(db, "filter_options")
        options: dict[str, list[Option]] = {
            f: [] for f in ("department", "team", "location", "job_family", "framework")
        }
        for field, value, label in frame.iter_rows():
            options[field].append(Option(str(value), str(label)))
        return options

    options = db.memo("filter_options", compute)
    allowed = allowed_teams(db, scope)
    if allowed is None:
        return options
    present: dict[str, set[str]] = {"location": set(), "job_family": set()}
    if "people_on_as_of" in db.tables():
        for field, value in _run(db, "scope_values", **scope.sql_params()).iter_rows():
            present[field].add(str(value))
    return {
        "department": [o for o in options["department"] if o.value in allowed["department"]],
        "team": [o for o in options["team"] if o.value in allowed["manager_org"]],
        "location": [o for o in options["location"] if o.value in present["location"]],
        "job_family": [o for o in options["job_family"] if o.value in present["job_family"]],
        "framework": options["framework"],
    }


def team_labels(db: Snapshot) -> dict[tuple[str, str], str]:
    """Display names of every team by (team_type, team)."""

    def compute() -> dict[tuple[str, str], str]:
        frame = _run(db, "team_labels")
        return {(t, team): label for t, team, label in frame.iter_rows()}

    return db.memo("team_labels", compute)


# -- which marts rows the filters select -----------------------------------------------------


@dataclass(frozen=True)
class TeamSelection:
    """The mart rows a view reads: one team type and some of its teams (none = all of them)."""

    team_type: str
    teams: tuple[str, ...]
    note: str | None = None


_PRIORITY = (
    ("team", "manager_org"),
    ("department", "department"),
    ("location", "location"),
    ("job_family", "job_family"),
)


def _declared_teams(scope: Scope) -> AllowedTeams:
    # Without the snapshot at hand: the teams the scope names itself.
    return {
        "department": frozenset(scope.departments or ()),
        "manager_org": frozenset([scope.manager_id] if scope.manager_id else []),
    }


def team_selection(
    filters: Filters,
    scope: Scope,
    *,
    group_by_default: str = "all",
    allowed: AllowedTeams | None = None,
) -> TeamSelection:
    """The team type and teams that aggregates read for these filters.

    Args:
        filters: the global filters.
        scope: the person's scope (a restricted scope only ever reads its allowed teams).
        group_by_default: the team type when no people filter is set (``all`` for headline
            numbers, ``department`` for one-row-per-team charts).
        allowed: the scope's teams (:func:`allowed_teams`); when None for a restricted scope,
            the teams it names itself.
    """
    chosen = [(name, team_type) for name, team_type in _PRIORITY if getattr(filters, name)]
    if scope.restricted:
        return _scoped_selection(filters, scope, chosen, allowed or _declared_teams(scope))
    note = None
    if len(chosen) > 1:
        ignored = ", ".join(name.replace("_", " ") for name, _ in chosen[1:])
        note = (
            f"Team aggregates are pre-computed per {TEAM_TYPE_LABELS[chosen[0][1]]}; "
            f"they follow the {chosen[0][0].replace('_', ' ')} filter and ignore {ignored}. "
            "Headcount and people lists apply every filter."
        )
    if chosen:
        name, team_type = chosen[0]
        return TeamSelection(team_type, tuple(getattr(filters, name)), note)
    return TeamSelection(group_by_default, ())


def _scoped_selection(
    filters: Filters, scope: Scope, chosen: list[tuple[str, str]], allowed: AllowedTeams
) -> TeamSelection:
    usable = [(name, team_type) for name, team_type in chosen if allowed.get(team_type)]
    note = None
    if len(usable) < len(chosen):
        note = (
            "Team aggregates cover only teams wholly inside your access; they ignore the "
            "location and job family filters. Headcount and people lists apply every filter."
        )
    if usable:
        name, team_type = usable[0]
        # Anything the request names outside the scope is dropped; nothing left = nobody.
        teams = tuple(t for t in getattr(filters, name) if t in allowed[team_type])
        return TeamSelection(team_type, teams or (NOTHING,), note)
    if allowed.get("department"):
        return TeamSelection("department", tuple(sorted(allowed["department"])), note)
    if scope.manager_id and scope.manager_id in allowed.get("manager_org", frozenset()):
        return TeamSelection("manager_org", (scope.manager_id,), note)
    return TeamSelection("department", (NOTHING,), note)


def _people_params(filters: Filters, scope: Scope, as_of: dt.date | None) -> dict[str, Any]:
    # The scope travels as its own parameters ($scope_*), applied by the SQL to every row,
    # whatever the filters say.
    return {
        "as_of": as_of,
        "department": list(filters.department),
        "team": list(filters.team),
        "location": list(filters.location),
        "job_family": list(filters.job_family),
        **scope.sql_params(),
    }


def _selection_params(selection: TeamSelection) -> dict[str, Any]:
    return {"team_type": selection.team_type, "teams": list(selection.teams)}


def _selection(
    db: Snapshot, filters: Filters, scope: Scope, group_by_default: str
) -> TeamSelection:
    return team_selection(
        filters, scope, group_by_default=group_by_default, allowed=allowed_teams(db, scope)
    )


def _require_table(db: Snapshot, table: str) -> bool:
    return table in db.tables()


# -- Overview --------------------------------------------------------------------------------


def _department_table(filters: Filters, scope: Scope) -> tuple[Filters, Scope, tuple[str, ...]]:
    """How to compute a per-department table of people counts so that its suppression pattern
    does not depend on the department filter: (filters without it, the scope to compute
    with, the departments the view keeps; empty = all).

    A department scope sees whole departments, so the table is the organisation's and the
    view keeps the scope's departments; a manager's-org scope counts only its own people, so
    its table is computed inside the scope.
    """
    wanted = filters.department
    if scope.manager_id is not None:
        return filters, scope, wanted
    if scope.departments is not None:
        allowed = set(scope.departments)
        wanted = tuple(d for d in (wanted or scope.departments) if d in allowed) or (NOTHING,)
    return replace(filters, department=()), replace(scope, departments=None), wanted


def headcount_by_department(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Active employees per department on the as-of date, inside every people filter.

    Returns:
        department, headcount (null when suppressed), total (the shown departments
        together), suppressed, suppression_reason.
    """
    scope = _granted(scope)
    as_of = resolve_as_of(db, filters)
    table_filters, table_scope, wanted = _department_table(filters, scope)
    raw = _run(db, "headcount_by_department", **_people_params(table_filters, table_scope, as_of))
    frame = _protect(raw, k_anonymity(db), count="headcount", values=["headcount"], within=[])
    if wanted:
        frame = frame.filter(pl.col("department").is_in(list(wanted)))
        raw = raw.filter(pl.col("department").is_in(list(wanted)))
    total = int(raw["headcount"].sum()) if raw.height else 0
    return frame.with_columns(pl.lit(total, dtype=pl.Int64).alias("total")).select(
        "department", "headcount", "total", "suppressed", "suppression_reason"
    )


def headcount_total(frame: pl.DataFrame) -> int | None:
    """Total headcount of :func:`headcount_by_department` rows.

    None when exactly one department is hidden (the total would give it away; complementary
    suppression normally hides a second one) or when the total itself is below k.
    """
    if frame.height == 0:
        return 0
    hidden = int(frame["suppressed"].sum())
    if hidden == 1 or (hidden == frame.height and hidden > 0):
        return None
    return int(frame["total"][0])


@dataclass(frozen=True)
class CoverageHeadline:
    """The coverage index of the selection."""

    coverage_index: float | None
    teams: int
    headcount: int
    suppressed: bool


def coverage_index(
    db: Snapshot, scope: Scope, filters: Filters, *, group_by_default: str = "all"
) -> pl.DataFrame:
    """The coverage index of every selected team on the as-of date.

    Returns:
        team_type, team, team_label, headcount, required_skills, coverage_index,
        single_points_of_failure, suppressed.
    """
    if not _require_table(db, "team_coverage_index"):
        return pl.DataFrame()
    scope = _granted(scope)
    return _team_rows(
        db,
        "coverage_index",
        _selection(db, filters, scope, group_by_default),
        as_of=resolve_as_of(db, filters),
        count="headcount",
        values=["coverage_index", "single_points_of_failure", "required_skills", "headcount"],
        within=[],
    )


def coverage_headline(frame: pl.DataFrame) -> CoverageHeadline:
    """One coverage index for the selection: the team's own, or the headcount-weighted mean of
    the selected teams' indices (suppressed teams left out)."""
    if frame.height == 0:
        return CoverageHeadline(None, 0, 0, False)
    shown = frame.filter(~pl.col("suppressed") & pl.col("coverage_index").is_not_null())
    if shown.height == 0:
        return CoverageHeadline(None, frame.height, 0, True)
    weights = shown["headcount"].cast(pl.Float64)
    index = float((shown["coverage_index"] * weights).sum()) / float(weights.sum())
    return CoverageHeadline(index, frame.height, int(weights.sum()), shown.height < frame.height)


def biggest_gaps(db: Snapshot, scope: Scope, filters: Filters, limit: int = 10) -> pl.DataFrame:
    """The (team, skill) pairs furthest below target, in people.

    Returns:
        team_type, team, team_label, skill_id, skill_name, required, holders, coverage, target,
        gap_people, suppressed; sorted by gap_people descending.
    """
    cells = coverage_cells(db, scope, filters)
    if cells.height == 0:
        return cells
    return (
        cells.filter(~pl.col("suppressed") & (pl.col("gap_people") > 0))
        .sort(["gap_people", "coverage"], descending=[True, False])
        .head(limit)
    )


def _expiring_rows(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    if not _require_table(db, "expiring_credentials"):
        return pl.DataFrame()
    params = _people_params(filters, scope, None)
    del params["as_of"]  # the mart describes the snapshot date only
    return _run(db, "expiring_credentials", framework=list(filters.framework), **params)


def expiring_credentials(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Holdings of people in the filters that stop being valid within 90 days (person-level).

    Returns:
        employee_id, full_name, department, location, job_family, badge_name, skill_id,
        skill_name, expires_on, days_left.

    Raises:
        NotAllowed: when the scope may not see person-level rows.
    """
    scope = _granted(scope)
    if not scope.person_level:
        raise NotAllowed("person-level lists are not available to this role")
    audit.record("person_list", list="expiring_credentials")
    return _expiring_rows(db, scope, filters)


def expiring_counts(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Expiring holdings counted per horizon (30 / 60 / 90 days), cumulative.

    Counted per department first and suppressed there (a department hidden as the complement
    of a small one stays hidden whichever departments the filter picks), then summed over the
    departments in view; a sum that includes exactly one hidden department is hidden too.

    Returns:
        horizon_days, holdings, people, suppressed (fewer than k people behind a count, or a
        sum that would give a hidden department away).
    """
    # Counts are aggregates: a role without person-level access still sees them.
    scope = _granted(scope)
    table_filters, table_scope, wanted = _department_table(filters, scope)
    rows = _expiring_rows(db, table_scope, table_filters)
    k = k_anonymity(db)
    schema = {"horizon_days": pl.Int64, "holdings": pl.Int64, "people": pl.Int64}
    columns = {"department": pl.String, **schema}
    per_horizon = [
        rows.filter(pl.col("days_left") <= horizon)
        .group_by("department")
        .agg(
            pl.lit(horizon, dtype=pl.Int64).alias("horizon_days"),
            pl.len().cast(pl.Int64).alias("holdings"),
            pl.col("employee_id").n_unique().cast(pl.Int64).alias("people"),
        )
        for horizon in EXPIRY_HORIZONS
        if rows.height
    ]
    table = (
        pl.concat(per_horizon).select(list(columns)).sort("horizon_days", "department")
        if per_horizon
        else pl.DataFrame(schema=columns)
    )
    hidden = _protect(
        table, k, count="people", values=["holdings", "people"], within=["horizon_days"]
    )
    if wanted:
        table = table.filter(pl.col("department").is_in(list(wanted)))
        hidden = hidden.filter(pl.col("department").is_in(list(wanted)))
    counts = []
    for horizon in EXPIRY_HORIZONS:
        raw = table.filter(pl.col("horizon_days") == horizon)
        shown = hidden.filter(pl.col("horizon_days") == horizon)
        people = int(raw["people"].sum()) if raw.height else 0
        lone = int(shown["suppressed"].sum()) == 1 if shown.height else False
        counts.append(
            {
                "horizon_days": horizon,
                "holdings": int(raw["holdings"].sum()) if raw.height else 0,
                "people": -1 if lone else people,  # -1: forced below k, hidden next
            }
        )
    frame = pl.DataFrame(counts, schema=schema)
    return _protect(frame, k, count="people", values=["holdings", "people"], within=None)


# -- Coverage --------------------------------------------------------------------------------


def coverage_cells(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Team × skill coverage on the as-of date (one row per team and required skill).

    With no people filter the teams are the departments.

    Returns:
        team_type, team, team_label, skill_id, skill_name, required, holders, coverage, target,
        gap_people, suppressed (fewer than k required people: holders/coverage/gap hidden).
    """
    if not _require_table(db, "team_skill_coverage"):
        return pl.DataFrame()
    scope = _granted(scope)
    return _cells(
        db, _selection(db, filters, scope, "department"), resolve_as_of(db, filters), filters
    )


def _cells(
    db: Snapshot, selection: TeamSelection, as_of: dt.date, filters: Filters
) -> pl.DataFrame:
    return _team_rows(
        db,
        "coverage_cells",
        selection,
        as_of=as_of,
        framework=list(filters.framework),
        count="required",
        values=["required", "holders", "coverage", "gap_people"],
        within=["skill_id"],
    )


def coverage_trend(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """The coverage index by month-end up to the as-of date.

    History exists only for the organisation and departments (SPEC §5); other team types return
    no rows and the page says so.

    Returns:
        as_of, team, team_label, headcount, coverage_index, suppressed.
    """
    if not _require_table(db, "team_coverage_index"):
        return pl.DataFrame()
    scope = _granted(scope)
    return _team_rows(
        db,
        "coverage_trend",
        _selection(db, filters, scope, "all"),
        as_of=resolve_as_of(db, filters),
        count="headcount",
        values=["coverage_index", "headcount"],
        within=["as_of"],
    )


def single_points_of_failure(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Required skills held by exactly one person in a selected team (snapshot date), for the
    teams and skills whose coverage cell is shown (a team of fewer than k people, or one
    hidden as a complement, lists nobody).

    Returns:
        team_type, team, skill_id, skill_name, employee_id, full_name, job_title.

    Raises:
        NotAllowed: when the scope may not see person-level rows.
    """
    scope = _granted(scope)
    if not scope.person_level:
        raise NotAllowed("person-level lists are not available to this role")
    if not _require_table(db, "single_points_of_failure"):
        return pl.DataFrame()
    selection = _selection(db, filters, scope, "department")
    frame = _run(
        db,
        "single_points_of_failure",
        framework=list(filters.framework),
        **_selection_params(selection),
        **scope.sql_params(),
    )
    as_of = snapshot_info(db).as_of
    if frame.height and as_of is not None and _require_table(db, "team_skill_coverage"):
        shown = _cells(db, selection, as_of, filters).filter(~pl.col("suppressed"))
        frame = frame.join(shown.select("team", "skill_id"), on=["team", "skill_id"], how="semi")
    audit.record("person_list", list="single_points_of_failure", team_type=selection.team_type)
    return frame


def skill_people(
    db: Snapshot, scope: Scope, filters: Filters, team_type: str, team: str, skill_id: str
) -> pl.DataFrame:
    """Drill-down, everyone: who in one team holds a required skill and who is missing it, on
    the snapshot date (the person-level marts exist for that date only). The CSV download of
    the drill-down; the panel shows :func:`skill_people_page`.

    Read from requirement_people, the rows the coverage mart counts, so the list matches the
    heatmap cell it was opened from.

    Args:
        db: the snapshot.
        scope: the person asking; the team must be inside it.
        filters: the global filters (unused: the team is the clicked cell's; kept so every
            function of this layer has the same shape).
        team_type: one of all / department / manager_org / location / job_family.
        team: the team's key (a manager's employee id for manager_org).
        skill_id: the skill.

    Returns:
        employee_id, full_name, job_title, department, location, required_level, held_level,
        status (holds / missing); by status, then name and employee id.

    Raises:
        NotAllowed: when the scope may not see person-level rows, the team is outside it, or
            the cell is hidden (fewer than k people, or its complement).
    """
    scope = _granted(scope)
    params, k = _drill_params(db, scope, team_type, team, skill_id)
    people = _run(db, "skill_people", **params)
    if people.height < k:
        raise NotAllowed(_HIDDEN_LIST.format(label=privacy.suppression_label(k)))
    audit.record("person_list", list="skill_people", team_type=team_type, skill_id=skill_id)
    return people


def skill_people_csv(
    db: Snapshot, scope: Scope, filters: Filters, team_type: str, team: str, skill_id: str
) -> str:
    """The CSV of a whole drill-down: everyone :func:`skill_people` lists (the panel shows
    the first :data:`DRILL_ROWS` of each status).

    Raises:
        NotAllowed: as :func:`skill_people`.
    """
    people = skill_people(db, scope, filters, team_type, team, skill_id)
    audit.record("download", what="skill_people_csv", team_type=team_type, skill_id=skill_id)
    return people.write_csv()


DRILL_ROWS = 200
"""People of each status the drill-down panel lists (ten grid pages); the CSV has everyone."""


@dataclass(frozen=True)
class SkillPeoplePage:
    """The first people of a drill-down, by name, and how many there are in all."""

    holders: pl.DataFrame
    missing: pl.DataFrame
    holders_total: int
    missing_total: int

    @property
    def total(self) -> int:
        """Everyone whose role requires the skill (holders and missing)."""
        return self.holders_total + self.missing_total


def skill_people_page(
    db: Snapshot,
    scope: Scope,
    filters: Filters,
    team_type: str,
    team: str,
    skill_id: str,
    *,
    limit: int = DRILL_ROWS,
) -> SkillPeoplePage:
    """Drill-down as shown: the first ``limit`` holders and the first ``limit`` people missing
    the skill, by name, with the count of each. The same people, checks and suppression as
    :func:`skill_people`, which lists everyone; a cell of 100,000 people is counted in the
    snapshot, not sent to the browser.

    Args:
        db: the snapshot.
        scope: the person asking; the team must be inside it.
        filters: the global filters (unused, as in :func:`skill_people`).
        team_type: one of all / department / manager_org / location / job_family.
        team: the team's key (a manager's employee id for manager_org).
        skill_id: the skill.
        limit: people listed per status (at least 1).

    Returns:
        holders and missing (employee_id, full_name, job_title, department, location,
        required_level, held_level; by name, then employee id) and their totals.

    Raises:
        NotAllowed: as :func:`skill_people`.
    """
    scope = _granted(scope)
    params, k = _drill_params(db, scope, team_type, team, skill_id)
    rows = _run(db, "skill_people_page", limit=max(int(limit), 1), **params)
    totals = dict(rows.select("status", "status_people").unique().iter_rows())
    page = SkillPeoplePage(
        holders=rows.filter(pl.col("status") == "holds").drop("status", "status_people"),
        missing=rows.filter(pl.col("status") == "missing").drop("status", "status_people"),
        holders_total=int(totals.get("holds", 0)),
        missing_total=int(totals.get("missing", 0)),
    )
    if page.total < k:
        raise NotAllowed(_HIDDEN_LIST.format(label=privacy.suppression_label(k)))
    audit.record("person_list", list="skill_people", team_type=team_type, skill_id=skill_id)
    return page


def _drill_params(
    db: Snapshot, scope: Scope, team_type: str, team: str, skill_id: str
) -> tuple[dict[str, Any], int]:
    """The checks every drill-down passes before any person is read, and its query
    parameters: (parameters, k). ``scope`` is already narrowed by :func:`_granted`.

    Raises:
        NotAllowed: when the scope may not see person-level rows, the team is outside it, or
            the cell is hidden (fewer than k required people, or its complement).
    """
    if not scope.person_level:
        raise NotAllowed("person-level lists are not available to this role")
    allowed = allowed_teams(db, scope)
    if team_type not in TEAM_TYPE_LABELS or (
        allowed is not None and team not in allowed.get(team_type, frozenset())
    ):
        raise NotAllowed("this team is outside your scope")
    as_of = snapshot_info(db).as_of or resolve_as_of(db, Filters())
    k = k_anonymity(db)
    if _require_table(db, "team_skill_coverage"):
        cell = _cells(db, TeamSelection(team_type, (team,)), as_of, Filters()).filter(
            pl.col("skill_id") == skill_id
        )
        if bool(cell["suppressed"].any()):
            raise NotAllowed(_HIDDEN_LIST.format(label=privacy.suppression_label(k)))
    params = {
        "as_of": as_of,
        "team_type": team_type,
        "team": team,
        "skill_id": skill_id,
        **scope.sql_params(),
    }
    return params, k


_HIDDEN_LIST = (
    "This team has {label} people whose role requires the skill (or its figures are hidden so "
    "that a smaller team's cannot be worked out): its list is hidden."
)


# -- Retention -------------------------------------------------------------------------------


def attrition_by_group(
    db: Snapshot, scope: Scope, filters: Filters, *, group_by_default: str = "department"
) -> pl.DataFrame:
    """Annualised attrition per selected team over the analysis window (24 months to the
    snapshot date), from the attrition_summary mart.

    Returns:
        team, team_label, window_start, window_end, months, average_headcount, leavers,
        voluntary_leavers, regrettable_leavers, attrition_pct, voluntary_pct, regrettable_pct
        (per cent per year), suppressed (average headcount below k, or the complement of a
        hidden team: the organisation's leavers are shown, so one hidden team's could be
        recovered by subtraction).
    """
    if not _require_table(db, "attrition_summary"):
        return pl.DataFrame()
    scope = _granted(scope)
    return _team_rows(
        db,
        "attrition_summary",
        _selection(db, filters, scope, group_by_default),
        count="average_headcount",
        values=[
            "leavers",
            "voluntary_leavers",
            "regrettable_leavers",
            "attrition_pct",
            "voluntary_pct",
            "regrettable_pct",
            "average_headcount",
        ],
        within=[],
    )


def attrition_trend(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Monthly leavers and headcount of the selection (the organisation when unfiltered).

    Returns:
        month, team, headcount_start, headcount_end, leavers, voluntary_leavers,
        regrettable_leavers, min_headcount, suppressed.
    """
    if not _require_table(db, "attrition_monthly"):
        return pl.DataFrame()
    scope = _granted(scope)
    as_of = resolve_as_of(db, filters)
    return _team_rows(
        db,
        "attrition_trend",
        _selection(db, filters, scope, "all"),
        as_of=as_of,
        window_start=window_start(as_of),
        count="min_headcount",
        values=[
            "leavers",
            "voluntary_leavers",
            "regrettable_leavers",
            "headcount_start",
            "headcount_end",
            "average_headcount",
        ],
        within=["month"],
    )


def retention_summary(
    db: Snapshot, scope: Scope, filters: Filters, *, group_by_default: str = "all"
) -> pl.DataFrame:
    """Rate ratio and Cox hazard ratio with 95% intervals per selected team.

    Teams whose exposure groups are suppressed lose their ratios too.

    Returns:
        team_type, team, team_label, rate_ratio(_low/_high), hazard_ratio(_low/_high),
        suppressed.
    """
    if not _require_table(db, "retention_summary"):
        return pl.DataFrame()
    scope = _granted(scope)
    return _team_rows(
        db,
        "retention_summary",
        _selection(db, filters, scope, group_by_default),
        count="people",
        values=[
            "rate_ratio",
            "rate_ratio_low",
            "rate_ratio_high",
            "hazard_ratio",
            "hazard_ratio_low",
            "hazard_ratio_high",
            "badged_leavers",
            "not_badged_leavers",
            "people",
        ],
        within=[],
    )


def retention_curve(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Kaplan–Meier retention by exposure for the selection (the organisation when unfiltered).

    Points with fewer than k people at risk are dropped, and so is the smallest other team's
    point of the same month when one could subtract it back from the organisation's: the curve
    ends where it would describe individuals.

    Returns:
        team, exposure, month_of_tenure, at_risk, leavers, retained_share.
    """
    if not _require_table(db, "retention_curve"):
        return pl.DataFrame()
    scope = _granted(scope)
    frame = _team_rows(
        db,
        "retention_curve",
        _selection(db, filters, scope, "all"),
        count="at_risk",
        values=["at_risk", "leavers", "retained_share"],
        within=["exposure", "month_of_tenure"],
    )
    return frame.filter(~pl.col("suppressed")).drop("suppressed", "suppression_reason")


# -- Training ROI ----------------------------------------------------------------------------


def training_roi(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Per-programme ROI with its interval and the assumptions echoed by the mart.

    Programme ROI is organisation-wide (the mart has no team dimension); the people filters do
    not narrow it, and a restricted scope (which sees no organisation-wide figure) gets none.

    Returns:
        every training_roi column plus suppressed (fewer than k learners).

    Raises:
        NotAllowed: for a restricted scope.
    """
    scope = _granted(scope)
    if scope.restricted:
        raise NotAllowed(
            "Training ROI is computed for the whole organisation; your access covers only "
            "part of it"
        )
    if not _require_table(db, "training_roi"):
        return pl.DataFrame()
    frame = _run(db, "training_roi")
    revealing = (
        "learners",
        "person_years",
        "learner_leavers",
        "avoided_leavers",
        "benefit",
        "roi_pct",
        "roi_pct_low",
        "roi_pct_high",
        "learner_rate_per_py",
        "rate_ratio",
        "rate_ratio_low",
        "rate_ratio_high",
    )
    values: list[str] = [c for c in revealing if c in frame.columns]
    return _protect(frame, k_anonymity(db), count="learners", values=values)


# -- Data quality ----------------------------------------------------------------------------


def _require_data_steward(scope: Scope) -> None:
    # Quarantined rows carry raw roster values and unmatched awards carry e-mail addresses of
    # any department: only roles that see every person (admin, hr) get them.
    if scope.restricted or not scope.person_level:
        raise NotAllowed("raw rows and recipient identities are shown to admin and hr only")


def etl_runs(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """The latest ETL runs with status and counts (no personal data: every role)."""
    return _run(db, "etl_runs") if _require_table(db, "etl_runs") else pl.DataFrame()


def files(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """Every current inbox file with its loader, status, counts and error (admin, hr).

    Raises:
        NotAllowed: for other roles (an error can quote a value from a row).
    """
    _require_data_steward(_granted(scope))
    return _run(db, "files") if _require_table(db, "files") else pl.DataFrame()


def quarantine(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """Quarantined rows with file, row number, reason and raw values (admin, hr).

    Raises:
        NotAllowed: for other roles.
    """
    _require_data_steward(_granted(scope))
    if not _require_table(db, "quarantine"):
        return pl.DataFrame()
    audit.record("person_list", list="quarantine")
    return _run(db, "quarantine")


def unmatched_by_identity(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """Unmatched badge awards counted by recipient identity type (awards, not people: every
    role; they belong to no department)."""
    if not _require_table(db, "unmatched_awards"):
        return pl.DataFrame()
    return _run(db, "unmatched_by_identity")


UNMATCHED_ROWS = 500
"""Unmatched awards the data page lists (the newest); its CSV has them all."""


def unmatched_awards(
    db: Snapshot, scope: Scope, *, limit: int | None = UNMATCHED_ROWS
) -> pl.DataFrame:
    """The unmatched badge awards themselves, newest first (admin, hr).

    Args:
        db: the snapshot.
        scope: the person asking.
        limit: how many (``None``: all; at M there are about 5,000, 2 MB as JSON, which took
            the browser most of a second to take in).

    Raises:
        NotAllowed: for other roles.
    """
    _require_data_steward(_granted(scope))
    if not _require_table(db, "unmatched_awards"):
        return pl.DataFrame()
    audit.record("person_list", list="unmatched_awards")
    return _run(db, "unmatched_awards", limit=None if limit is None else max(int(limit), 1))


def unmatched_awards_csv(db: Snapshot, scope: Scope) -> str:
    """Every unmatched badge award as CSV (the page lists :data:`UNMATCHED_ROWS`).

    Raises:
        NotAllowed: as :func:`unmatched_awards`.
    """
    frame = unmatched_awards(db, scope, limit=None)
    audit.record("download", what="unmatched_awards_csv")
    return frame.write_csv()


# -- CSV downloads: the data behind each chart, by chart id ----------------------------------

ChartFrame = Callable[[Snapshot, Scope, Filters], pl.DataFrame]


def chart_frames() -> dict[str, ChartFrame]:
    """The function giving each chart's data, by the chart's component id."""
    from dashboard import ids

    return {
        ids.OVERVIEW_HEADCOUNT: headcount_by_department,
        ids.OVERVIEW_GAPS: biggest_gaps,
        ids.OVERVIEW_EXPIRING: expiring_counts,
        ids.OVERVIEW_ATTRITION: attrition_trend,
        ids.COVERAGE_HEATMAP: coverage_cells,
        ids.COVERAGE_GAPS: lambda db, scope, f: biggest_gaps(db, scope, f, limit=25),
        ids.COVERAGE_SPOF: single_points_of_failure,
        ids.COVERAGE_TREND: coverage_trend,
        ids.ROI_CHART: training_roi,
        ids.RETENTION_RATES: attrition_by_group,
        ids.RETENTION_FOREST: lambda db, scope, f: retention_summary(
            db, scope, f, group_by_default="department"
        ),
        ids.RETENTION_KM: retention_curve,
        ids.RETENTION_ATTRITION: attrition_trend,
        ids.DATA_UNMATCHED_CHART: lambda db, scope, f: unmatched_by_identity(db, scope),
    }


def chart_csv(db: Snapshot, scope: Scope, filters: Filters, chart_id: str) -> str:
    """The CSV text of one chart's data (suppressed values empty, flagged in ``suppressed``).

    Raises:
        KeyError: for an unknown chart id.
        NotAllowed: when the chart's data is not available to the scope.
    """
    frame = chart_frames()[chart_id](db, scope, filters)
    audit.record("download", what="chart_csv", chart=chart_id)
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.drop(nested).write_csv()
