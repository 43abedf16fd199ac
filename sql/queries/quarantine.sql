-- Quarantined rows with their file, row number, raw values and reason (newest runs first).
with final as (
    select q.run_id, q.path, q.row_number, q.reason, q.raw from quarantine as q
)

select * from final order by run_id desc, path, row_number limit 5000
