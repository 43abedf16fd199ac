-- Every person's membership of every team as intervals [valid_from, valid_to) (null = open),
-- clipped to their employment: team_type all / department / location / job_family from the
-- type-2 history (version_spans), manager_org from manager_org_members. "The team X was in on date d" is one
-- interval test on this table, so a team is what it was on the date asked.
with history as (
    select
        v.employee_id,
        v.department,
        v.location,
        v.job_family,
        v.span_from as valid_from,
        nullif(v.span_to, date '9999-12-31') as valid_to
    from version_spans as v
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
