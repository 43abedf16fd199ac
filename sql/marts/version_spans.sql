-- materialize: temp
-- Each history version as a span of employment with its team attributes: the version's
-- [valid_from, valid_to) clipped to [hire_date, termination_date), open end = 9999-12-31.
-- "Active in team T on date d" is `span_from <= d < span_to` on these rows.
with history as (
    select
        h.employee_id,
        h.department,
        coalesce(h.location, '(not set)') as location,
        coalesce(h.job_family, '(not set)') as job_family,
        coalesce(h.job_title, '') as title_key,
        greatest(h.valid_from, h.hire_date) as span_from,
        least(
            coalesce(h.valid_to, date '9999-12-31'),
            coalesce(h.termination_date, date '9999-12-31')
        ) as span_to
    from employee_history as h
),

final as (
    select h.* from history as h where h.span_to > h.span_from
)

select * from final
