-- Badge awards matched to no employee (first 5000), with the reason, for the data page.
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

select * from final order by issued_on desc limit 5000
