-- Skill inventory (SPEC §5): the share of a team holding each skill, whatever the role
-- requirements say. Rows for skills at least one team member holds; share = holders /
-- headcount. Month-ends for all / department / location / job_family, manager orgs on the
-- as-of date.
with held as (
    select h.* from skill_holdings_on_dates as h
),

by_attribute as (
    select
        h.as_of,
        case
            when grouping(h.department) = 0 then 'department'
            when grouping(h.location) = 0 then 'location'
            when grouping(h.job_family) = 0 then 'job_family'
            else 'all'
        end as team_type,
        case
            when grouping(h.department) = 0 then h.department
            when grouping(h.location) = 0 then h.location
            when grouping(h.job_family) = 0 then h.job_family
            else 'all'
        end as team,
        h.skill_id,
        count(*) as holders
    from held as h
    group by grouping sets (
        (h.as_of, h.skill_id),
        (h.as_of, h.skill_id, h.department),
        (h.as_of, h.skill_id, h.location),
        (h.as_of, h.skill_id, h.job_family)
    )
),

by_org as (
    select
        h.as_of,
        'manager_org' as team_type,
        o.org_manager_id as team,
        h.skill_id,
        count(*) as holders
    from held as h
    inner join org_members_on_dates as o
        on o.as_of = h.as_of and o.employee_id = h.employee_id
    group by h.as_of, o.org_manager_id, h.skill_id
),

counted as (
    select * from by_attribute
    union all
    select * from by_org
),

final as (
    select
        c.as_of,
        c.team_type,
        c.team,
        t.team_label,
        c.skill_id,
        s.skill_name,
        s.framework,
        hc.headcount,
        c.holders,
        c.holders / hc.headcount as share
    from counted as c
    inner join team_headcounts as hc
        on hc.as_of = c.as_of and hc.team_type = c.team_type and hc.team = c.team
    left join teams as t on t.team_type = c.team_type and t.team = c.team
    left join skills as s on s.skill_id = c.skill_id
)

select * from final
