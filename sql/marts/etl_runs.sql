-- Every ETL run: id, times, status and per-run file and row counts, newest first.
with runs as (
    select r.* from stg_etl_runs as r
),

final as (
    select
        runs.run_id,
        runs.started_at,
        runs.finished_at,
        runs.status,
        runs.files_loaded,
        runs.files_unchanged,
        runs.files_rejected,
        runs.rows_read,
        runs.rows_loaded,
        runs.rows_quarantined,
        runs.error
    from runs
    order by runs.run_id desc
)

select * from final
