-- Rate ratio and Cox hazard ratio (with 95% intervals) of the selected teams; `people` is the
-- smaller exposure group, the count privacy rules look at.
with final as (
    select
        r.team_type,
        r.team,
        r.team_label,
        r.rate_ratio,
        r.rate_ratio_low,
        r.rate_ratio_high,
        r.hazard_ratio,
        r.hazard_ratio_low,
        r.hazard_ratio_high,
        r.hazard_ratio_note,
        r.badged_leavers,
        r.not_badged_leavers,
        least(coalesce(r.badged_people, 0), coalesce(r.not_badged_people, 0)) as people
    from retention_summary as r
    where r.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], r.team))
)

select * from final order by team_label
