-- Type-2 history of every employee: one row per version of their tracked attributes
-- (department, team, manager, job, location, cost centre), valid_from inclusive and valid_to
-- exclusive (null = still open). A change is dated by the first snapshot that shows it (an
-- export only tells us the state on its date). The first version starts at the hire date, so
-- "as of" questions before the first export still see the person. The last version ends at
-- the termination date: the one the roster reports, else -- for someone who vanished from the
-- roster -- the date of the first snapshot that no longer lists them ("absent from roster").
with rows as (
    select * from stg_roster
),

snapshot_dates as (
    select
        d.snapshot_date,
        lead(d.snapshot_date) over (order by d.snapshot_date) as next_snapshot
    from (select distinct r.snapshot_date from rows as r) as d
),

keyed as (
    -- Versions are numbered on three narrow columns and joined back to the rows: the two
    -- windows below would otherwise sort every roster row with all its columns.
    select
        r.employee_id,
        r.snapshot_date,
        hash(r.department, r.team, r.manager_id, r.job_title, r.job_family, r.location,
             r.cost_center) as attributes_key
    from rows as r
),

flagged as (
    select
        k.employee_id,
        k.snapshot_date,
        case
            when lag(k.attributes_key) over w is distinct from k.attributes_key then 1
            else 0
        end as starts_version
    from keyed as k
    window w as (partition by k.employee_id order by k.snapshot_date)
),

version_of_row as (
    select
        f.employee_id,
        f.snapshot_date,
        sum(f.starts_version) over (
            partition by f.employee_id order by f.snapshot_date
            rows between unbounded preceding and current row
        ) as version
    from flagged as f
),

numbered as (
    -- stg_roster holds one row per (snapshot_date, employee_id).
    select
        r.*,
        s.next_snapshot,
        v.version
    from rows as r
    inner join snapshot_dates as s on s.snapshot_date = r.snapshot_date
    inner join version_of_row as v
        on v.employee_id = r.employee_id
        and v.snapshot_date = r.snapshot_date
),

people as (
    select
        n.employee_id,
        arg_max(n.hire_date, n.snapshot_date) as hire_date,
        arg_max(n.termination_date, n.snapshot_date)
            filter (where n.termination_date is not null) as reported_termination,
        arg_max(n.termination_reason, n.snapshot_date)
            filter (where n.termination_date is not null) as reported_reason,
        arg_max(n.termination_voluntary, n.snapshot_date)
            filter (where n.termination_date is not null) as reported_voluntary,
        arg_max(n.regrettable, n.snapshot_date)
            filter (where n.termination_date is not null) as reported_regrettable,
        max(n.snapshot_date) as last_seen
    from numbered as n
    group by n.employee_id
),

absences as (
    -- The first snapshot after the last one that lists the person (null when they are in
    -- the latest snapshot).
    select
        p.employee_id,
        s.next_snapshot as first_absent
    from people as p
    inner join snapshot_dates as s on s.snapshot_date = p.last_seen
),

leaving as (
    select
        p.employee_id,
        p.hire_date,
        coalesce(p.reported_termination, a.first_absent) as termination_date,
        case
            when p.reported_termination is not null then p.reported_reason
            when a.first_absent is not null then 'absent from roster'
        end as termination_reason,
        case when p.reported_termination is not null then p.reported_voluntary end
            as termination_voluntary,
        case when p.reported_termination is not null then p.reported_regrettable end
            as regrettable
    from people as p
    inner join absences as a on a.employee_id = p.employee_id
),

versions as (
    select
        n.employee_id,
        n.version,
        min(n.snapshot_date) as first_seen,
        max(n.snapshot_date) as last_seen,
        arg_max(n.full_name, n.snapshot_date) as full_name,
        arg_max(n.email, n.snapshot_date) as email,
        any_value(n.department) as department,
        any_value(n.team) as team,
        any_value(n.manager_id) as manager_id,
        any_value(n.job_title) as job_title,
        any_value(n.job_family) as job_family,
        any_value(n.location) as location,
        any_value(n.cost_center) as cost_center,
        arg_max(n.annual_salary, n.snapshot_date) as annual_salary,
        arg_max(n.performance_rating, n.snapshot_date) as performance_rating
    from numbered as n
    group by n.employee_id, n.version
),

dated as (
    select
        v.*,
        l.hire_date,
        l.termination_date,
        l.termination_reason,
        l.termination_voluntary,
        l.regrettable,
        -- A leaver listed once more after leaving may show changed attributes; a change cannot
        -- start after the person left, so it is clamped to the leaving date (and then has no
        -- length, see `spans`).
        case
            when v.version = 1 then least(l.hire_date, v.first_seen)
            else least(v.first_seen, coalesce(l.termination_date, v.first_seen))
        end as valid_from
    from versions as v
    inner join leaving as l on l.employee_id = v.employee_id
),

spans as (
    select
        d.*,
        coalesce(
            lead(d.valid_from) over (partition by d.employee_id order by d.version),
            d.termination_date
        ) as valid_to
    from dated as d
),

kept as (
    -- Versions with no length are dropped, but every person keeps their first version.
    select s.*
    from spans as s
    where s.version = 1 or s.valid_to is null or s.valid_to > s.valid_from
),

final as (
    select
        d.employee_id,
        d.valid_from,
        d.valid_to,
        d.version,
        d.full_name,
        d.email,
        d.department,
        d.team,
        d.manager_id,
        d.job_title,
        d.job_family,
        d.location,
        d.annual_salary,
        d.performance_rating,
        d.cost_center,
        d.hire_date,
        d.termination_date,
        d.termination_reason,
        d.termination_voluntary,
        d.regrettable,
        d.first_seen,
        d.last_seen,
        lead(d.valid_from) over (partition by d.employee_id order by d.version) is null
            as is_current
    from kept as d
)

select * from final
