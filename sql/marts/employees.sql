-- One row per employee ever seen: their latest attributes, dates of hire and leaving, and
-- whether they are active on the as-of date (hire_date <= as_of and no termination by then).
with latest as (
    select h.*
    from employee_history as h
    where h.is_current
),

params as (
    select p.as_of from stg_params as p
),

final as (
    select
        l.employee_id,
        l.full_name,
        l.email,
        l.department,
        l.team,
        l.manager_id,
        l.job_title,
        l.job_family,
        l.location,
        l.annual_salary,
        l.performance_rating,
        l.cost_center,
        l.hire_date,
        l.termination_date,
        l.termination_reason,
        l.termination_voluntary,
        l.regrettable,
        (l.hire_date <= params.as_of
            and (l.termination_date is null or l.termination_date > params.as_of)) as active,
        params.as_of
    from latest as l
    cross join params
)

select * from final
