-- Awards that no roster employee matched: kept, counted and listed (never dropped), with the
-- identity type that failed and a reason a person can act on.
with awards as (
    -- Joined on the award's rowid in stg_badge_awards (award_row, see stg_award_matches).
    select a.rowid as award_row, a.* from stg_badge_awards as a
),

final as (
    select
        a.award_id,
        a.badge_class_id,
        a.badge_name,
        a.issuer_name,
        a.issued_on,
        a.source_format,
        a.recipient_type,
        m.identity_type,
        a.recipient_employee_id,
        a.recipient_identity,
        case m.identity_type
            when 'employee_id' then 'no roster employee has id ' || a.recipient_employee_id
            when 'email' then 'no roster employee has email ' || lower(a.plain_identity)
            when 'none' then 'the award names no recipient'
            else case
                when m.identity_type like 'hashed_%' and m.identity_type <> 'hashed_email'
                    then 'hashed ' || substr(m.identity_type, 8) || ' identities cannot be matched to the roster'
                when m.identity_type = 'hashed_email' and m.hash_not_tried
                    then 'not tried: too many distinct salts to hash every roster email with '
                        || 'each (matching budget of 50 million hashes reached)'
                when m.identity_type = 'hashed_email'
                    then 'no roster email hashes to ' || a.recipient_identity
                else 'no roster employee has ' || m.identity_type || ' ' || a.recipient_identity
            end
        end as reason,
        a.file_id
    from awards as a
    inner join stg_award_matches as m on m.award_row = a.award_row
    where m.employee_id is null
)

select * from final
