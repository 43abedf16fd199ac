-- Badge class -> canonical skill, with the level the mapping file gives (null = unstated; the
-- coverage rules count an unstated level as level 1).
with links as (
    select
        l.badge_class_id,
        a.skill_id,
        l.level
    from skill_links as l
    inner join skill_aliases as a on a.alias_id = l.skill_key
),

final as (
    select
        l.badge_class_id,
        l.skill_id,
        max(l.level) as level
    from links as l
    group by l.badge_class_id, l.skill_id
)

select * from final
