-- Skill inventory (SPEC §5): the share of a team holding each skill, whatever the role
-- requirements say: holders = active members holding it at any level, share = holders /
-- headcount. Rows for skills at least one member holds. all / department / location /
-- job_family on every analysis date, counted from intervals (version spans intersected with
-- continuous holdings, +1/-1 events bucketed to analysis dates, running sums); manager orgs on the
-- as-of date.
with dates as (
    select d.as_of from analysis_dates as d
),

span as (
    select min(d.as_of) as first_date, max(d.as_of) as last_date from dates as d
),

held as (
    select
        v.department, v.location, v.job_family, i.skill_id,
        greatest(v.span_from, i.valid_from) as held_from,
        least(v.span_to, i.valid_to) as held_to
    from version_spans as v
    cross join span
    inner join holding_islands as i
        on i.employee_id = v.employee_id
        and i.level = 1
        and i.valid_from < v.span_to
        and i.valid_to > v.span_from
    where v.span_to > span.first_date and v.span_from <= span.last_date
),

events as (
    select h.department, h.location, h.job_family, h.skill_id, h.held_from as day, 1 as delta
    from held as h
    union all
    select h.department, h.location, h.job_family, h.skill_id, h.held_to, -1
    from held as h
),

bucketed as (
    -- An event on day x first shows on the first analysis date >= x (see team_skill_coverage).
    select
        e.*,
        greatest(least(last_day(e.day), span.last_date), span.first_date) as bucket
    from events as e
    cross join span
    where e.day <= span.last_date
),

by_team as (
    select
        case
            when grouping(e.department) = 0 then 'department'
            when grouping(e.location) = 0 then 'location'
            when grouping(e.job_family) = 0 then 'job_family'
            else 'all'
        end as team_type,
        case
            when grouping(e.department) = 0 then e.department
            when grouping(e.location) = 0 then e.location
            when grouping(e.job_family) = 0 then e.job_family
            else 'all'
        end as team,
        e.skill_id,
        e.bucket,
        sum(e.delta) as delta
    from bucketed as e
    group by grouping sets (
        (e.skill_id, e.bucket),
        (e.skill_id, e.bucket, e.department),
        (e.skill_id, e.bucket, e.location),
        (e.skill_id, e.bucket, e.job_family)
    )
),

grid as (
    select k.team_type, k.team, k.skill_id, d.as_of
    from (select distinct b.team_type, b.team, b.skill_id from by_team as b) as k
    cross join dates as d
),

running as (
    select
        g.*,
        sum(coalesce(b.delta, 0)) over (
            partition by g.team_type, g.team, g.skill_id order by g.as_of
            rows between unbounded preceding and current row
        ) as holders
    from grid as g
    left join by_team as b
        on b.team_type = g.team_type
        and b.team = g.team
        and b.skill_id = g.skill_id
        and b.bucket = g.as_of
),

by_attribute as (
    select r.as_of, r.team_type, r.team, r.skill_id, cast(r.holders as bigint) as holders
    from running as r
    where r.holders > 0
),

by_org as (
    select
        h.as_of,
        'manager_org' as team_type,
        o.org_manager_id as team,
        h.skill_id,
        count(*) as holders
    from skill_holdings_on_as_of as h
    inner join org_members_on_as_of as o on o.employee_id = h.employee_id
    group by h.as_of, o.org_manager_id, h.skill_id
),

counted as (
    select * from by_attribute
    union all
    select * from by_org
),

final as (
    select
        c.as_of,
        c.team_type,
        c.team,
        t.team_label,
        c.skill_id,
        s.skill_name,
        s.framework,
        hc.headcount,
        c.holders,
        c.holders / hc.headcount as share
    from counted as c
    inner join team_headcounts as hc
        on hc.as_of = c.as_of and hc.team_type = c.team_type and hc.team = c.team
    left join teams as t on t.team_type = c.team_type and t.team = c.team
    left join skills as s on s.skill_id = c.skill_id
)

select * from final
