-- materialize: temp
-- The inbox files whose rows count: loaded and not superseded by a newer version of the path
-- (the rule is sql/store/loaded_files.sql; the build lists them in raw.loaded_files).
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
    where f.file_id in (select l.file_id from raw.loaded_files as l)
),

final as (
    select * from current_files
)

select * from final
