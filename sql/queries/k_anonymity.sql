-- The configured minimum group size for any aggregate shown (SPEC §5 privacy; never below 3).
with final as (
    select greatest(p.k_anonymity, 3) as k from stg_params as p
)

select * from final
