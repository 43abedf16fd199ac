-- materialize: temp
-- Every file the ETL has seen, loaded or rejected, current or superseded, with its counts.
with log as (
    select f.* from store.files as f
),

final as (
    select * from log
)

select * from final
