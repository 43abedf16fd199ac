-- Rows that failed validation: the file, the 1-based row number, the raw values (JSON) and
-- the reason a person can act on.
with rows as (
    select q.* from stg_quarantine as q
),

final as (
    select
        rows.run_id,
        rows.file_id,
        rows.path,
        rows.row_number,
        rows.raw,
        rows.reason
    from rows
    order by rows.path, rows.row_number
)

select * from final
