-- Badge awards matched to no employee, counted by the kind of recipient identity they carry.
with final as (
    select
        coalesce(u.identity_type, u.recipient_type, 'none') as identity_type,
        count(*) as awards
    from unmatched_awards as u
    group by all
)

select * from final order by awards desc, identity_type
