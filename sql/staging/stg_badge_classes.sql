-- materialize: temp
-- Badge classes described by the current files, one row per id (latest file wins).
with raw as (
    select c.*
    from raw.raw_badge_classes as c
    where c.file_id in (select f.file_id from stg_files as f)
),

ranked as (
    select
        raw.*,
        row_number() over (
            partition by trim(raw.badge_class_id)
            order by raw.file_id desc, raw.row_number desc
        ) as rank_of_copy
    from raw
),

final as (
    select
        trim(r.badge_class_id) as badge_class_id,
        nullif(trim(r.name), '') as name,
        r.description,
        nullif(trim(r.issuer_id), '') as issuer_id,
        nullif(trim(r.issuer_name), '') as issuer_name,
        r.criteria,
        lower(trim(r.source_format)) as source_format
    from ranked as r
    where r.rank_of_copy = 1
)

select * from final
