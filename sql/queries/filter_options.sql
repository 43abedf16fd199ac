-- Every value a global filter can take: (field, value, label), from the snapshot's teams and
-- skills. A manager's org is offered under the manager's name.
with team_options as (
    select
        case t.team_type when 'manager_org' then 'team' else t.team_type end as field,
        t.team as value,
        case t.team_type when 'manager_org' then t.team_label || ' (org)' else t.team_label end
            as label
    from teams as t
    where t.team_type in ('department', 'manager_org', 'location', 'job_family')
),

framework_options as (
    select distinct 'framework' as field, s.framework as value, s.framework as label
    from skills as s
    where s.framework is not null
),

final as (
    select * from team_options
    union all
    select * from framework_options
)

select * from final order by field, label
