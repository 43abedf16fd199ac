-- Leavers and headcount per calendar month and team (SPEC §5). headcount_start = active on the
-- month's first day, headcount_end = active on its last day (the as-of date for the as-of
-- month); a leaver counts in the month of their termination date and in the team they were in
-- on the day before. Months run from the earlier of the first roster snapshot's month and the
-- analysis window's first month, to the as-of month.
--
-- Headcounts are running sums of +1/-1 events at the ends of team_intervals, bucketed to month
-- boundaries, so the cost grows with intervals and months, never with people x days.
with params as (
    select p.as_of, p.window_start from stg_params as p
),

bounds as (
    select min(d.snapshot_date) as first_snapshot from stg_snapshot_dates as d
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

first_month as (
    select min(m.month) as month from months as m
),

events as (
    select t.team_type, t.team, t.valid_from as day, 1 as delta
    from team_intervals as t
    union all
    select t.team_type, t.team, t.valid_to as day, -1 as delta
    from team_intervals as t
    where t.valid_to is not null
),

daily as (
    -- Netted per team and day first: a million interval ends fall on a few hundred thousand
    -- distinct (team, day) pairs, so the month bucketing below reads far fewer rows.
    select e.team_type, e.team, e.day, sum(e.delta) as delta
    from events as e
    cross join params
    where e.day <= params.as_of
    group by e.team_type, e.team, e.day
),

bucketed as (
    -- Active on day d = sum of the deltas dated <= d. An event on day x counts from the first
    -- month whose first day is >= x (start counts) and from x's own month (end counts, whose
    -- boundary is the month's last day); events before the first month count from it.
    select
        e.team_type,
        e.team,
        greatest(
            cast(date_trunc('month', e.day - 1) + interval 1 month as date), first_month.month
        ) as start_month,
        greatest(cast(date_trunc('month', e.day) as date), first_month.month) as end_month,
        e.delta
    from daily as e
    cross join first_month
),

start_changes as (
    select b.team_type, b.team, b.start_month as month, sum(b.delta) as delta
    from bucketed as b
    group by b.team_type, b.team, b.start_month
),

end_changes as (
    select b.team_type, b.team, b.end_month as month, sum(b.delta) as delta
    from bucketed as b
    group by b.team_type, b.team, b.end_month
),

grid as (
    select t.team_type, t.team, m.month, m.month_last
    from teams as t
    cross join months as m
),

with_end as (
    select
        g.*,
        sum(coalesce(sc.delta, 0)) over w as headcount_start,
        sum(coalesce(ec.delta, 0)) over w as headcount_end
    from grid as g
    left join start_changes as sc
        on sc.team_type = g.team_type and sc.team = g.team and sc.month = g.month
    left join end_changes as ec
        on ec.team_type = g.team_type and ec.team = g.team and ec.month = g.month
    window w as (
        partition by g.team_type, g.team order by g.month
        rows between unbounded preceding and current row
    )
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
        cast(w.headcount_start as bigint) as headcount_start,
        cast(w.headcount_end as bigint) as headcount_end,
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
