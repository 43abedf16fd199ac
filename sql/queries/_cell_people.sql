-- Fragment (not a query): the people of one team whose role requires one skill on $as_of
-- ($team_type / $team / $skill_id: a heatmap cell), each marked as holding it (at or above the
-- required level) or missing it, only those inside the asker's scope (needs _scope_people
-- first). requirement_people is the mart the coverage counts come from (snapshot date only),
-- so the people match the heatmap cell. Included by the queries whose header says
-- `-- uses: _cell_people`.
cell_members as (
    select o.employee_id
    from org_members_on_as_of as o
    where o.as_of = $as_of and o.org_manager_id = $team
),

cell_people as (
    select
        r.employee_id,
        sp.full_name,
        sp.job_title,
        r.department,
        r.location,
        r.required_level,
        r.held_level,
        case when r.holds then 'holds' else 'missing' end as status
    from requirement_people as r
    -- One join both keeps the people inside the scope and names them: at scale L a second
    -- pass over people_on_as_of for the names cost a fifth of the drill-down.
    inner join scope_people as sp on sp.as_of = r.as_of and sp.employee_id = r.employee_id
    where r.as_of = $as_of
        and r.skill_id = $skill_id
        and case $team_type
            when 'all' then true
            when 'department' then r.department = $team
            when 'location' then r.location = $team
            when 'job_family' then r.job_family = $team
            when 'manager_org' then r.employee_id in (select m.employee_id from cell_members as m)
            else false
        end
)
