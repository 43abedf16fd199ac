-- Drill-down as shown: the first $limit people of each status (holds / missing) of one team
-- and required skill on $as_of, by name, with how many people the status has in all
-- (status_people). A cell can hold 100,000 people at scale L: sending them all to the browser
-- took seconds, and nobody reads past the first pages; skill_people.sql lists everyone for
-- the CSV download. Only people inside the asker's scope are listed or counted.
-- uses: _scope_people
-- uses: _cell_people
with status_counts as (
    select c.status, count(*) as status_people
    from cell_people as c
    group by c.status
),

-- One top-N per status (not a window over the whole cell): DuckDB keeps only $limit rows
-- of each instead of sorting every name.
first_holders as (
    select * from cell_people as c
    where c.status = 'holds'
    order by c.full_name, c.employee_id
    limit $limit
),

first_missing as (
    select * from cell_people as c
    where c.status = 'missing'
    order by c.full_name, c.employee_id
    limit $limit
),

final as (
    select
        f.employee_id,
        f.full_name,
        f.job_title,
        f.department,
        f.location,
        f.required_level,
        f.held_level,
        f.status,
        n.status_people
    from (
        select * from first_holders
        union all
        select * from first_missing
    ) as f
    inner join status_counts as n on n.status = f.status
)

select * from final order by status, full_name, employee_id
