-- Monthly leavers and headcount of the selected teams in the window ($window_start, $as_of].
with final as (
    select
        a.month,
        a.team,
        a.headcount_start::bigint as headcount_start,
        a.headcount_end::bigint as headcount_end,
        a.average_headcount,
        a.leavers::bigint as leavers,
        a.voluntary_leavers::bigint as voluntary_leavers,
        a.regrettable_leavers::bigint as regrettable_leavers,
        least(a.headcount_start, a.headcount_end)::bigint as min_headcount
    from attrition_monthly as a
    where a.month <= $as_of
        and a.month > $window_start
        and a.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], a.team))
)

select * from final order by team, month
