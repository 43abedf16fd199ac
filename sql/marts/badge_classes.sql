-- Every badge class: those described by class records, plus those only named by awards
-- (a platform CSV gives a template id and a name but no class record).
with described as (
    select c.* from stg_badge_classes as c
),

from_awards as (
    select
        a.badge_class_id,
        arg_max(a.badge_name, a.issued_on) as name,
        arg_max(a.issuer_id, a.issued_on) as issuer_id,
        arg_max(a.issuer_name, a.issued_on) as issuer_name,
        arg_max(a.source_format, a.issued_on) as source_format,
        count(*) as awards
    from stg_badge_awards as a
    where a.badge_class_id is not null
    group by a.badge_class_id
),

final as (
    select
        coalesce(d.badge_class_id, w.badge_class_id) as badge_class_id,
        coalesce(d.name, w.name) as name,
        d.description,
        coalesce(d.issuer_id, w.issuer_id) as issuer_id,
        coalesce(d.issuer_name, w.issuer_name) as issuer_name,
        d.criteria,
        coalesce(d.source_format, w.source_format) as source_format,
        coalesce(w.awards, 0) as awards
    from described as d
    full outer join from_awards as w on w.badge_class_id = d.badge_class_id
)

select * from final
