-- Annualised attrition per team over the analysis window (SPEC §5): leavers in the window /
-- average headcount x 12 / months, where the window's average headcount is the mean of its
-- months' (start + end) / 2. The window's months are the calendar months whose first day falls
-- in (window_start, as_of]: 24 whole months when the as-of date is a month-end. Voluntary and
-- regrettable rates are null when no leaver's roster row says either way.
with params as (
    select p.as_of, p.window_start, p.window_months from stg_params as p
),

window_months as (
    select m.*
    from attrition_monthly as m
    cross join params
    where m.month > params.window_start and m.month <= params.as_of
),

month_count as (
    select count(distinct m.month) as months from window_months as m
),

known as (
    select
        count(*) filter (where e.termination_voluntary is not null) > 0 as has_voluntary,
        count(*) filter (where e.regrettable is not null) > 0 as has_regrettable
    from employees as e
    where e.termination_date is not null
),

summed as (
    select
        m.team_type,
        m.team,
        sum(m.leavers) as leavers,
        sum(m.voluntary_leavers) as voluntary_leavers,
        sum(m.regrettable_leavers) as regrettable_leavers,
        -- Months the team did not exist count as zero headcount.
        sum(m.average_headcount) / month_count.months as average_headcount
    from window_months as m
    cross join month_count
    group by m.team_type, m.team, month_count.months
),

final as (
    select
        s.team_type,
        s.team,
        t.team_label,
        params.window_start,
        params.as_of as window_end,
        month_count.months,
        s.leavers,
        s.voluntary_leavers,
        s.regrettable_leavers,
        s.average_headcount,
        s.leavers / nullif(s.average_headcount, 0) * 12 / month_count.months as attrition_rate,
        case when known.has_voluntary then
            s.voluntary_leavers / nullif(s.average_headcount, 0) * 12 / month_count.months
        end as voluntary_attrition_rate,
        case when known.has_regrettable then
            s.regrettable_leavers / nullif(s.average_headcount, 0) * 12 / month_count.months
        end as regrettable_attrition_rate
    from summed as s
    cross join params
    cross join month_count
    cross join known
    left join teams as t on t.team_type = s.team_type and t.team = s.team
)

select * from final
