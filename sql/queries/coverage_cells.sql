-- One row per (team, skill) of the selected teams on $as_of, skills narrowed by framework.
with final as (
    select
        c.team_type,
        c.team,
        c.team_label,
        c.skill_id,
        c.skill_name,
        c.framework,
        c.required::bigint as required,
        c.holders::bigint as holders,
        c.coverage,
        c.target,
        c.gap_people::bigint as gap_people
    from team_skill_coverage as c
    where c.as_of = $as_of
        and c.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], c.team))
        and (len($framework::varchar[]) = 0 or list_contains($framework::varchar[], c.framework))
)

select * from final order by team_label, skill_name
