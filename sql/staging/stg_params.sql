-- The analysis parameters, one row: the as-of date (the build's `as_of` variable, else the
-- latest roster snapshot date) and the assumptions file's values with the SPEC defaults.
with assumptions as (
    select
        a.key,
        arg_max(a.value, a.file_id) as value
    from raw.raw_assumptions as a
    where a.file_id in (select f.file_id from stg_files as f)
    group by a.key
),

latest as (
    select max(d.snapshot_date) as latest_snapshot
    from stg_snapshot_dates as d
),

settings as (
    select
        coalesce(max(value) filter (where key = 'replacement_cost_share'), 0.33)
            as replacement_cost_share,
        coalesce(max(value) filter (where key = 'loaded_hourly_rate'), 60.0)
            as loaded_hourly_rate,
        coalesce(max(value) filter (where key = 'analysis_window_months'), 24)::integer
            as analysis_window_months,
        -- k below 3 is refused by the loader; the floor is kept here too as a last guard.
        greatest(coalesce(max(value) filter (where key = 'k_anonymity'), 5), 3)::integer
            as k_anonymity
    from assumptions
),

final as (
    select
        coalesce(cast(getvariable('as_of') as date), latest.latest_snapshot, current_date)
            as as_of,
        latest.latest_snapshot,
        cast(
            coalesce(cast(getvariable('as_of') as date), latest.latest_snapshot, current_date)
            - to_months(settings.analysis_window_months) as date
        ) as window_start,
        settings.analysis_window_months as window_months,
        settings.replacement_cost_share,
        settings.loaded_hourly_rate,
        settings.k_anonymity
    from latest
    cross join settings
)

select * from final
