-- materialize: temp
-- Quarantined rows of files that are still current (a superseded version's rejects are history).
with rows as (
    select q.*
    from store.quarantine as q
    where q.file_id in (
        select f.file_id from store.files as f where f.superseded_by is null
    )
),

final as (
    select * from rows
)

select * from final
