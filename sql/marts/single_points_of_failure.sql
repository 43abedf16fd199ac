-- Required skills that exactly one person in the team holds, on the as-of date, with who that
-- person is (person-level: the dashboard shows it only to roles allowed to see people).
with single as (
    select c.*
    from team_skill_coverage as c
    inner join analysis_dates as d on d.as_of = c.as_of and d.is_snapshot_date
    where c.holders = 1
),

holding as (
    select r.*
    from requirement_people as r
    where r.holds
),

holder_teams as (
    select h.as_of, 'all' as team_type, 'all' as team, h.employee_id, h.skill_id from holding as h
    union all
    select h.as_of, 'department', h.department, h.employee_id, h.skill_id from holding as h
    union all
    select h.as_of, 'location', h.location, h.employee_id, h.skill_id from holding as h
    union all
    select h.as_of, 'job_family', h.job_family, h.employee_id, h.skill_id from holding as h
    union all
    select h.as_of, 'manager_org', o.org_manager_id, h.employee_id, h.skill_id
    from holding as h
    inner join org_members_on_as_of as o
        on o.as_of = h.as_of and o.employee_id = h.employee_id
),

final as (
    select
        s.as_of,
        s.team_type,
        s.team,
        s.team_label,
        s.skill_id,
        s.skill_name,
        s.required,
        h.employee_id,
        e.full_name
    from single as s
    inner join holder_teams as h
        on h.as_of = s.as_of
        and h.team_type = s.team_type
        and h.team = s.team
        and h.skill_id = s.skill_id
    left join employees as e on e.employee_id = h.employee_id
)

select * from final
