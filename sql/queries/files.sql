-- Every current inbox file with its loader, status and counts.
with final as (
    select
        f.path,
        f.loader,
        f.status,
        f.run_id,
        f.loaded_at,
        f.rows_read,
        f.rows_loaded,
        f.rows_quarantined,
        f.error
    from files as f
    where not f.superseded
)

select * from final order by path
