-- One row per person active on the as-of date and skill their role requires (role_skill_rules),
-- saying whether they hold it at the required level. An unstated required level accepts any
-- holding; an unstated badge level counts as 1. (Month-end trends are counted from intervals in
-- team_skill_coverage; this person-level table serves drill-downs and single points of failure.)
with people as (
    select p.* from people_on_as_of as p
),

needs as (
    select
        p.as_of,
        p.employee_id,
        r.skill_id,
        p.department,
        p.location,
        p.job_family,
        r.required_level,
        r.target,
        r.weight
    from people as p
    inner join role_skill_rules as r
        on r.title_key = p.title_key and r.job_family = p.job_family
),

final as (
    select
        n.*,
        coalesce(h.effective_level >= coalesce(n.required_level, 1), false) as holds,
        h.effective_level as held_level
    from needs as n
    left join skill_holdings_on_as_of as h
        on h.employee_id = n.employee_id
        and h.skill_id = n.skill_id
)

select * from final
