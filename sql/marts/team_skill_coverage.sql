-- Coverage (SPEC §5) per team, required skill and date: required = active people of the team
-- whose role requires the skill; holders = those holding it at the required level;
-- coverage = holders / required; target = the mean target of the requiring people's roles
-- (equal to the role's target when one role requires it); gap_people = ceil(target x required)
-- - holders when positive, else 0.
--
-- all / department / location / job_family: every analysis date (month-ends + as-of), from the
-- interval counts of team_skill_counts. Manager orgs: the as-of date, from requirement_people.
with by_attribute as (
    select
        c.as_of,
        c.team_type,
        c.team,
        c.skill_id,
        cast(c.required as bigint) as required,
        cast(c.holders as bigint) as holders,
        c.target_people,
        c.weight_sum / c.required as weight
    from team_skill_counts as c
    where c.required > 0
),

by_org as (
    select
        n.as_of,
        'manager_org' as team_type,
        o.org_manager_id as team,
        n.skill_id,
        count(*) as required,
        count(*) filter (where n.holds) as holders,
        -- Exact, like team_skill_counts: a float sum over 100,000 people can land a hair above
        -- a whole number and ask ceil() for one person too many.
        cast(sum(cast(n.target as decimal(38, 18))) as double) as target_people,
        avg(n.weight) as weight
    from requirement_people as n
    inner join org_members_on_as_of as o on o.employee_id = n.employee_id
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
        -- Rounded before ceil so that 0.8 x 5 = 4.000000000000001 asks for 4 people, not 5
        -- (running sums of targets also leave such residues).
        greatest(cast(ceil(round(c.target_people, 9)) as bigint) - c.holders, 0) as gap_people,
        c.weight
    from counted as c
    left join teams as t on t.team_type = c.team_type and t.team = c.team
    left join skills as s on s.skill_id = c.skill_id
)

select * from final
