-- Coverage (SPEC §5) per team, required skill and date: required = active people of the team
-- whose role requires the skill; holders = those holding it at the required level;
-- coverage = holders / required; target = the mean target of the requiring people's roles
-- (equal to the role's target when one role requires it); gap_people = ceil(target x required)
-- - holders when positive, else 0. Every month-end for all / department / location /
-- job_family; manager orgs on the as-of date.
with needs as (
    select r.* from requirement_people as r
),

by_attribute as (
    select
        n.as_of,
        case
            when grouping(n.department) = 0 then 'department'
            when grouping(n.location) = 0 then 'location'
            when grouping(n.job_family) = 0 then 'job_family'
            else 'all'
        end as team_type,
        case
            when grouping(n.department) = 0 then n.department
            when grouping(n.location) = 0 then n.location
            when grouping(n.job_family) = 0 then n.job_family
            else 'all'
        end as team,
        n.skill_id,
        count(*) as required,
        count(*) filter (where n.holds) as holders,
        sum(n.target) as target_people,
        avg(n.weight) as weight
    from needs as n
    group by grouping sets (
        (n.as_of, n.skill_id),
        (n.as_of, n.skill_id, n.department),
        (n.as_of, n.skill_id, n.location),
        (n.as_of, n.skill_id, n.job_family)
    )
),

by_org as (
    select
        n.as_of,
        'manager_org' as team_type,
        o.org_manager_id as team,
        n.skill_id,
        count(*) as required,
        count(*) filter (where n.holds) as holders,
        sum(n.target) as target_people,
        avg(n.weight) as weight
    from needs as n
    inner join org_members_on_dates as o
        on o.as_of = n.as_of and o.employee_id = n.employee_id
    group by n.as_of, o.org_manager_id, n.skill_id
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
        c.required,
        c.holders,
        c.holders / c.required as coverage,
        c.target_people / c.required as target,
        -- Rounded before ceil so that 0.8 x 5 = 4.000000000000001 asks for 4 people, not 5.
        greatest(cast(ceil(round(c.target_people, 9)) as bigint) - c.holders, 0) as gap_people,
        c.weight
    from counted as c
    left join teams as t on t.team_type = c.team_type and t.team = c.team
    left join skills as s on s.skill_id = c.skill_id
)

select * from final
