-- Kaplan–Meier retention by exposure for the selected teams.
with final as (
    select
        r.team,
        r.exposure,
        r.month_of_tenure,
        r.at_risk,
        r.leavers,
        r.retained_share
    from retention_curve as r
    where r.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], r.team))
)

select * from final order by team, exposure, month_of_tenure
