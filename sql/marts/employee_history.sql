-- Type-2 history of every employee: one row per version of their tracked attributes
-- (department, team, manager, job, location, cost centre), valid_from inclusive and valid_to
-- exclusive (null = still open). A change is dated by the first snapshot that shows it (an
-- export only tells us the state on its date). The first version starts at the hire date, so
-- "as of" questions before the first export still see the person. The last version ends at
-- the termination date: the one the roster reports, else -- for someone who vanished from the
-- roster -- the date of the first snapshot that no longer lists them ("absent from roster").
--
-- The ordering work (windows) runs on narrow columns only, and the wide attributes are joined
-- on at the end: a window sorts every column it carries, and at 500,000 employees the wide
-- rows did not fit the build's memory.
with snapshot_dates as (
    select
        d.snapshot_date,
        lead(d.snapshot_date) over (order by d.snapshot_date) as next_snapshot
    from stg_snapshot_dates as d
),

keyed as (
    -- The roster row's rowid lets `attributes` find it again by one integer, not by
    -- (employee_id, snapshot_date).
    select
        r.rowid as roster_row,
        r.employee_id,
        r.snapshot_date,
        hash(r.department, r.team, r.manager_id, r.job_title, r.job_family, r.location,
             r.cost_center) as attributes_key
    from stg_roster as r
),

flagged as (
    select
        k.roster_row,
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
    -- stg_roster holds one row per (snapshot_date, employee_id).
    select
        f.roster_row,
        f.employee_id,
        f.snapshot_date,
        sum(f.starts_version) over (
            partition by f.employee_id order by f.snapshot_date
            rows between unbounded preceding and current row
        ) as version
    from flagged as f
),

people as (
    select
        r.employee_id,
        arg_max(r.hire_date, r.snapshot_date) as hire_date,
        arg_max(r.termination_date, r.snapshot_date)
            filter (where r.termination_date is not null) as reported_termination,
        arg_max(r.termination_reason, r.snapshot_date)
            filter (where r.termination_date is not null) as reported_reason,
        arg_max(r.termination_voluntary, r.snapshot_date)
            filter (where r.termination_date is not null) as reported_voluntary,
        arg_max(r.regrettable, r.snapshot_date)
            filter (where r.termination_date is not null) as reported_regrettable,
        max(r.snapshot_date) as last_seen
    from stg_roster as r
    group by r.employee_id
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

version_dates as (
    select
        v.employee_id,
        v.version,
        min(v.snapshot_date) as first_seen,
        max(v.snapshot_date) as last_seen
    from version_of_row as v
    group by v.employee_id, v.version
),

dated as (
    select
        v.employee_id,
        v.version,
        v.first_seen,
        v.last_seen,
        -- A leaver listed once more after leaving may show changed attributes; a change cannot
        -- start after the person left, so it is clamped to the leaving date (and then has no
        -- length, see `spans`).
        case
            when v.version = 1 then least(l.hire_date, v.first_seen)
            else least(v.first_seen, coalesce(l.termination_date, v.first_seen))
        end as valid_from,
        l.termination_date
    from version_dates as v
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
    select
        s.employee_id,
        s.version,
        s.first_seen,
        s.last_seen,
        s.valid_from,
        s.valid_to,
        lead(s.valid_from) over (partition by s.employee_id order by s.version) is null
            as is_current
    from spans as s
    where s.version = 1 or s.valid_to is null or s.valid_to > s.valid_from
),

attributes as (
    -- Tracked attributes are equal within a version; the others are the latest stated value.
    select
        r.employee_id,
        v.version,
        arg_max(r.full_name, r.snapshot_date) as full_name,
        arg_max(r.email, r.snapshot_date) as email,
        any_value(r.department) as department,
        any_value(r.team) as team,
        any_value(r.manager_id) as manager_id,
        any_value(r.job_title) as job_title,
        any_value(r.job_family) as job_family,
        any_value(r.location) as location,
        any_value(r.cost_center) as cost_center,
        arg_max(r.annual_salary, r.snapshot_date) as annual_salary,
        arg_max(r.performance_rating, r.snapshot_date) as performance_rating
    from stg_roster as r
    inner join version_of_row as v on v.roster_row = r.rowid
    group by r.employee_id, v.version
),

final as (
    select
        k.employee_id,
        k.valid_from,
        k.valid_to,
        k.version,
        a.full_name,
        a.email,
        a.department,
        a.team,
        a.manager_id,
        a.job_title,
        a.job_family,
        a.location,
        a.annual_salary,
        a.performance_rating,
        a.cost_center,
        l.hire_date,
        l.termination_date,
        l.termination_reason,
        l.termination_voluntary,
        l.regrettable,
        k.first_seen,
        k.last_seen,
        k.is_current
    from kept as k
    inner join attributes as a on a.employee_id = k.employee_id and a.version = k.version
    inner join leaving as l on l.employee_id = k.employee_id
)

select * from final
