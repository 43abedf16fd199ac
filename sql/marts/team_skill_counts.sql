-- materialize: temp
-- Per all / department / location / job_family team, skill and analysis date (month-ends +
-- as-of), counted from intervals, not from a row per person and month. Read by
-- team_skill_coverage and skill_inventory (SPEC §5), which keep the rows they need.
--   required / target_people / weight_sum: a person requires skill S over the span of a
--     history version (version_spans x role_skill_rules);
--   holders: they hold it at the required level over the intersection of that span with their
--     continuous holding at that level (holding_islands);
--   held: any active person holding it at any level (level-1 islands), whatever their role.
-- Each interval adds +1 at its start and -1 at its end, bucketed to the first analysis date on
-- or after it; running sums over the dates per team and skill are the counts.
with dates as (
    select d.as_of from analysis_dates as d
),

span as (
    select min(d.as_of) as first_date, max(d.as_of) as last_date from dates as d
),

spans_in_range as (
    select v.*
    from version_spans as v
    cross join span
    where v.span_to > span.first_date and v.span_from <= span.last_date
),

cells as (
    -- Each (department, location, job family) combination gets a number: the millions of
    -- interval ends below carry that number instead of three names, and the names come back
    -- once the ends are summed per cell.
    select
        c.department,
        c.location,
        c.job_family,
        row_number() over () as cell
    from (select distinct v.department, v.location, v.job_family from spans_in_range as v) as c
),

spans as (
    select v.*, c.cell
    from spans_in_range as v
    inner join cells as c
        on c.department is not distinct from v.department
        and c.location is not distinct from v.location
        and c.job_family is not distinct from v.job_family
),

needs as (
    select
        v.employee_id, v.cell,
        r.skill_id, coalesce(r.required_level, 1) as level,
        -- Targets and weights are summed as exact decimals: running sums of doubles over
        -- thousands of +target / -target events leave residues (9563.0000000009) whose rounding
        -- moved gap_people by one and flipped coverage >= target ties from run to run.
        cast(r.target as decimal(38, 18)) as target,
        cast(r.weight as decimal(38, 18)) as weight,
        v.span_from, v.span_to
    from spans as v
    inner join role_skill_rules as r
        on r.title_key = v.title_key and r.job_family = v.job_family
),

met as (
    select
        n.cell, n.skill_id,
        greatest(n.span_from, i.valid_from) as met_from,
        least(n.span_to, i.valid_to) as met_to
    from needs as n
    inner join holding_islands as i
        on i.employee_id = n.employee_id
        and i.skill_id = n.skill_id
        and i.level = n.level
        and i.valid_from < n.span_to
        and i.valid_to > n.span_from
),

held as (
    select
        v.cell, i.skill_id,
        greatest(v.span_from, i.valid_from) as held_from,
        least(v.span_to, i.valid_to) as held_to
    from spans as v
    inner join holding_islands as i
        on i.employee_id = v.employee_id
        and i.level = 1
        and i.valid_from < v.span_to
        and i.valid_to > v.span_from
),

events as (
    select n.cell, n.skill_id, n.span_from as day,
        1 as d_required, n.target as d_target, n.weight as d_weight, 0 as d_holders, 0 as d_held
    from needs as n
    union all
    select n.cell, n.skill_id, n.span_to, -1, -n.target, -n.weight, 0, 0
    from needs as n
    union all
    select m.cell, m.skill_id, m.met_from, 0, 0, 0, 1, 0
    from met as m
    union all
    select m.cell, m.skill_id, m.met_to, 0, 0, 0, -1, 0
    from met as m
    union all
    select h.cell, h.skill_id, h.held_from, 0, 0, 0, 0, 1
    from held as h
    union all
    select h.cell, h.skill_id, h.held_to, 0, 0, 0, 0, -1
    from held as h
),

bucketed as (
    -- An event on day x first shows on the first analysis date >= x: its month's end (the
    -- as-of date for the as-of month), or the first analysis date for earlier events.
    select
        e.*,
        greatest(least(last_day(e.day), span.last_date), span.first_date) as bucket
    from events as e
    cross join span
    where e.day <= span.last_date
),

summed as (
    -- Summed once per cell, so that the four grouping sets below each read a few thousand
    -- cells instead of millions of interval ends.
    select
        e.cell,
        e.skill_id,
        e.bucket,
        sum(e.d_required) as d_required,
        sum(e.d_holders) as d_holders,
        sum(e.d_target) as d_target,
        sum(e.d_weight) as d_weight,
        sum(e.d_held) as d_held
    from bucketed as e
    group by e.cell, e.skill_id, e.bucket
),

pooled as (
    select c.department, c.location, c.job_family, s.* exclude (cell)
    from summed as s
    inner join cells as c on c.cell = s.cell
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
        sum(e.d_required) as d_required,
        sum(e.d_holders) as d_holders,
        sum(e.d_target) as d_target,
        sum(e.d_weight) as d_weight,
        sum(e.d_held) as d_held
    from pooled as e
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
        g.as_of,
        g.team_type,
        g.team,
        g.skill_id,
        sum(coalesce(b.d_required, 0)) over w as required,
        sum(coalesce(b.d_holders, 0)) over w as holders,
        cast(sum(coalesce(b.d_target, 0)) over w as double) as target_people,
        cast(sum(coalesce(b.d_weight, 0)) over w as double) as weight_sum,
        sum(coalesce(b.d_held, 0)) over w as held
    from grid as g
    left join by_team as b
        on b.team_type = g.team_type
        and b.team = g.team
        and b.skill_id = g.skill_id
        and b.bucket = g.as_of
    window w as (
        partition by g.team_type, g.team, g.skill_id order by g.as_of
        rows between unbounded preceding and current row
    )
)

select * from running
where required > 0 or held > 0
