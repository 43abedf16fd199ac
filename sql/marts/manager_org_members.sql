-- Manager's org (SPEC §5): the manager and everyone under them, recursively, as intervals of
-- time, so "who was in X's org on date d" is one interval test. Built over employee_history:
-- a reporting line holds while the report's version names that manager, and a chain
-- A -> B -> C holds on the intersection of its links' intervals.
--
-- Cycles in bad manager data (A reports to B, B to A) stop the walk: a person is never their
-- own ancestor, and UNION drops repeated (person, ancestor, interval) rows.
with recursive versions as (
    select
        h.employee_id,
        h.manager_id,
        h.valid_from,
        coalesce(h.valid_to, date '9999-12-31') as valid_to
    from employee_history as h
    where coalesce(h.valid_to, date '9999-12-31') > h.valid_from
),

flagged as (
    select
        v.*,
        case
            when lag(v.manager_id) over w is not distinct from v.manager_id then 0
            else 1
        end as starts_line
    from versions as v
    window w as (partition by v.employee_id order by v.valid_from)
),

numbered as (
    select
        f.*,
        sum(f.starts_line) over (
            partition by f.employee_id order by f.valid_from
            rows between unbounded preceding and current row
        ) as line_number
    from flagged as f
),

edges as (
    -- Consecutive versions with the same manager are one reporting line.
    select
        n.employee_id,
        n.manager_id,
        min(n.valid_from) as valid_from,
        max(n.valid_to) as valid_to
    from numbered as n
    where n.manager_id is not null and n.manager_id <> n.employee_id
    group by n.employee_id, n.manager_id, n.line_number
),

chain(employee_id, org_manager_id, valid_from, valid_to) as (
    select e.employee_id, e.manager_id, e.valid_from, e.valid_to
    from edges as e
    union
    select
        c.employee_id,
        e.manager_id,
        greatest(c.valid_from, e.valid_from),
        least(c.valid_to, e.valid_to)
    from chain as c
    inner join edges as e
        on e.employee_id = c.org_manager_id
        and e.valid_from < c.valid_to
        and e.valid_to > c.valid_from
    where e.manager_id <> c.employee_id
),

managing as (
    select
        e.manager_id,
        min(e.valid_from) as valid_from,
        max(e.valid_to) as valid_to
    from edges as e
    group by e.manager_id
),

managers_themselves as (
    -- The manager belongs to their own org from their first report's start to their last
    -- report's end, within their own employment.
    select
        m.manager_id as employee_id,
        m.manager_id as org_manager_id,
        greatest(m.valid_from, p.hire_date) as valid_from,
        least(m.valid_to, coalesce(p.termination_date, date '9999-12-31')) as valid_to
    from managing as m
    inner join employees as p on p.employee_id = m.manager_id
),

final as (
    select
        c.org_manager_id,
        c.employee_id,
        c.valid_from,
        nullif(c.valid_to, date '9999-12-31') as valid_to,
        false as is_manager
    from chain as c
    union all
    select
        t.org_manager_id,
        t.employee_id,
        t.valid_from,
        nullif(t.valid_to, date '9999-12-31') as valid_to,
        true as is_manager
    from managers_themselves as t
    where t.valid_to > t.valid_from
)

select * from final
