-- materialize: temp
-- The skills each (job title, job family) pair requires, resolved once: a requirement names a
-- job title (optionally within a family) or a whole job family, and for the same skill the
-- job-title row wins over the family row. Among rows of the winning kind: the strictest level
-- and target, the largest weight. title_key is the job title or '' when there is none.
with roles as (
    select distinct v.title_key, v.job_family from version_spans as v
),

by_title as (
    select
        o.title_key, o.job_family, r.skill_id, r.required_level, r.target, r.weight,
        1 as priority
    from roles as o
    inner join role_requirements as r
        on r.job_title = o.title_key
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

final as (
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
)

select * from final
