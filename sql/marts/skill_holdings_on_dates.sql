-- Skills held by each active person on each analysis date (highest level among their valid
-- awards), with the person's team attributes that day. Built by joining holding intervals to
-- the date grid (an interval join, never a row per day).
with dates as (
    select d.as_of from analysis_dates as d
),

valid as (
    select
        d.as_of,
        h.employee_id,
        h.skill_id,
        max(h.effective_level) as effective_level
    from holding_intervals as h
    inner join dates as d
        on h.valid_from <= d.as_of
        and coalesce(h.valid_to, date '9999-12-31') > d.as_of
    group by d.as_of, h.employee_id, h.skill_id
),

final as (
    select
        v.as_of,
        v.employee_id,
        v.skill_id,
        v.effective_level,
        p.department,
        p.location,
        p.job_family,
        p.is_snapshot_date
    from valid as v
    inner join people_on_dates as p on p.as_of = v.as_of and p.employee_id = v.employee_id
)

select * from final
