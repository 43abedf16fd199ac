-- Badge awards matched to no employee, newest first, with the reason: the first $limit for the
-- data page's list (null: all of them, for its CSV).
with final as (
    select
        u.award_id,
        u.badge_name,
        u.issuer_name,
        u.issued_on,
        u.source_format,
        u.identity_type,
        u.recipient_identity,
        u.reason
    from unmatched_awards as u
)

select * from final order by issued_on desc nulls last, award_id limit $limit
