-- One row per active person, analysis date and skill their role requires, saying whether they
-- hold it at the required level that day. A requirement names a job title (optionally within
-- a family) or a whole job family; the job-title row wins over the family row for the same
-- skill. An unstated required level accepts any holding; an unstated badge level counts as 1.
-- The rule is resolved once per distinct (job title, job family) pair, then joined to people.
with people as (
    select
        p.*,
        coalesce(p.job_title, '') as title_key
    from people_on_dates as p
),

roles as (
    select distinct p.job_title, p.title_key, p.job_family from people as p
),

by_title as (
    select
        o.title_key, o.job_family, r.skill_id, r.required_level, r.target, r.weight,
        1 as priority
    from roles as o
    inner join role_requirements as r
        on r.job_title = o.job_title
        and (r.job_family is null or r.job_family = o.job_family)
),

by_family as (
    select
        o.title_key, o.job_family, r.skill_id, r.required_level, r.target, r.weight,
        2 as priority
    from roles as o
    inner join role_requirements as r
        on r.job_title is null
        and r.job_family = o.job_family
),

ranked as (
    select
        u.*,
        min(u.priority) over (partition by u.title_key, u.job_family, u.skill_id) as top_priority
    from (select * from by_title union all select * from by_family) as u
),

role_skills as (
    -- Among rows of the winning priority: the strictest level and target, the largest weight.
    select
        k.title_key,
        k.job_family,
        k.skill_id,
        max(k.required_level) as required_level,
        max(k.target) as target,
        max(k.weight) as weight
    from ranked as k
    where k.priority = k.top_priority
    group by k.title_key, k.job_family, k.skill_id
),

needs as (
    select
        p.as_of,
        p.employee_id,
        rs.skill_id,
        p.department,
        p.location,
        p.job_family,
        p.is_snapshot_date,
        rs.required_level,
        rs.target,
        rs.weight
    from people as p
    inner join role_skills as rs
        on rs.title_key = p.title_key and rs.job_family = p.job_family
),

final as (
    select
        n.*,
        coalesce(h.effective_level >= coalesce(n.required_level, 1), false) as holds,
        h.effective_level as held_level
    from needs as n
    left join skill_holdings_on_dates as h
        on h.as_of = n.as_of
        and h.employee_id = n.employee_id
        and h.skill_id = n.skill_id
)

select * from final
