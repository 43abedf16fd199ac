-- materialize: temp
-- Ties each award to an employee in the SPEC §3 order: an explicit employee id, then the plain
-- email, then a hashed identity. Every award keeps a row; unmatched ones get employee_id null,
-- match_method 'none' and the identity type that failed.
--
-- Hashed identities (OB 2.0 recipient {hashed, salt, identity}, OB 3.0 identityHash) are
-- matched by hashing every roster email once per distinct salt and algorithm and joining on
-- the digest: the work grows with salts x emails, never with awards x emails.
with awards as not materialized (
    -- Read straight from stg_badge_awards by each step below: a scan is cheaper than a copy.
    -- An award's rowid there (`award_row`) names it with one integer: grouping and joining on
    -- it costs far less than on the award id's text, here and in the models that join the
    -- matches back onto the awards, so it is the only key the matches keep.
    select
        a.rowid as award_row,
        a.award_id,
        a.recipient_employee_id,
        a.recipient_type,
        a.recipient_identity,
        a.plain_identity,
        a.is_hashed,
        a.hash_algorithm,
        a.hash_hex,
        coalesce(a.recipient_salt, '') as salt
    from stg_badge_awards as a
),

roster_ids as (
    select distinct r.employee_id from stg_roster as r
),

roster_emails as (
    -- An address reused by two people over time belongs to whoever held it last.
    select
        r.email,
        arg_max(r.employee_id, r.snapshot_date) as employee_id
    from stg_roster as r
    where r.email is not null and r.email <> ''
    group by r.email
),

email_count as (
    select count(*) as emails from roster_emails
),

salt_costs as (
    select
        s.salt,
        s.hash_algorithm,
        s.awards,
        e.emails,
        sum(e.emails) over (
            order by s.awards desc, s.salt, s.hash_algorithm
            rows between unbounded preceding and current row
        ) as cumulative_hashes,
        sum(e.emails) over () as total_hashes
    from (
        select a.salt, a.hash_algorithm, count(*) as awards
        from awards as a
        where a.is_hashed
          and a.hash_algorithm in ('sha256', 'md5')
          and coalesce(a.recipient_type, 'email') in ('email', 'emailaddress')
        group by a.salt, a.hash_algorithm
    ) as s
    cross join email_count as e
),

salts as (
    -- Every (salt, algorithm) costs one hash per roster email. Issuers that draw a fresh salt
    -- for every assertion make that awards x emails, which no implementation can afford at
    -- scale, so the work is capped at 50 million hashes (a few seconds): everything is tried
    -- when it fits; otherwise salts shared by several awards go first, most-shared first, and
    -- single-use salts are not tried (one award per full pass over the roster). Awards left
    -- out stay unmatched with that reason (unmatched_awards).
    select
        c.salt,
        c.hash_algorithm,
        c.total_hashes <= 50000000
            or (c.awards > 1 and c.cumulative_hashes <= 50000000) as within_budget
    from salt_costs as c
),

email_digests as (
    select
        s.salt,
        s.hash_algorithm,
        case s.hash_algorithm
            when 'md5' then md5(e.email || s.salt)
            else sha256(e.email || s.salt)
        end as digest,
        e.employee_id
    from salts as s
    cross join roster_emails as e
    where s.within_budget
),

by_hash as (
    select
        a.award_row,
        -- Two addresses cannot share a digest in practice; any_value keeps one row per award.
        any_value(d.employee_id) as employee_id
    from awards as a
    inner join email_digests as d
        on d.salt = a.salt
        and d.hash_algorithm = a.hash_algorithm
        and d.digest = a.hash_hex
    where a.is_hashed
    group by a.award_row
),

final as (
    -- The id and email lookups are joined straight onto each award: one pass over the awards
    -- instead of a list per method joined back by award id.
    select
        a.award_row,
        coalesce(explicit.employee_id, subject.employee_id, e.employee_id, h.employee_id)
            as employee_id,
        case
            when explicit.employee_id is not null or subject.employee_id is not null
                then 'employee_id'
            when e.employee_id is not null then 'email'
            when h.employee_id is not null then 'hashed_email'
            else 'none'
        end as match_method,
        case
            when a.is_hashed then 'hashed_' || coalesce(a.recipient_type, 'email')
            when a.recipient_employee_id is not null and a.plain_identity is null
                then 'employee_id'
            when a.plain_identity is null then 'none'
            else coalesce(a.recipient_type, 'email')
        end as identity_type,
        a.is_hashed and h.employee_id is null
            and explicit.employee_id is null and subject.employee_id is null
            and not coalesce(b.within_budget, false) as hash_not_tried
    from awards as a
    -- 1. an explicit employee id, or a plain identity that is one
    left join roster_ids as explicit on explicit.employee_id = a.recipient_employee_id
    left join roster_ids as subject
        on subject.employee_id = a.plain_identity and not a.is_hashed
    -- 2. the plain email
    left join roster_emails as e on e.email = lower(a.plain_identity) and not a.is_hashed
    -- 3. a hashed email
    left join by_hash as h on h.award_row = a.award_row
    left join salts as b on b.salt = a.salt and b.hash_algorithm = a.hash_algorithm
)

select * from final
