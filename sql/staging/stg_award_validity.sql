-- materialize: temp
-- THE validity rule (SPEC §5), written once: every other model asks "valid at d?" as
-- `valid_from <= d and (valid_to is null or valid_to > d)` on these intervals.
--
-- An award is valid at d when issued_on <= d, it is not revoked by d and expires_on is null
-- or later than d. So it is valid on [issued_on, least(expires_on, revoked_on)). It is never
-- valid (valid_from null) when:
--   * it is revoked and the revocation date is unknown (we cannot tell when it stopped, so we
--     do not count it at all),
--   * the platform says it is pending or rejected (never accepted by the earner/issuer),
--   * it has no issue date, or it expires / is revoked on or before its issue date.
with awards as (
    -- award_row: the award's rowid in stg_badge_awards, see stg_award_matches. It is the only
    -- key kept: every reader joins on it, and an integer holds less memory than the id's text.
    select
        a.rowid as award_row,
        a.award_id,
        a.issued_on,
        a.expires_on,
        a.revoked,
        a.revoked_on,
        a.status
    from stg_badge_awards as a
),

revocations as (
    select r.award_id, r.revoked_on from stg_revocations as r
),

combined as (
    select
        a.award_row,
        a.award_id,
        a.issued_on,
        a.expires_on,
        a.status,
        a.revoked or v.award_id is not null as revoked,
        -- The earliest date any source gives; least() skips unknown (null) dates.
        least(a.revoked_on, v.revoked_on) as revoked_on
    from awards as a
    left join revocations as v on v.award_id = a.award_id
),

judged as (
    select
        c.*,
        least(c.expires_on, case when c.revoked then c.revoked_on end) as ends_on,
        case
            when c.issued_on is null then 'no issue date'
            when c.status in ('pending', 'rejected') then 'status ' || c.status
            when c.revoked and c.revoked_on is null then 'revoked, date unknown'
            when least(c.expires_on, case when c.revoked then c.revoked_on end) <= c.issued_on
                then 'ends on or before its issue date'
        end as never_valid_reason
    from combined as c
),

final as (
    select
        j.award_row,
        j.revoked,
        case when j.revoked then j.revoked_on end as revoked_on,
        j.never_valid_reason is null as ever_valid,
        j.never_valid_reason,
        case when j.never_valid_reason is null then j.issued_on end as valid_from,
        case when j.never_valid_reason is null then j.ends_on end as valid_to
    from judged as j
)

select * from final
