-- Display names of every team by type (manager orgs under the manager's name).
with final as (
    select t.team_type, t.team, t.team_label from teams as t
)

select * from final
