-- materialize: temp
-- One row per employee per roster snapshot date. When two files describe the same date
-- (a re-export), the most recently loaded file wins.
with latest_copy as (
    -- The file to keep per (date, employee), found on narrow columns of the current files: a
    -- window over the whole wide row cost several times more at 500,000 employees. The latest
    -- file wins and within a file the first row: file_id x 2^64 - row_number is largest for
    -- that row, and one number is cheaper to compare and keep than a struct.
    select
        r.snapshot_date,
        r.employee_id,
        max(r.file_id * 18446744073709551616 - r.row_number) as pick
    from raw.raw_roster as r
    where r.file_id in (select f.file_id from stg_files as f)
    group by r.snapshot_date, r.employee_id
),

cleaned as (
    -- Cleaned on columns read straight from the store (a second scan): those that arrive
    -- dictionary-encoded are trimmed once per distinct value. A scan shared with latest_copy
    -- would be materialised, and a copy of every wide row both costs more than reading the
    -- store twice and loses the encoding. Rows of superseded files find no pick below and
    -- drop out.
    select
        r.file_id,
        r.row_number,
        r.snapshot_date,
        r.employee_id as raw_employee_id,
        trim(r.employee_id) as employee_id,
        lower(trim(r.email)) as email,
        r.full_name,
        r.department,
        r.team,
        nullif(trim(r.manager_id), '') as manager_id,
        r.job_title,
        r.job_family,
        r.location,
        r.hire_date,
        r.termination_date,
        r.termination_reason,
        r.termination_voluntary,
        r.regrettable,
        r.annual_salary,
        r.performance_rating,
        r.cost_center
    from raw.raw_roster as r
),

final as (
    select c.* exclude (raw_employee_id)
    from cleaned as c
    inner join latest_copy as l
        on l.snapshot_date = c.snapshot_date
        and l.employee_id = c.raw_employee_id
        and l.pick = c.file_id * 18446744073709551616 - c.row_number
)

select * from final
