-- Skill inventory (SPEC §5): the share of a team holding each skill, whatever the role
-- requirements say: holders = active members holding it at any level, share = holders /
-- headcount. Rows for skills at least one member holds. all / department / location /
-- job_family on every analysis date, from the interval counts of team_skill_counts; manager
-- orgs on the as-of date.
with by_attribute as (
    select c.as_of, c.team_type, c.team, c.skill_id, cast(c.held as bigint) as holders
    from team_skill_counts as c
    where c.held > 0
),

by_org as (
    select
        h.as_of,
        'manager_org' as team_type,
        o.org_manager_id as team,
        h.skill_id,
        count(*) as holders
    from skill_holdings_on_as_of as h
    inner join org_members_on_as_of as o on o.employee_id = h.employee_id
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
