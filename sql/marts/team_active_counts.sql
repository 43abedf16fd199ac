-- How many people are active in each team from each date on: a running sum of +1 at the start
-- and -1 at the end of every team interval. "Headcount of T on d" = the row of T with the
-- latest day <= d (an as-of join). The cost grows with intervals, not with people x days.
with events as (
    select t.team_type, t.team, t.valid_from as day, 1 as delta
    from team_intervals as t
    union all
    select t.team_type, t.team, t.valid_to as day, -1 as delta
    from team_intervals as t
    where t.valid_to is not null
),

final as (
    select
        e.team_type,
        e.team,
        e.day,
        sum(sum(e.delta)) over (
            partition by e.team_type, e.team order by e.day
            rows between unbounded preceding and current row
        ) as active
    from events as e
    group by e.team_type, e.team, e.day
)

select * from final
