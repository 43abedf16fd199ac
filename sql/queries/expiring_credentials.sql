-- Holdings of people inside the filters that stop being valid within 90 days of the snapshot
-- date (the mart is computed for the snapshot date), inside the asker's scope.
-- uses: _scope_people
with people as (
    select x.*
    from expiring_credentials as x
    where x.days_left between 0 and 90
        and x.employee_id in (select sp.employee_id from scope_people as sp)
        and (len($department::varchar[]) = 0
            or list_contains($department::varchar[], x.department))
        and (len($location::varchar[]) = 0 or list_contains($location::varchar[], x.location))
        and (len($job_family::varchar[]) = 0
            or list_contains($job_family::varchar[], x.job_family))
        and (len($team::varchar[]) = 0 or x.employee_id in (
            select o.employee_id
            from org_members_on_as_of as o
            where o.as_of = x.as_of and list_contains($team::varchar[], o.org_manager_id)
        ))
),

final as (
    select
        p.employee_id,
        p.full_name,
        p.department,
        p.location,
        p.job_family,
        p.badge_name,
        p.skill_id,
        p.skill_name,
        p.expires_on,
        p.days_left
    from people as p
    left join skills as s on s.skill_id = p.skill_id
    where len($framework::varchar[]) = 0 or list_contains($framework::varchar[], s.framework)
)

select * from final order by days_left, full_name
