-- materialize: temp
-- One row per award id from the current files. The same award can arrive twice (a re-export,
-- the same assertion in two formats); the most recently loaded file wins, and within a file
-- the last row. Identities are cleaned once here so matching compares like with like.
with positioned as (
    -- A row's place in the load as one number, file_id x 2^64 + row_number: it orders rows by
    -- file, then by row within the file, and is cheaper to compare and keep than a struct.
    select
        a.award_id,
        a.file_id * 18446744073709551616 + a.row_number as position
    from raw.raw_badge_awards as a
    where a.file_id in (select f.file_id from stg_files as f)
),

latest_copy as (
    -- The copy to keep, found on narrow columns of the current files: its position and its
    -- untrimmed id name one raw row.
    select
        trim(p.award_id) as award_id,
        max(p.position) as position,
        arg_max(p.award_id, p.position) as raw_award_id
    from positioned as p
    group by trim(p.award_id)
),

cleaned as (
    -- Cleaned on columns read straight from the store (a second scan): most of them arrive
    -- dictionary-encoded, and DuckDB then trims each distinct value once instead of every row.
    -- A scan shared with latest_copy would be materialised, and a copy of every wide row both
    -- costs more than reading the store twice and loses the encoding. Rows of superseded files
    -- find no pick below and drop out. Only the columns the marts use (evidence and narrative
    -- text can be long).
    select
        r.file_id,
        r.row_number,
        r.award_id as raw_award_id,
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
    from raw.raw_badge_awards as r
),

latest as (
    select
        l.award_id,
        c.* exclude (row_number, raw_award_id)
    from cleaned as c
    inner join latest_copy as l
        on l.position = c.file_id * 18446744073709551616 + c.row_number
        and l.raw_award_id = c.raw_award_id
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
    from latest as c
)

select * from final
