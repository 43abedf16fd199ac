-- Fragment (not a query): the employees active on $as_of with their attributes on that date
-- (employee_history is type-2: the version valid on $as_of), narrowed by the people filters.
-- A team filter names managers and keeps each manager's whole org (org_members_on_as_of: the
-- manager and everyone under them, recursively; computed for the snapshot date only, so a
-- team filter on an earlier date matches nobody). Missing locations and job families read
-- '(not set)', as in the teams the filters offer. The asker's scope ($scope_*: every department,
-- or listed departments and / or one manager's org on the snapshot date) applies whatever the
-- filters say. Included as the first CTE of the queries whose header says
-- `-- uses: _people_as_of`.
people_as_of as (
    select
        h.employee_id,
        h.full_name,
        h.department,
        coalesce(h.location, '(not set)') as location,
        coalesce(h.job_family, '(not set)') as job_family,
        h.job_title,
        h.manager_id
    from employee_history as h
    where h.valid_from <= $as_of
        and coalesce(h.valid_to, date '9999-12-31') > $as_of
        and h.hire_date <= $as_of
        and coalesce(h.termination_date, date '9999-12-31') > $as_of
        and (len($department::varchar[]) = 0
            or list_contains($department::varchar[], h.department))
        and (len($location::varchar[]) = 0
            or list_contains($location::varchar[], coalesce(h.location, '(not set)')))
        and (len($job_family::varchar[]) = 0
            or list_contains($job_family::varchar[], coalesce(h.job_family, '(not set)')))
        and (len($team::varchar[]) = 0 or h.employee_id in (
            select o.employee_id
            from org_members_on_as_of as o
            where o.as_of = $as_of and list_contains($team::varchar[], o.org_manager_id)
        ))
        and ($scope_all
            or list_contains($scope_departments::varchar[], h.department)
            or h.employee_id in (
                select so.employee_id
                from org_members_on_as_of as so
                where so.org_manager_id = $scope_manager
            ))
)
