-- The dates the as-of filter offers: month-ends of the history and the snapshot date.
with final as (
    select d.as_of, d.is_snapshot_date from analysis_dates as d
)

select * from final order by as_of desc
