-- Every person's membership of every team as intervals [valid_from, valid_to) (null = open),
-- clipped to their employment: team_type all / department / location / job_family from the
-- type-2 history, manager_org from manager_org_members. "The team X was in on date d" is one
-- interval test on this table, so a team is what it was on the date asked.
with history as (
    select
        h.employee_id,
        h.department,
        coalesce(h.location, '(not set)') as location,
        coalesce(h.job_family, '(not set)') as job_family,
        h.valid_from,
        h.valid_to
    from employee_history as h
    where coalesce(h.valid_to, date '9999-12-31') > h.valid_from
),

by_attribute as (
    select h.employee_id, 'all' as team_type, 'all' as team, h.valid_from, h.valid_to
    from history as h
    union all
    select h.employee_id, 'department', h.department, h.valid_from, h.valid_to
    from history as h
    union all
    select h.employee_id, 'location', h.location, h.valid_from, h.valid_to
    from history as h
    union all
    select h.employee_id, 'job_family', h.job_family, h.valid_from, h.valid_to
    from history as h
),

by_org as (
    select
        m.employee_id,
        'manager_org' as team_type,
        m.org_manager_id as team,
        m.valid_from,
        m.valid_to
    from manager_org_members as m
),

final as (
    select * from by_attribute
    union all
    select * from by_org
)

select * from final
