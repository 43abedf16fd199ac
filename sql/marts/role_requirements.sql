-- Role requirements with skill ids resolved to canonical skills. A row names a job title or a
-- job family; when both name the same skill for a person, the job title's row wins (see
-- requirement_people).
with requirements as (
    select r.* from stg_role_requirements as r
),

final as (
    select
        r.job_title,
        r.job_family,
        a.skill_id,
        r.skill_id as requested_skill_id,
        r.required_level,
        r.target,
        r.weight
    from requirements as r
    inner join skill_aliases as a on a.alias_id = r.skill_id
)

select * from final
