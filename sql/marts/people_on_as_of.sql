-- Who is active on the as-of date, with the attributes of the history version in force that
-- day. Active at d: hire_date <= d and (termination_date null or > d) (SPEC §5).
with params as (
    select p.as_of from stg_params as p
),

final as (
    select
        params.as_of,
        h.employee_id,
        h.full_name,
        h.department,
        coalesce(h.location, '(not set)') as location,
        coalesce(h.job_family, '(not set)') as job_family,
        h.job_title,
        coalesce(h.job_title, '') as title_key,
        h.manager_id,
        h.hire_date
    from employee_history as h
    cross join params
    where h.valid_from <= params.as_of
      and coalesce(h.valid_to, date '9999-12-31') > params.as_of
      and h.hire_date <= params.as_of
      and coalesce(h.termination_date, date '9999-12-31') > params.as_of
)

select * from final
