-- Active headcount of every team on every analysis date (manager orgs on the as-of date only,
-- like the coverage marts).
with dates as (
    select d.* from analysis_dates as d
),

grid as (
    select t.team_type, t.team, d.as_of
    from teams as t
    cross join dates as d
    where t.team_type <> 'manager_org' or d.is_snapshot_date
),

counted as (
    select g.*, coalesce(c.active, 0) as headcount
    from grid as g
    asof left join team_active_counts as c
        on c.team_type = g.team_type and c.team = g.team and c.day <= g.as_of
),

final as (
    select c.as_of, c.team_type, c.team, c.headcount
    from counted as c
    where c.headcount > 0
)

select * from final
