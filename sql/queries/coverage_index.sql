-- The coverage index of the selected teams on $as_of.
with final as (
    select
        c.team_type,
        c.team,
        c.team_label,
        c.headcount::bigint as headcount,
        c.required_skills::bigint as required_skills,
        c.coverage_index,
        c.single_points_of_failure::bigint as single_points_of_failure
    from team_coverage_index as c
    where c.as_of = $as_of
        and c.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], c.team))
)

select * from final order by team_label
