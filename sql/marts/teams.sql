-- Every team ever seen, with its display label: the department / location / job family name,
-- the manager's full name for a manager's org, "All employees" for the whole organisation.
with seen as (
    select distinct t.team_type, t.team from team_intervals as t
),

final as (
    select
        s.team_type,
        s.team,
        case s.team_type
            when 'all' then 'All employees'
            when 'manager_org' then coalesce(e.full_name, s.team)
            else s.team
        end as team_label
    from seen as s
    left join employees as e on s.team_type = 'manager_org' and e.employee_id = s.team
)

select * from final
