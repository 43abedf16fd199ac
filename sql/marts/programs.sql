-- Training programmes with the badge class that marks completing them (named by id, or by
-- exact name resolved here).
with programmes as (
    select p.* from stg_programs as p
),

classes as (
    select c.badge_class_id, c.name from badge_classes as c
),

resolved as (
    select
        p.program_id,
        p.program_name,
        coalesce(p.badge_class_id, c.badge_class_id) as badge_class_id,
        coalesce(p.badge_name, c.name) as badge_name,
        p.cost_per_learner,
        p.learning_hours
    from programmes as p
    left join classes as c on p.badge_class_id is null and c.name = p.badge_name
),

final as (
    select * from resolved
)

select * from final
