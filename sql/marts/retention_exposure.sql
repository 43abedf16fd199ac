-- Leavers per 100 person-years for badged and not-badged time (SPEC §5), per team, over the
-- analysis window. One person-year is 365.25 days. People = distinct people who spent time in
-- that state in that team (someone badged mid-window counts in both rows).
-- Association, not causation.
with segments as (
    select s.* from retention_segments as s
),

states as (
    select * from (values ('badged', true), ('not_badged', false)) as x(exposure, exposed)
),

team_list as (
    select distinct s.team_type, s.team from segments as s
),

counted as (
    select
        s.team_type,
        s.team,
        s.exposed,
        count(distinct s.employee_id) as people,
        sum(s.days) / 365.25 as person_years,
        count(*) filter (where s.is_leave) as leavers,
        count(*) filter (where s.is_voluntary_leave) as voluntary_leavers,
        count(*) filter (where s.is_regrettable_leave) as regrettable_leavers
    from segments as s
    group by s.team_type, s.team, s.exposed
),

final as (
    select
        t.team_type,
        t.team,
        tm.team_label,
        x.exposure,
        coalesce(c.people, 0) as people,
        coalesce(c.person_years, 0.0) as person_years,
        coalesce(c.leavers, 0) as leavers,
        coalesce(c.voluntary_leavers, 0) as voluntary_leavers,
        coalesce(c.regrettable_leavers, 0) as regrettable_leavers,
        100.0 * c.leavers / nullif(c.person_years, 0) as leavers_per_100py,
        'association, not causation' as caveat
    from team_list as t
    cross join states as x
    left join counted as c
        on c.team_type = t.team_type and c.team = t.team and c.exposed = x.exposed
    left join teams as tm on tm.team_type = t.team_type and tm.team = t.team
)

select * from final
