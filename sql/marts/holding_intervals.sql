-- materialize: temp
-- Skill holdings as intervals: one row per (matched, ever-valid award) x (skill its class
-- evidences), valid on [valid_from, valid_to) as stg_award_validity decided. Every "who holds
-- skill S at d" question reads this table with the interval test.
with awards as (
    select a.*
    from badge_awards as a
    where a.employee_id is not null and a.ever_valid
),

final as (
    select
        a.employee_id,
        s.skill_id,
        s.level,
        -- An unstated level counts as level 1 when compared with a required level.
        coalesce(s.level, 1) as effective_level,
        a.award_id,
        a.badge_class_id,
        a.valid_from,
        a.valid_to
    from awards as a
    inner join badge_class_skills as s on s.badge_class_id = a.badge_class_id
)

select * from final
