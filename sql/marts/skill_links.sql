-- materialize: temp
-- Every statement that a badge class evidences a skill, from either source: the class's OB
-- alignments, or a skills_map.csv row naming the class by id or by exact name. Skill keys are
-- not yet merged across frameworks (see skill_aliases).
with classes as (
    select c.badge_class_id, c.name from badge_classes as c
),

from_alignments as (
    select
        a.badge_class_id,
        a.skill_key,
        a.target_name as skill_name,
        a.target_framework as framework,
        a.target_code as code,
        a.target_url as url,
        cast(null as integer) as level,
        'alignment' as source
    from stg_alignments as a
),

map_by_id as (
    select m.*, m.badge_class_id as resolved_class_id
    from stg_skills_map as m
    where m.badge_class_id is not null
),

map_by_name as (
    -- "by its exact name" (SPEC §3): equal after trimming, case kept.
    select m.*, c.badge_class_id as resolved_class_id
    from stg_skills_map as m
    inner join classes as c on c.name = m.badge_name
    where m.badge_class_id is null
),

from_map as (
    select
        m.resolved_class_id as badge_class_id,
        m.skill_id as skill_key,
        m.skill_name,
        m.framework,
        cast(null as varchar) as code,
        cast(null as varchar) as url,
        m.level,
        'skills_map' as source
    from (select * from map_by_id union all select * from map_by_name) as m
),

final as (
    select * from from_alignments
    union all
    select * from from_map
)

select * from final
