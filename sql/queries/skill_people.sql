-- Drill-down, everyone (the CSV download): the people of one team whose role requires one
-- skill on $as_of, each marked as holding it or missing it (see _cell_people). Only people
-- inside the asker's scope are listed.
-- uses: _scope_people
-- uses: _cell_people
with final as (
    select
        c.employee_id,
        c.full_name,
        c.job_title,
        c.department,
        c.location,
        c.required_level,
        c.held_level,
        c.status
    from cell_people as c
)

select * from final order by status, full_name, employee_id
