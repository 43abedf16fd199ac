-- The coverage index of the selected teams at every month-end up to $as_of.
with final as (
    select
        c.as_of,
        c.team,
        c.team_label,
        c.headcount::bigint as headcount,
        c.coverage_index
    from team_coverage_index as c
    where c.as_of <= $as_of
        and c.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], c.team))
)

select * from final order by team_label, as_of
