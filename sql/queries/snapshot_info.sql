-- When the snapshot was built, by which run, and the date its metrics are as of.
with info as (
    select i.built_at, i.run_id from snapshot_info as i
),

dates as (
    select max(e.as_of) as as_of from employees as e
),

final as (
    select info.built_at, info.run_id, dates.as_of
    from info
    cross join dates
)

select * from final
