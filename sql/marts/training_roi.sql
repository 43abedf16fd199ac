-- Training ROI per programme over the analysis window (Phillips level 5, SPEC §5).
--
-- Learners: people whose first valid award of the programme's badge class falls in the window
-- (window_start, as_of] while they are employed. Their person-time after that date, and their
-- leavings, are the learners' side. Comparison group: person-time without the programme in the
-- departments and tenure bands where learners have person-time: everybody who never earned the
-- badge, plus learners' own time before earning it (time-varying, as for badges in general).
-- People who earned it before the window are in neither group.
--
--   costs          = learners x cost_per_learner + learners x learning_hours x loaded_hourly_rate
--   learner rate   = learner leavers / learner person-years
--   comparison rate= comparison leavers / comparison person-years
--   avoided        = (comparison rate - learner rate) x learner person-years
--   benefit        = avoided x replacement_cost_share x mean annual salary of the learners
--   roi_pct        = (benefit - costs) / costs x 100
-- The interval: the rate ratio RR = learner rate / comparison rate has the 95% interval
-- exp(ln RR +/- 1.96 sqrt(1/a + 1/b)); avoided at a given RR is comparison rate x (1 - RR) x
-- learner person-years, so roi_pct_low comes from the interval's upper RR and roi_pct_high from
-- its lower RR (null when a or b is 0). Association, not causation.
with params as (
    select p.* from stg_params as p
),

programme_list as (
    select p.* from programs as p
),

programme_dates as (
    select
        pr.program_id,
        a.employee_id,
        min(a.valid_from) as programme_on
    from programme_list as pr
    inner join badge_awards as a on a.badge_class_id = pr.badge_class_id
    cross join params
    where a.employee_id is not null and a.ever_valid and a.valid_from <= params.as_of
    group by pr.program_id, a.employee_id
),

segments as (
    -- Department segments cover each person's window time once, cut by tenure band.
    select s.*
    from retention_segments as s
    where s.team_type = 'department'
),

split as (
    select
        pr.program_id,
        s.employee_id,
        s.team as department,
        s.tenure_band,
        d.programme_on,
        s.seg_from,
        s.seg_to,
        s.is_leave
    from programme_list as pr
    cross join segments as s
    left join programme_dates as d
        on d.program_id = pr.program_id and d.employee_id = s.employee_id
    cross join params
    where d.programme_on is null or d.programme_on > params.window_start
),

pieces as (
    select
        x.program_id, x.employee_id, x.department, x.tenure_band,
        false as learner,
        x.seg_from as piece_from,
        least(x.seg_to, coalesce(x.programme_on, date '9999-12-31')) as piece_to,
        x.is_leave and coalesce(x.programme_on, date '9999-12-31') >= x.seg_to as is_leave
    from split as x
    union all
    select
        x.program_id, x.employee_id, x.department, x.tenure_band,
        true as learner,
        greatest(x.seg_from, x.programme_on) as piece_from,
        x.seg_to as piece_to,
        x.is_leave and x.programme_on < x.seg_to as is_leave
    from split as x
    where x.programme_on is not null
),

kept as (
    select p.*, cast(p.piece_to - p.piece_from as integer) as days
    from pieces as p
    where p.piece_to > p.piece_from
),

learner_strata as (
    select distinct k.program_id, k.department, k.tenure_band
    from kept as k
    where k.learner
),

learner_side as (
    select
        k.program_id,
        count(distinct k.employee_id) as learners,
        sum(k.days) / 365.25 as person_years,
        count(*) filter (where k.is_leave) as learner_leavers
    from kept as k
    where k.learner
    group by k.program_id
),

comparison_side as (
    select
        k.program_id,
        count(distinct k.employee_id) as comparison_people,
        sum(k.days) / 365.25 as comparison_person_years,
        count(*) filter (where k.is_leave) as comparison_leavers
    from kept as k
    inner join learner_strata as ls
        on ls.program_id = k.program_id
        and ls.department = k.department
        and ls.tenure_band = k.tenure_band
    where not k.learner
    group by k.program_id
),

salaries as (
    select
        l.program_id,
        avg(e.annual_salary) as mean_annual_salary
    from (select distinct k.program_id, k.employee_id from kept as k where k.learner) as l
    inner join employees as e on e.employee_id = l.employee_id
    group by l.program_id
),

rates as (
    select
        pr.program_id,
        pr.program_name,
        pr.badge_class_id,
        pr.cost_per_learner,
        pr.learning_hours,
        coalesce(ls.learners, 0) as learners,
        coalesce(ls.person_years, 0.0) as person_years,
        coalesce(ls.learner_leavers, 0) as learner_leavers,
        coalesce(cs.comparison_people, 0) as comparison_people,
        coalesce(cs.comparison_person_years, 0.0) as comparison_person_years,
        coalesce(cs.comparison_leavers, 0) as comparison_leavers,
        ls.learner_leavers / nullif(ls.person_years, 0) as learner_rate_per_py,
        cs.comparison_leavers / nullif(cs.comparison_person_years, 0) as comparison_rate_per_py,
        sa.mean_annual_salary,
        params.replacement_cost_share,
        params.loaded_hourly_rate,
        params.window_start,
        params.as_of as window_end
    from programme_list as pr
    cross join params
    left join learner_side as ls on ls.program_id = pr.program_id
    left join comparison_side as cs on cs.program_id = pr.program_id
    left join salaries as sa on sa.program_id = pr.program_id
),

valued as (
    select
        r.*,
        r.learners * r.cost_per_learner
            + r.learners * r.learning_hours * r.loaded_hourly_rate as costs,
        r.replacement_cost_share * r.mean_annual_salary as replacement_cost,
        (r.comparison_rate_per_py - r.learner_rate_per_py) * r.person_years as avoided_leavers,
        r.learner_rate_per_py / nullif(r.comparison_rate_per_py, 0) as rate_ratio,
        case
            when r.learner_leavers > 0 and r.comparison_leavers > 0
                then 1.96 * sqrt(1.0 / r.learner_leavers + 1.0 / r.comparison_leavers)
        end as log_half_width
    from rates as r
),

bounded as (
    select
        v.*,
        v.avoided_leavers * v.replacement_cost as benefit,
        exp(ln(v.rate_ratio) - v.log_half_width) as rate_ratio_low,
        exp(ln(v.rate_ratio) + v.log_half_width) as rate_ratio_high
    from valued as v
),

final as (
    select
        b.program_id,
        b.program_name,
        b.badge_class_id,
        b.learners,
        b.person_years,
        b.costs,
        b.learner_leavers,
        b.learner_rate_per_py,
        b.comparison_people,
        b.comparison_person_years,
        b.comparison_leavers,
        b.comparison_rate_per_py,
        b.avoided_leavers,
        b.benefit,
        (b.benefit - b.costs) / nullif(b.costs, 0) * 100 as roi_pct,
        b.rate_ratio,
        b.rate_ratio_low,
        b.rate_ratio_high,
        (b.comparison_rate_per_py * (1 - b.rate_ratio_high) * b.person_years * b.replacement_cost
            - b.costs) / nullif(b.costs, 0) * 100 as roi_pct_low,
        (b.comparison_rate_per_py * (1 - b.rate_ratio_low) * b.person_years * b.replacement_cost
            - b.costs) / nullif(b.costs, 0) * 100 as roi_pct_high,
        b.cost_per_learner,
        b.learning_hours,
        b.loaded_hourly_rate,
        b.replacement_cost_share,
        b.mean_annual_salary,
        b.replacement_cost,
        b.window_start,
        b.window_end,
        'association, not causation' as caveat
    from bounded as b
)

select * from final
