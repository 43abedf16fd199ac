-- The dates every dated mart is computed for: each month-end from the first roster snapshot's
-- month up to (not including) the as-of date, and the as-of date itself (is_snapshot_date).
-- Trends read the month-ends; pages read the as-of rows.
with params as (
    select p.as_of from stg_params as p
),

bounds as (
    select min(d.snapshot_date) as first_snapshot from stg_snapshot_dates as d
),

month_ends as (
    select
        cast(m.month_start + interval 1 month - interval 1 day as date) as as_of
    from params
    cross join bounds
    cross join unnest(
        generate_series(
            cast(date_trunc('month', coalesce(bounds.first_snapshot, params.as_of)) as timestamp),
            cast(date_trunc('month', params.as_of) as timestamp),
            interval 1 month
        )
    ) as m(month_start)
),

final as (
    select distinct
        me.as_of,
        false as is_snapshot_date
    from month_ends as me
    cross join params
    where me.as_of < params.as_of
    union all
    select params.as_of, true from params
)

select * from final
