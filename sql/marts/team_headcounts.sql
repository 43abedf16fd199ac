-- Active headcount of every team on every analysis date (manager orgs on the as-of date).
with people as (
    select p.* from people_on_dates as p
),

by_attribute as (
    select
        p.as_of,
        case
            when grouping(p.department) = 0 then 'department'
            when grouping(p.location) = 0 then 'location'
            when grouping(p.job_family) = 0 then 'job_family'
            else 'all'
        end as team_type,
        case
            when grouping(p.department) = 0 then p.department
            when grouping(p.location) = 0 then p.location
            when grouping(p.job_family) = 0 then p.job_family
            else 'all'
        end as team,
        count(*) as headcount
    from people as p
    group by grouping sets (
        (p.as_of), (p.as_of, p.department), (p.as_of, p.location), (p.as_of, p.job_family)
    )
),

by_org as (
    select
        o.as_of,
        'manager_org' as team_type,
        o.org_manager_id as team,
        count(*) as headcount
    from org_members_on_dates as o
    group by o.as_of, o.org_manager_id
),

final as (
    select * from by_attribute
    union all
    select * from by_org
)

select * from final
