-- materialize: temp
-- One row per employee per roster snapshot date. When two files describe the same date
-- (a re-export), the most recently loaded file wins.
with raw as (
    select r.*
    from store.raw_roster as r
    where r.file_id in (select f.file_id from stg_files as f)
),

latest_copy as (
    -- The file to keep per (date, employee), found on narrow columns: a window over the whole
    -- wide row cost several times more at 500,000 employees. Within a file the first row wins.
    select
        raw.snapshot_date,
        raw.employee_id,
        arg_max(
            {'file_id': raw.file_id, 'row_number': raw.row_number},
            {'file_id': raw.file_id, 'row_number': -raw.row_number}
        ) as pick
    from raw
    group by raw.snapshot_date, raw.employee_id
),

ranked as (
    select raw.*
    from raw
    inner join latest_copy as l
        on l.snapshot_date = raw.snapshot_date
        and l.employee_id = raw.employee_id
        and l.pick.file_id = raw.file_id
        and l.pick.row_number = raw.row_number
),

final as (
    select
        ranked.file_id,
        ranked.row_number,
        ranked.snapshot_date,
        trim(ranked.employee_id) as employee_id,
        lower(trim(ranked.email)) as email,
        ranked.full_name,
        ranked.department,
        ranked.team,
        nullif(trim(ranked.manager_id), '') as manager_id,
        ranked.job_title,
        ranked.job_family,
        ranked.location,
        ranked.hire_date,
        ranked.termination_date,
        ranked.termination_reason,
        ranked.termination_voluntary,
        ranked.regrettable,
        ranked.annual_salary,
        ranked.performance_rating,
        ranked.cost_center
    from ranked
)

select * from final
