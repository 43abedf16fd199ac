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
        max(h.valid_to) over (w rows between unbounded preceding and 1 preceding) as reach_before,
        max(h.valid_to) over (w rows between unbounded preceding and unbounded following)
            as reach_all
    from held as h
    window w as (
        partition by h.employee_id, h.skill_id, h.level order by h.valid_from, h.valid_to
    )
),

starts as (
    -- An island starts where an interval begins after everything before it has ended.
    select o.*
    from ordered as o
    where o.reach_before is null or o.valid_from > o.reach_before
),

final as (
    -- An island ends where the intervals before the next island's start reach (that reach is
    -- all its own: the islands before it ended before it began), the last one at the overall
    -- reach. Sorting the starts alone, not every interval, is what makes this one window cheap.
    select
        s.employee_id,
        s.skill_id,
        s.level,
        s.valid_from,
        coalesce(
            lead(s.reach_before) over (
                partition by s.employee_id, s.skill_id, s.level order by s.valid_from
            ),
            s.reach_all
        ) as valid_to
    from starts as s
)

select * from final
