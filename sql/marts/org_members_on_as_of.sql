-- Members of every manager's org on the as-of date (active people only).
with members as (
    select t.employee_id, t.team as org_manager_id, t.valid_from, t.valid_to
    from team_intervals as t
    where t.team_type = 'manager_org'
),

final as (
    select
        p.as_of,
        m.org_manager_id,
        p.employee_id
    from people_on_as_of as p
    inner join members as m
        on m.employee_id = p.employee_id
        and m.valid_from <= p.as_of
        and coalesce(m.valid_to, date '9999-12-31') > p.as_of
)

select * from final
