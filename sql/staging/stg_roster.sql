-- materialize: temp
-- One row per employee per roster snapshot date. When two files describe the same date
-- (a re-export), the most recently loaded file wins.
with raw as (
    select r.*
    from store.raw_roster as r
    where r.file_id in (select f.file_id from stg_files as f)
),

ranked as (
    select
        raw.*,
        row_number() over (
            partition by raw.snapshot_date, raw.employee_id
            order by raw.file_id desc, raw.row_number
        ) as rank_in_date
    from raw
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
    where ranked.rank_in_date = 1
)

select * from final
