-- Leavers and headcount per calendar month and team (SPEC §5). headcount_start = active on the
-- month's first day, headcount_end = active on its last day (the as-of date for the as-of
-- month); a leaver counts in the month of their termination date and in the team they were in
-- on the day before. Months run from the earlier of the first roster snapshot's month and the
-- analysis window's first month, to the as-of month.
--
-- Headcounts are read from team_active_counts (running sums over team intervals) at each month
-- boundary with an as-of join, so the cost grows with intervals, not people x days.
with params as (
    select p.as_of, p.window_start from stg_params as p
),

bounds as (
    select min(r.snapshot_date) as first_snapshot from stg_roster as r
),

months as (
    select
        cast(m.month_start as date) as month,
        least(cast(m.month_start + interval 1 month - interval 1 day as date), params.as_of)
            as month_last
    from params
    cross join bounds
    cross join unnest(
        generate_series(
            cast(date_trunc('month', least(
                coalesce(bounds.first_snapshot, params.as_of), params.window_start + 1
            )) as timestamp),
            cast(date_trunc('month', params.as_of) as timestamp),
            interval 1 month
        )
    ) as m(month_start)
),

grid as (
    select t.team_type, t.team, m.month, m.month_last
    from teams as t
    cross join months as m
),

with_start as (
    select g.*, coalesce(r.active, 0) as headcount_start
    from grid as g
    asof left join team_active_counts as r
        on r.team_type = g.team_type and r.team = g.team and r.day <= g.month
),

with_end as (
    select s.*, coalesce(r.active, 0) as headcount_end
    from with_start as s
    asof left join team_active_counts as r
        on r.team_type = s.team_type and r.team = s.team and r.day <= s.month_last
),

leaving as (
    select
        t.team_type,
        t.team,
        cast(date_trunc('month', e.termination_date) as date) as month,
        count(*) as leavers,
        count(*) filter (where e.termination_voluntary) as voluntary_leavers,
        count(*) filter (where e.regrettable) as regrettable_leavers
    from employees as e
    inner join team_intervals as t
        on t.employee_id = e.employee_id
        and t.valid_from < e.termination_date
        and coalesce(t.valid_to, date '9999-12-31') >= e.termination_date
    cross join params
    where e.termination_date <= params.as_of
    group by t.team_type, t.team, cast(date_trunc('month', e.termination_date) as date)
),

final as (
    select
        w.month,
        w.month_last,
        w.team_type,
        w.team,
        w.headcount_start,
        w.headcount_end,
        coalesce(l.leavers, 0) as leavers,
        coalesce(l.voluntary_leavers, 0) as voluntary_leavers,
        coalesce(l.regrettable_leavers, 0) as regrettable_leavers,
        (w.headcount_start + w.headcount_end) / 2.0 as average_headcount
    from with_end as w
    left join leaving as l
        on l.team_type = w.team_type and l.team = w.team and l.month = w.month
    where w.headcount_start > 0 or w.headcount_end > 0 or l.leavers > 0
)

select * from final
