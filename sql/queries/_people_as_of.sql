-- Fragment (not a query): the employees active on $as_of (one of the analysis dates), with
-- their attributes on that date, narrowed by the people filters. A team filter names managers
-- and keeps each manager's whole org (org_members_on_dates: the manager and everyone under
-- them, recursively; computed for the snapshot date only). Included as the first CTE of the
-- queries whose header says `-- uses: _people_as_of`.
people_as_of as (
    select p.*
    from people_on_dates as p
    where p.as_of = $as_of
        and (len($department::varchar[]) = 0
            or list_contains($department::varchar[], p.department))
        and (len($location::varchar[]) = 0 or list_contains($location::varchar[], p.location))
        and (len($job_family::varchar[]) = 0
            or list_contains($job_family::varchar[], p.job_family))
        and (len($team::varchar[]) = 0 or p.employee_id in (
            select o.employee_id
            from org_members_on_dates as o
            where o.as_of = $as_of and list_contains($team::varchar[], o.org_manager_id)
        ))
)
