-- The run log as the store holds it.
with runs as (
    select r.* from store.etl_runs as r
),

final as (
    select * from runs
)

select * from final
