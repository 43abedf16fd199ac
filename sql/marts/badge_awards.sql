-- One row per award (de-duplicated by award id, latest file wins), with the employee it was
-- matched to (or null), how, and its validity interval (see stg_award_validity).
with awards as (
    -- Joined on the award's rowid in stg_badge_awards (award_row, see stg_award_matches).
    select a.rowid as award_row, a.* from stg_badge_awards as a
),

params as (
    select p.as_of from stg_params as p
),

final as (
    select
        a.award_id,
        m.employee_id,
        a.badge_class_id,
        a.badge_name,
        a.issuer_id,
        a.issuer_name,
        a.issued_on,
        a.expires_on,
        v.revoked,
        v.revoked_on,
        a.status,
        a.source_format,
        m.match_method,
        a.recipient_type,
        v.ever_valid,
        v.never_valid_reason,
        v.valid_from,
        v.valid_to,
        coalesce(
            v.valid_from <= params.as_of and (v.valid_to is null or v.valid_to > params.as_of),
            false
        ) as valid_at_as_of,
        a.file_id
    from awards as a
    inner join stg_award_validity as v on v.award_row = a.award_row
    inner join stg_award_matches as m on m.award_row = a.award_row
    cross join params
)

select * from final
