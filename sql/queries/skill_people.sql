-- Drill-down: the people of one team whose role requires one skill on $as_of, each marked as
-- holding it (at or above the required level) or missing it. requirement_people is the mart
-- the coverage counts come from (snapshot date only), so the list matches the heatmap cell.
-- Only people inside the asker's scope are listed.
-- uses: _scope_people
with team_members as (
    select o.employee_id
    from org_members_on_as_of as o
    where o.as_of = $as_of and o.org_manager_id = $team
),

final as (
    select
        r.employee_id,
        p.full_name,
        p.job_title,
        r.department,
        r.location,
        r.required_level,
        r.held_level,
        case when r.holds then 'holds' else 'missing' end as status
    from requirement_people as r
    left join people_on_as_of as p on p.as_of = r.as_of and p.employee_id = r.employee_id
    where r.as_of = $as_of
        and r.skill_id = $skill_id
        and r.employee_id in (select sp.employee_id from scope_people as sp)
        and case $team_type
            when 'all' then true
            when 'department' then r.department = $team
            when 'location' then r.location = $team
            when 'job_family' then r.job_family = $team
            when 'manager_org' then r.employee_id in (select m.employee_id from team_members as m)
            else false
        end
)

select * from final order by status, full_name
