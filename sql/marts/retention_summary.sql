-- Badged vs not-badged retention per team: the rate ratio of leavers per person-year with its
-- 95% interval exp(ln RR +/- 1.96 sqrt(1/a + 1/b)) (a, b = leaver counts; null when either is
-- 0), and the Cox hazard ratio adjusted for department and tenure band (retention_cox, fitted
-- in Python; null with a reason when it cannot be fitted). Association, not causation.
with exposure as (
    select e.* from retention_exposure as e
),

paired as (
    select
        b.team_type,
        b.team,
        b.team_label,
        b.people as badged_people,
        b.person_years as badged_person_years,
        b.leavers as badged_leavers,
        b.leavers_per_100py as badged_leavers_per_100py,
        n.people as not_badged_people,
        n.person_years as not_badged_person_years,
        n.leavers as not_badged_leavers,
        n.leavers_per_100py as not_badged_leavers_per_100py
    from exposure as b
    inner join exposure as n
        on n.team_type = b.team_type and n.team = b.team and n.exposure = 'not_badged'
    where b.exposure = 'badged'
),

rated as (
    select
        p.*,
        (p.badged_leavers / nullif(p.badged_person_years, 0))
            / nullif(p.not_badged_leavers / nullif(p.not_badged_person_years, 0), 0)
            as rate_ratio,
        case
            when p.badged_leavers > 0 and p.not_badged_leavers > 0
                then 1.96 * sqrt(1.0 / p.badged_leavers + 1.0 / p.not_badged_leavers)
        end as log_half_width
    from paired as p
),

final as (
    select
        r.team_type,
        r.team,
        r.team_label,
        r.rate_ratio,
        exp(ln(r.rate_ratio) - r.log_half_width) as rate_ratio_low,
        exp(ln(r.rate_ratio) + r.log_half_width) as rate_ratio_high,
        c.hazard_ratio,
        c.hazard_ratio_low,
        c.hazard_ratio_high,
        c.p_value as hazard_ratio_p_value,
        case
            when c.team is null then 'fitted for all employees and per department only'
            else c.reason
        end as hazard_ratio_note,
        r.badged_people,
        r.badged_person_years,
        r.badged_leavers,
        r.badged_leavers_per_100py,
        r.not_badged_people,
        r.not_badged_person_years,
        r.not_badged_leavers,
        r.not_badged_leavers_per_100py,
        'association, not causation' as caveat
    from rated as r
    left join retention_cox as c on c.team_type = r.team_type and c.team = r.team
)

select * from final
