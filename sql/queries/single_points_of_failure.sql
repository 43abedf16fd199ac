-- Required skills with exactly one holder in a selected team on the snapshot date, with the
-- holder (only holders inside the asker's scope).
-- uses: _scope_people
with skills_in_scope as (
    select s.skill_id
    from skills as s
    where len($framework::varchar[]) = 0 or list_contains($framework::varchar[], s.framework)
),

final as (
    select
        f.team_type,
        f.team,
        f.team_label,
        f.skill_id,
        f.skill_name,
        f.required,
        f.employee_id,
        f.full_name
    from single_points_of_failure as f
    where f.team_type = $team_type
        and (len($teams::varchar[]) = 0 or list_contains($teams::varchar[], f.team))
        and f.skill_id in (select s.skill_id from skills_in_scope as s)
        and f.employee_id in (select sp.employee_id from scope_people as sp)
)

select * from final order by team_label, skill_name
