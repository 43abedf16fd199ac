-- materialize: temp
-- Continuous holdings: for each person, skill and level threshold (1 and every required level),
-- the union of the validity intervals of their awards at that level or above, as disjoint
-- [valid_from, valid_to) islands (open end = 9999-12-31). Overlapping or back-to-back awards
-- (a renewal) become one island, so counting islands never counts a person twice.
with thresholds as (
    select 1 as level
    union
    select distinct coalesce(r.required_level, 1) from role_requirements as r
),

held as (
    select
        h.employee_id,
        h.skill_id,
        t.level,
        h.valid_from,
        coalesce(h.valid_to, date '9999-12-31') as valid_to
    from holding_intervals as h
    inner join thresholds as t on h.effective_level >= t.level
),

ordered as (
    select
        h.*,
        max(h.valid_to) over (
            partition by h.employee_id, h.skill_id, h.level
            order by h.valid_from, h.valid_to
            rows between unbounded preceding and 1 preceding
        ) as reach_before
    from held as h
),

numbered as (
    select
        o.*,
        sum(case when o.reach_before is null or o.valid_from > o.reach_before then 1 else 0 end)
            over (
                partition by o.employee_id, o.skill_id, o.level
                order by o.valid_from, o.valid_to
                rows between unbounded preceding and current row
            ) as island
    from ordered as o
),

final as (
    select
        n.employee_id,
        n.skill_id,
        n.level,
        min(n.valid_from) as valid_from,
        max(n.valid_to) as valid_to
    from numbered as n
    group by n.employee_id, n.skill_id, n.level, n.island
)

select * from final
