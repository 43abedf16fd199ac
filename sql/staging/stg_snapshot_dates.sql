-- materialize: temp
-- The roster's snapshot dates, one row each. Models that need only the first or the latest
-- date read this rather than stg_roster, so that the roster copy (millions of wide rows at
-- 500,000 employees) can be dropped as soon as the history and the award matching are built.
with dates as (
    select distinct r.snapshot_date from stg_roster as r
),

final as (
    select d.snapshot_date from dates as d
)

select * from final
