-- Fragment (not a query): the people of the snapshot date inside the asker's scope, with the
-- names the people lists show. The scope is every department when $scope_all, else the union
-- of $scope_departments and the org of $scope_manager (the manager and everyone under them,
-- recursively, on the snapshot date). Included as the first CTE of the queries whose header
-- says `-- uses: _scope_people`.
scope_people as (
    select
        sp.as_of,
        sp.employee_id,
        sp.full_name,
        sp.job_title
    from people_on_as_of as sp
    where $scope_all
        or list_contains($scope_departments::varchar[], sp.department)
        or sp.employee_id in (
            select so.employee_id
            from org_members_on_as_of as so
            where so.org_manager_id = $scope_manager
        )
)
