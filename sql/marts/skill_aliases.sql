-- Skill key -> canonical skill id. Keys are one skill unless the mapping says otherwise: when
-- skills_map.csv maps a badge class to skill S and the same class carries an alignment to a
-- skill of another framework with the same name (case and spaces ignored), the alignment's
-- skill is S under another framework's id, and both keys resolve to S. Role requirements may
-- use either key.
with links as (
    select l.* from skill_links as l
),

mapped as (
    select l.* from links as l where l.source = 'skills_map'
),

aligned as (
    select l.* from links as l where l.source = 'alignment'
),

merged as (
    select
        a.skill_key as alias_id,
        min(m.skill_key) as skill_id
    from aligned as a
    inner join mapped as m
        on m.badge_class_id = a.badge_class_id
        and m.skill_key <> a.skill_key
        and lower(trim(m.skill_name)) = lower(trim(a.skill_name))
    group by a.skill_key
),

every_key as (
    select l.skill_key from links as l
    union
    select r.skill_id from stg_role_requirements as r
),

final as (
    select
        k.skill_key as alias_id,
        coalesce(m.skill_id, k.skill_key) as skill_id
    from every_key as k
    left join merged as m on m.alias_id = k.skill_key
)

select * from final
