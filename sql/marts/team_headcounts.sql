-- Active headcount of every team on every analysis date: the month-end counts of
-- attrition_monthly (whose as-of month ends on the as-of date). Manager orgs on the as-of date
-- only, like the coverage marts.
with dates as (
    select d.* from analysis_dates as d
),

final as (
    select
        d.as_of,
        m.team_type,
        m.team,
        m.headcount_end as headcount
    from attrition_monthly as m
    inner join dates as d on d.as_of = m.month_last
    where m.headcount_end > 0
      and (m.team_type <> 'manager_org' or d.is_snapshot_date)
)

select * from final
