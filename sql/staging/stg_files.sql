-- materialize: temp
-- The inbox files whose rows count: loaded and not superseded by a newer version of the path.
-- Every staging model reads raw rows only through this list.
with current_files as (
    select
        f.file_id,
        f.path,
        f.sha256,
        f.loader,
        f.run_id,
        f.loaded_at
    from store.files as f
    where f.status = 'loaded'
      and f.superseded_by is null
),

final as (
    select * from current_files
)

select * from final
