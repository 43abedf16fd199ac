-- uses: _scope_people
-- The managers' orgs (snapshot date) whose members are all inside a restricted scope: their
-- aggregates describe in-scope people only, so a restricted scope may read them.
with members as (
    select
        o.org_manager_id,
        o.employee_id,
        o.employee_id in (select s.employee_id from scope_people as s) as inside
    from org_members_on_as_of as o
),

final as (
    select m.org_manager_id as team
    from members as m
    group by m.org_manager_id
    having bool_and(m.inside)
)

select * from final order by team
