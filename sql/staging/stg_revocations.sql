-- materialize: temp
-- Revocations published apart from the awards (OB 2.0 RevocationList, OB 3.0 status lists):
-- one row per award id with the earliest known revocation date (null = date unknown).
with raw as (
    select r.*
    from raw.raw_revocations as r
    where r.file_id in (select f.file_id from stg_files as f)
),

final as (
    select
        trim(raw.award_id) as award_id,
        min(raw.revoked_on) as revoked_on,
        arg_min(raw.reason, coalesce(raw.revoked_on, date '9999-12-31')) as reason
    from raw
    group by trim(raw.award_id)
)

select * from final
