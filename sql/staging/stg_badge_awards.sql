-- materialize: temp
-- One row per award id from the current files. The same award can arrive twice (a re-export,
-- the same assertion in two formats); the most recently loaded file wins, and within a file
-- the last row. Identities are cleaned once here so matching compares like with like.
with raw as (
    -- Only the columns the marts use (evidence and narrative text can be long).
    select
        a.file_id, a.row_number, a.award_id, a.source_format, a.badge_class_id, a.badge_name,
        a.issuer_id, a.issuer_name, a.recipient_employee_id, a.recipient_type,
        a.recipient_identity, a.recipient_hashed, a.recipient_salt, a.issued_on, a.expires_on,
        a.revoked, a.revoked_on, a.revocation_reason, a.status
    from store.raw_badge_awards as a
    where a.file_id in (select f.file_id from stg_files as f)
),

keyed as (
    select raw.*, trim(raw.award_id) as award_key from raw
),

latest_copy as (
    -- The copy to keep, found on narrow columns: a window over the whole wide row cost several
    -- times more at 5 million awards. (file_id, row_number) is unique, so one row wins.
    select
        k.award_key,
        max({'file_id': k.file_id, 'row_number': k.row_number}) as pick
    from keyed as k
    group by k.award_key
),

latest as (
    select k.*
    from keyed as k
    inner join latest_copy as l
        on l.award_key = k.award_key
        and l.pick.file_id = k.file_id
        and l.pick.row_number = k.row_number
),

cleaned as (
    select
        r.award_key as award_id,
        r.file_id,
        lower(trim(r.source_format)) as source_format,
        -- A class is named by its source's id; an award that only names its badge is keyed
        -- by that name (the reference files may name classes by their exact name too).
        coalesce(nullif(trim(r.badge_class_id), ''), nullif(trim(r.badge_name), ''))
            as badge_class_id,
        nullif(trim(r.badge_name), '') as badge_name,
        nullif(trim(r.issuer_id), '') as issuer_id,
        nullif(trim(r.issuer_name), '') as issuer_name,
        nullif(trim(r.recipient_employee_id), '') as recipient_employee_id,
        lower(nullif(trim(r.recipient_type), '')) as recipient_type,
        nullif(trim(r.recipient_identity), '') as recipient_identity,
        r.recipient_hashed,
        r.recipient_salt,
        r.issued_on,
        r.expires_on,
        coalesce(r.revoked, false) or coalesce(lower(trim(r.status)) = 'revoked', false)
            as revoked,
        r.revoked_on,
        nullif(trim(r.revocation_reason), '') as revocation_reason,
        lower(nullif(trim(r.status), '')) as status
    from latest as r
),

final as (
    select
        c.*,
        -- OB 2.0 hashes read 'sha256$<hex>'; some issuers leave `hashed` unset but keep the prefix.
        coalesce(
            c.recipient_hashed
            or lower(left(c.recipient_identity, 7)) = 'sha256$'
            or lower(left(c.recipient_identity, 4)) = 'md5$',
            false
        ) as is_hashed,
        case
            when c.recipient_identity like '%$%'
                then lower(split_part(c.recipient_identity, '$', 1))
            when length(c.recipient_identity) = 32 then 'md5'
            else 'sha256'
        end as hash_algorithm,
        lower(
            case
                when c.recipient_identity like '%$%' then split_part(c.recipient_identity, '$', 2)
                else c.recipient_identity
            end
        ) as hash_hex,
        -- OB 3.0 subjects and some exports write emails as 'mailto:' URIs.
        case
            when lower(left(c.recipient_identity, 7)) = 'mailto:' then substr(c.recipient_identity, 8)
            else c.recipient_identity
        end as plain_identity
    from cleaned as c
)

select * from final
