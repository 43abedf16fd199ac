-- Person-time of the analysis window, cut into segments that each have one team, one exposure
-- state and one tenure band. Everything on retention reads these segments.
--
-- Window: person-time runs from max(hire_date, window_start) to min(termination_date, as_of)
-- (SPEC §5); a leaver is an event when window_start < termination_date <= as_of, and belongs
-- to the segment that ends on the termination date, i.e. to the team the person was in on the
-- day before leaving.
--
-- Badge exposure is time-varying: a person's time is split at their first valid badge; the
-- time before it counts as not badged. Classifying everyone who *ever* earned a badge as
-- "badged" for their whole time would credit badges with the time people had to survive in
-- order to earn them (immortal-time bias): a leaver who would have earned a badge next year
-- never does, so leavers pile up among the never-badged and badges look protective even when
-- they change nothing.
--
-- Tenure bands (<1y, 1-2y, 2-5y, 5-10y, 10y+, counted in calendar months from the hire date)
-- split the time again so that the Cox model and the ROI comparison can adjust for tenure.
with params as (
    select p.as_of, p.window_start from stg_params as p
),

people as (
    select
        e.employee_id,
        e.hire_date,
        e.termination_date,
        e.termination_voluntary,
        e.regrettable,
        f.first_badge_on
    from employees as e
    left join first_badges as f on f.employee_id = e.employee_id
),

numbered as (
    -- Intervals are numbered before the people's columns are joined on: the window sorts the
    -- interval's own five columns, not the whole joined row. Every interval's person is in
    -- `people`: team_intervals is built from employee_history, and employees holds each of
    -- its people once. So the inner join below drops nothing and the numbering needs no
    -- filter first (a semi-join over a million intervals cost a tenth of this model).
    select
        t.employee_id,
        t.team_type,
        t.team,
        t.valid_from,
        t.valid_to,
        row_number() over (order by t.employee_id, t.team_type, t.team, t.valid_from) as interval_id
    from team_intervals as t
),

clipped as (
    select
        t.employee_id,
        t.team_type,
        t.team,
        t.interval_id,
        greatest(t.valid_from, p.hire_date, params.window_start) as seg_from,
        least(
            coalesce(t.valid_to, date '9999-12-31'),
            coalesce(p.termination_date, date '9999-12-31'),
            params.as_of
        ) as seg_to,
        p.hire_date,
        p.first_badge_on,
        coalesce(
            p.termination_date > params.window_start
            and p.termination_date <= params.as_of
            and coalesce(t.valid_to, date '9999-12-31') >= p.termination_date,
            false
        ) as ends_in_leaving,
        p.termination_date,
        p.termination_voluntary,
        p.regrettable
    from numbered as t
    inner join people as p on p.employee_id = t.employee_id
    cross join params
),

kept as (
    select c.* from clipped as c where c.seg_to > c.seg_from
),

bands as (
    select * from (
        values
            ('<1y', 0, 12), ('1-2y', 12, 24), ('2-5y', 24, 60), ('5-10y', 60, 120),
            ('10y+', 120, 12000)
    ) as b(tenure_band, from_months, to_months)
),

person_bands as (
    -- Each person's tenure bands as dates, worked out once per person, not once per segment.
    select
        p.employee_id,
        b.tenure_band,
        cast(p.hire_date + to_months(b.from_months) as date) as band_start,
        cast(p.hire_date + to_months(b.to_months) as date) as band_end
    from people as p
    cross join bands as b
),

banded as (
    select
        k.*,
        pb.tenure_band,
        greatest(k.seg_from, pb.band_start) as band_from,
        least(k.seg_to, pb.band_end) as band_to
    from kept as k
    inner join person_bands as pb
        on pb.employee_id = k.employee_id
        and pb.band_start < k.seg_to
        and pb.band_end > k.seg_from
),

exposure_split as (
    -- Each band piece twice, before and from the first badge; empty pieces go below.
    select
        b.*,
        x.exposed,
        case
            when x.exposed then greatest(b.band_from, b.first_badge_on)
            else b.band_from
        end as piece_from,
        case
            when x.exposed then b.band_to
            else least(b.band_to, coalesce(b.first_badge_on, date '9999-12-31'))
        end as piece_to
    from banded as b
    cross join (values (false), (true)) as x(exposed)
    where not x.exposed or b.first_badge_on is not null
),

final as (
    select
        s.employee_id,
        s.team_type,
        s.team,
        s.interval_id,
        s.exposed,
        s.tenure_band,
        s.piece_from as seg_from,
        s.piece_to as seg_to,
        cast(s.piece_to - s.piece_from as integer) as days,
        s.ends_in_leaving and s.piece_to = s.seg_to as is_leave,
        s.ends_in_leaving and s.piece_to = s.seg_to and coalesce(s.termination_voluntary, false)
            as is_voluntary_leave,
        s.ends_in_leaving and s.piece_to = s.seg_to and coalesce(s.regrettable, false)
            as is_regrettable_leave,
        s.hire_date,
        s.first_badge_on,
        s.termination_date
    from exposure_split as s
    where s.piece_to > s.piece_from
)

select * from final
