-- materialize: temp
-- role_requirements.csv: a job title or job family -> a required skill, with the level, the
-- target share (default 1.0) and the importance weight (default 1.0) of SPEC §3.
with raw as (
    select r.*
    from raw.raw_role_requirements as r
    where r.file_id in (select f.file_id from stg_files as f)
),

cleaned as (
    select
        nullif(trim(raw.job_title), '') as job_title,
        nullif(trim(raw.job_family), '') as job_family,
        trim(raw.skill_id) as skill_id,
        raw.required_level,
        coalesce(raw.target, 1.0) as target,
        coalesce(raw.weight, 1.0) as weight,
        raw.file_id,
        raw.row_number
    from raw
),

final as (
    select
        c.job_title,
        c.job_family,
        c.skill_id,
        arg_max(c.required_level, (c.file_id, c.row_number)) as required_level,
        arg_max(c.target, (c.file_id, c.row_number)) as target,
        arg_max(c.weight, (c.file_id, c.row_number)) as weight
    from cleaned as c
    where c.skill_id <> '' and (c.job_title is not null or c.job_family is not null)
    group by c.job_title, c.job_family, c.skill_id
)

select * from final
