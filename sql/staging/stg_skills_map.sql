-- materialize: temp
-- skills_map.csv rows: a badge class (by id, or by exact name) -> a skill with an optional
-- level. Repeated rows collapse; the latest file's name, framework and level win.
with raw as (
    select m.*
    from raw.raw_skills_map as m
    where m.file_id in (select f.file_id from stg_files as f)
),

cleaned as (
    select
        nullif(trim(raw.badge_class_id), '') as badge_class_id,
        nullif(trim(raw.badge_name), '') as badge_name,
        trim(raw.skill_id) as skill_id,
        nullif(trim(raw.skill_name), '') as skill_name,
        nullif(trim(raw.framework), '') as framework,
        raw.level,
        raw.file_id,
        raw.row_number
    from raw
),

final as (
    select
        c.badge_class_id,
        c.badge_name,
        c.skill_id,
        arg_max(c.skill_name, (c.file_id, c.row_number)) as skill_name,
        arg_max(c.framework, (c.file_id, c.row_number)) as framework,
        arg_max(c.level, (c.file_id, c.row_number)) as level
    from cleaned as c
    where c.skill_id <> ''
    group by c.badge_class_id, c.badge_name, c.skill_id
)

select * from final
