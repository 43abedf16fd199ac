-- Who is active on each analysis date, with the attributes of the history version in force
-- that day. Active at d: hire_date <= d and (termination_date null or > d) (SPEC §5).
with dates as (
    select d.* from analysis_dates as d
),

history as (
    select
        h.*,
        coalesce(h.valid_to, date '9999-12-31') as valid_until
    from employee_history as h
),

final as (
    select
        d.as_of,
        d.is_snapshot_date,
        h.employee_id,
        h.full_name,
        h.department,
        coalesce(h.location, '(not set)') as location,
        coalesce(h.job_family, '(not set)') as job_family,
        h.job_title,
        h.manager_id,
        h.hire_date
    from dates as d
    inner join history as h
        on h.valid_from <= d.as_of
        and h.valid_until > d.as_of
    where h.hire_date <= d.as_of
      and coalesce(h.termination_date, date '9999-12-31') > d.as_of
)

select * from final
