-- Leavers per 100 person-years, badged vs not yet badged, for the selected teams.
with final as (
    select
        r.team_type,
        r.team,
        r.team_label,
        r.exposure,
        r.people,
        r.person_years,
        r.leavers,
        r.leavers_per_100py
    from retention_exposure as r
    where r.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], r.team))
)

select * from final order by team_label, exposure
