-- One row per skill after merging equal skills across frameworks (see skill_aliases). Name and
-- framework come from the employer's mapping file first, then from alignments; code and URL
-- from the alignments. Skills that only a role requirement names are listed too (named by id),
-- so a required skill nobody's badge teaches still shows as a gap.
with aliases as (
    select a.* from skill_aliases as a
),

described as (
    select
        a.skill_id,
        l.skill_key,
        l.skill_name,
        l.framework,
        l.code,
        l.url,
        l.source
    from skill_links as l
    inner join aliases as a on a.alias_id = l.skill_key
),

named as (
    select
        d.skill_id,
        -- The canonical key's own description first, then the mapping file, then alignments.
        coalesce(
            min(d.skill_name) filter (where d.skill_key = d.skill_id and d.source = 'skills_map'),
            min(d.skill_name) filter (where d.skill_key = d.skill_id),
            min(d.skill_name)
        ) as skill_name,
        coalesce(
            min(d.framework) filter (where d.skill_key = d.skill_id and d.source = 'skills_map'),
            min(d.framework) filter (where d.skill_key = d.skill_id),
            min(d.framework)
        ) as framework,
        coalesce(min(d.code) filter (where d.skill_key = d.skill_id), min(d.code)) as code,
        coalesce(min(d.url) filter (where d.skill_key = d.skill_id), min(d.url)) as url,
        list(distinct d.skill_key order by d.skill_key)
            filter (where d.skill_key <> d.skill_id) as merged_ids
    from described as d
    group by d.skill_id
),

final as (
    select
        k.skill_id,
        coalesce(n.skill_name, k.skill_id) as skill_name,
        n.framework,
        n.code,
        n.url,
        coalesce(n.merged_ids, []) as merged_ids
    from (select distinct a.skill_id from aliases as a) as k
    left join named as n on n.skill_id = k.skill_id
)

select * from final
