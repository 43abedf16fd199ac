-- materialize: temp
-- Badge class -> framework skill, from OB alignment objects. A framework skill is keyed by its
-- code when it has one (O*NET '2.B.3.e'), else its URL (ESCO concept URI), else its name: the
-- same key skills_map.csv uses in its skill_id column.
with raw as (
    select a.*
    from raw.raw_alignments as a
    where a.file_id in (select f.file_id from stg_files as f)
),

cleaned as (
    select
        trim(raw.badge_class_id) as badge_class_id,
        nullif(trim(raw.target_name), '') as target_name,
        nullif(trim(raw.target_url), '') as target_url,
        nullif(trim(raw.target_framework), '') as target_framework,
        nullif(trim(raw.target_code), '') as target_code,
        raw.file_id
    from raw
),

final as (
    select
        c.badge_class_id,
        coalesce(c.target_code, c.target_url, c.target_name) as skill_key,
        arg_max(c.target_name, c.file_id) as target_name,
        arg_max(c.target_url, c.file_id) as target_url,
        arg_max(c.target_framework, c.file_id) as target_framework,
        arg_max(c.target_code, c.file_id) as target_code
    from cleaned as c
    where coalesce(c.target_code, c.target_url, c.target_name) is not null
    group by c.badge_class_id, coalesce(c.target_code, c.target_url, c.target_name)
)

select * from final
