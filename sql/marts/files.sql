-- Every inbox file ever seen: loader, status (loaded / rejected), counts, error, and whether a
-- newer version of the same path replaced it.
with log as (
    select l.* from stg_file_log as l
),

final as (
    select
        log.file_id,
        log.path,
        log.sha256,
        log.size_bytes,
        log.loader,
        log.run_id,
        log.loaded_at,
        log.status,
        log.superseded_by is not null as superseded,
        log.rows_read,
        log.rows_loaded,
        log.rows_quarantined,
        log.error
    from log
)

select * from final
