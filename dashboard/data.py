"""The data-access layer: small named functions, each one parameterised query on the snapshot.

Callbacks call these and nothing else touches SQL. Every function takes the ``scope`` of the
person asking (what they may see) and applies it here, so access logic lives in one place; every
aggregate passes through :func:`_protect`, the one call into the k-anonymity rules of
:mod:`dashboard.privacy` (SPEC §5). The SQL text lives in ``sql/queries/<name>.sql``; values
reach it only as ``$name`` parameters.

Marts hold one row per (team type, team). The global filters pick the team type of the
aggregates: the most specific filter set wins (team › department › location › job family), and
the filter's values pick the teams. People-level questions (headcount, drill-downs) intersect
every filter.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from dashboard import privacy
from dashboard.filters import Filters
from dashboard.snapshot import Snapshot
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


@dataclass(frozen=True)
class Scope:
    """What the person asking may see. ``Scope()`` is everything (admin / hr / open demo).

    Narrower scopes (a manager's departments or org, a viewer without person-level lists) are
    applied inside this module so that no callback can forget them.
    """

    departments: tuple[str, ...] | None = None
    manager_id: str | None = None
    person_level: bool = True

    @classmethod
    def everything(cls) -> Scope:
        """The unrestricted scope."""
        return cls()


def current_scope() -> Scope:
    """The scope of the current request (everything until users are configured)."""
    return Scope.everything()


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
    """
    return privacy.suppress(
        frame,
        people=count,
        values=values,
        k=k,
        siblings_by=within or (),
        total_shown=within is not None,
    )


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


def filter_options(db: Snapshot, scope: Scope) -> dict[str, list[Option]]:
    """Every filter's options (department, team, location, job_family, framework)."""

    def compute() -> dict[str, list[Option]]:
        frame = _run(db, "filter_options")
        options: dict[str, list[Option]] = {
            f: [] for f in ("department", "team", "location", "job_family", "framework")
        }
        for field, value, label in frame.iter_rows():
            options[field].append(Option(str(value), str(label)))
        return options

    options = db.memo("filter_options", compute)
    if scope.departments is not None:
        allowed = set(scope.departments)
        options = {
            **options,
            "department": [o for o in options["department"] if o.value in allowed],
        }
    return options


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


def team_selection(
    filters: Filters, scope: Scope, *, group_by_default: str = "all"
) -> TeamSelection:
    """The team type and teams that aggregates read for these filters.

    Args:
        filters: the global filters.
        scope: the person's scope (a department-scoped manager only ever reads their teams).
        group_by_default: the team type when no people filter is set (``all`` for headline
            numbers, ``department`` for one-row-per-team charts).
    """
    chosen = [(name, team_type) for name, team_type in _PRIORITY if getattr(filters, name)]
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
        selection = TeamSelection(team_type, tuple(getattr(filters, name)), note)
    else:
        selection = TeamSelection(group_by_default, ())
    if scope.departments is not None and selection.team_type in ("all", "department"):
        teams = selection.teams or scope.departments
        selection = TeamSelection(
            "department", tuple(t for t in teams if t in scope.departments), selection.note
        )
    return selection


def _people_params(filters: Filters, scope: Scope, as_of: dt.date | None) -> dict[str, Any]:
    departments = list(filters.department)
    if scope.departments is not None:
        departments = [d for d in departments or scope.departments if d in scope.departments]
        if not departments:
            departments = ["\x00no department"]  # an empty scope matches nobody
    teams = list(filters.team)
    if scope.manager_id is not None:
        teams = [scope.manager_id]
    return {
        "as_of": as_of,
        "department": departments,
        "team": teams,
        "location": list(filters.location),
        "job_family": list(filters.job_family),
    }


def _selection_params(selection: TeamSelection) -> dict[str, Any]:
    return {"team_type": selection.team_type, "teams": list(selection.teams)}


def _require_table(db: Snapshot, table: str) -> bool:
    return table in db.tables()


# -- Overview --------------------------------------------------------------------------------


def headcount_by_department(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Active employees per department on the as-of date, inside every people filter.

    Returns:
        department, headcount (null when suppressed), total (all departments together),
        suppressed.
    """
    as_of = resolve_as_of(db, filters)
    frame = _run(db, "headcount_by_department", **_people_params(filters, scope, as_of))
    frame = frame.with_columns(pl.col("headcount").sum().alias("total"))
    return _protect(frame, k_anonymity(db), count="headcount", values=["headcount"], within=[])


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
    selection = team_selection(filters, scope, group_by_default=group_by_default)
    frame = _run(
        db, "coverage_index", as_of=resolve_as_of(db, filters), **_selection_params(selection)
    )
    return _protect(
        frame,
        k_anonymity(db),
        count="headcount",
        values=["coverage_index", "single_points_of_failure", "required_skills", "headcount"],
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


def expiring_credentials(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Holdings of people in the filters that stop being valid within 90 days (person-level).

    Returns:
        employee_id, full_name, department, badge_name, skill_id, skill_name, expires_on,
        days_left.

    Raises:
        NotAllowed: when the scope may not see person-level rows.
    """
    if not scope.person_level:
        raise NotAllowed("person-level lists are not available to this role")
    if not _require_table(db, "expiring_credentials"):
        return pl.DataFrame()
    params = _people_params(filters, scope, None)
    del params["as_of"]  # the mart describes the snapshot date only
    return _run(db, "expiring_credentials", framework=list(filters.framework), **params)


def expiring_counts(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Expiring holdings counted per horizon (30 / 60 / 90 days), cumulative.

    Returns:
        horizon_days, holdings, people, suppressed (fewer than k people behind a count).
    """
    # Counts are aggregates: a role without person-level access still sees them.
    rows = expiring_credentials(db, replace(scope, person_level=True), filters)
    counts = []
    for horizon in EXPIRY_HORIZONS:
        within = rows.filter(pl.col("days_left") <= horizon) if rows.height else rows
        people = within["employee_id"].n_unique() if within.height else 0
        counts.append({"horizon_days": horizon, "holdings": within.height, "people": people})
    frame = pl.DataFrame(
        counts, schema={"horizon_days": pl.Int64, "holdings": pl.Int64, "people": pl.Int64}
    )
    return _protect(
        frame, k_anonymity(db), count="people", values=["holdings", "people"], within=None
    )


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
    selection = team_selection(filters, scope, group_by_default="department")
    frame = _run(
        db,
        "coverage_cells",
        as_of=resolve_as_of(db, filters),
        framework=list(filters.framework),
        **_selection_params(selection),
    )
    return _protect(
        frame,
        k_anonymity(db),
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
    selection = team_selection(filters, scope, group_by_default="all")
    frame = _run(
        db, "coverage_trend", as_of=resolve_as_of(db, filters), **_selection_params(selection)
    )
    return _protect(frame, k_anonymity(db), count="headcount", values=["coverage_index"])


def single_points_of_failure(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Required skills held by exactly one person in a selected team (snapshot date).

    Returns:
        team_type, team, skill_id, skill_name, employee_id, full_name, job_title.

    Raises:
        NotAllowed: when the scope may not see person-level rows.
    """
    if not scope.person_level:
        raise NotAllowed("person-level lists are not available to this role")
    if not _require_table(db, "single_points_of_failure"):
        return pl.DataFrame()
    selection = team_selection(filters, scope, group_by_default="department")
    return _run(
        db,
        "single_points_of_failure",
        framework=list(filters.framework),
        **_selection_params(selection),
    )


def skill_people(
    db: Snapshot, scope: Scope, filters: Filters, team_type: str, team: str, skill_id: str
) -> pl.DataFrame:
    """Drill-down: who in one team holds a required skill and who is missing it, on the
    snapshot date (the person-level marts exist for that date only).

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
        status (holds / missing).

    Raises:
        NotAllowed: when the scope may not see person-level rows or the team is outside it.
    """
    if not scope.person_level:
        raise NotAllowed("person-level lists are not available to this role")
    if scope.departments is not None and not (
        team_type == "department" and team in scope.departments
    ):
        raise NotAllowed("this team is outside your scope")
    as_of = snapshot_info(db).as_of or resolve_as_of(db, Filters())
    return _run(db, "skill_people", as_of=as_of, team_type=team_type, team=team, skill_id=skill_id)


# -- Retention -------------------------------------------------------------------------------


def attrition_by_group(
    db: Snapshot, scope: Scope, filters: Filters, *, group_by_default: str = "department"
) -> pl.DataFrame:
    """Annualised attrition per selected team over the analysis window (24 months to the
    snapshot date), from the attrition_summary mart.

    Returns:
        team, team_label, window_start, window_end, months, average_headcount, leavers,
        voluntary_leavers, regrettable_leavers, attrition_pct, voluntary_pct, regrettable_pct
        (per cent per year), suppressed (average headcount below k).
    """
    if not _require_table(db, "attrition_summary"):
        return pl.DataFrame()
    selection = team_selection(filters, scope, group_by_default=group_by_default)
    frame = _run(db, "attrition_summary", **_selection_params(selection))
    return _protect(
        frame,
        k_anonymity(db),
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
    )


def attrition_trend(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Monthly leavers and headcount of the selection (the organisation when unfiltered).

    Returns:
        month, team, headcount_start, headcount_end, leavers, voluntary_leavers,
        regrettable_leavers, suppressed.
    """
    if not _require_table(db, "attrition_monthly"):
        return pl.DataFrame()
    selection = team_selection(filters, scope, group_by_default="all")
    as_of = resolve_as_of(db, filters)
    frame = _run(
        db,
        "attrition_trend",
        as_of=as_of,
        window_start=window_start(as_of),
        **_selection_params(selection),
    )
    frame = frame.with_columns(
        pl.min_horizontal("headcount_start", "headcount_end").alias("min_headcount")
    )
    return _protect(
        frame,
        k_anonymity(db),
        count="min_headcount",
        values=[
            "leavers",
            "voluntary_leavers",
            "regrettable_leavers",
            "headcount_start",
            "headcount_end",
            "average_headcount",
        ],
    )


def retention_exposure(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Leavers per 100 person-years, badged vs not yet badged, per selected team.

    Returns:
        team_type, team, team_label, exposure, people, person_years, leavers, leavers_per_100py,
        suppressed.
    """
    if not _require_table(db, "retention_exposure"):
        return pl.DataFrame()
    selection = team_selection(filters, scope, group_by_default="all")
    frame = _run(db, "retention_exposure", **_selection_params(selection))
    return _protect(
        frame,
        k_anonymity(db),
        count="people",
        values=["people", "person_years", "leavers", "leavers_per_100py"],
        within=["team"],
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
    selection = team_selection(filters, scope, group_by_default=group_by_default)
    frame = _run(db, "retention_summary", **_selection_params(selection))
    return _protect(
        frame,
        k_anonymity(db),
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
    )


def retention_curve(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Kaplan–Meier retention by exposure for the selection (the organisation when unfiltered).

    Points with fewer than k people at risk are dropped: the curve ends where it would
    describe individuals.

    Returns:
        team, exposure, month_of_tenure, at_risk, leavers, retained_share.
    """
    if not _require_table(db, "retention_curve"):
        return pl.DataFrame()
    selection = team_selection(filters, scope, group_by_default="all")
    frame = _run(db, "retention_curve", **_selection_params(selection))
    return frame.filter(pl.col("at_risk") >= k_anonymity(db))


# -- Training ROI ----------------------------------------------------------------------------


def training_roi(db: Snapshot, scope: Scope, filters: Filters) -> pl.DataFrame:
    """Per-programme ROI with its interval and the assumptions echoed by the mart.

    Programme ROI is organisation-wide (the mart has no team dimension); the people filters do
    not narrow it.

    Returns:
        every training_roi column plus suppressed (fewer than k learners).
    """
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


def etl_runs(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """The latest ETL runs with status and counts."""
    return _run(db, "etl_runs") if _require_table(db, "etl_runs") else pl.DataFrame()


def files(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """Every current inbox file with its loader, status, counts and error."""
    return _run(db, "files") if _require_table(db, "files") else pl.DataFrame()


def quarantine(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """Quarantined rows with file, row number, reason and raw values."""
    return _run(db, "quarantine") if _require_table(db, "quarantine") else pl.DataFrame()


def unmatched_by_identity(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """Unmatched badge awards counted by recipient identity type."""
    if not _require_table(db, "unmatched_awards"):
        return pl.DataFrame()
    return _run(db, "unmatched_by_identity")


def unmatched_awards(db: Snapshot, scope: Scope) -> pl.DataFrame:
    """The unmatched badge awards themselves (first 5000)."""
    if not _require_table(db, "unmatched_awards"):
        return pl.DataFrame()
    return _run(db, "unmatched_awards")


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
    """
    frame = chart_frames()[chart_id](db, scope, filters)
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested()]
    return frame.drop(nested).write_csv()
