-- Annualised attrition per selected team over the analysis window (24 months to the snapshot
-- date), as the attrition_summary mart computes it (rates as fractions per year).
with final as (
    select
        a.team,
        a.team_label,
        a.window_start,
        a.window_end,
        a.months,
        a.average_headcount,
        a.leavers::bigint as leavers,
        a.voluntary_leavers::bigint as voluntary_leavers,
        a.regrettable_leavers::bigint as regrettable_leavers,
        a.attrition_rate * 100 as attrition_pct,
        a.voluntary_attrition_rate * 100 as voluntary_pct,
        a.regrettable_attrition_rate * 100 as regrettable_pct
    from attrition_summary as a
    where a.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], a.team))
)

select * from final order by attrition_pct desc nulls last, team_label
