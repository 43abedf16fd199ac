-- The most recent ETL runs with status and counts.
with final as (
    select r.* from etl_runs as r
)

select * from final order by run_id desc limit 50
