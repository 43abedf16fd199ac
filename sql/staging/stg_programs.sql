-- materialize: temp
-- programs.csv: a training programme and the badge class (by id or exact name) that marks
-- completing it, with its cost per learner and learning hours per learner.
with raw as (
    select p.*
    from raw.raw_programs as p
    where p.file_id in (select f.file_id from stg_files as f)
),

ranked as (
    select
        raw.*,
        row_number() over (
            partition by trim(raw.program_id), raw.badge_class_id, raw.badge_name
            order by raw.file_id desc, raw.row_number desc
        ) as rank_of_copy
    from raw
),

final as (
    select
        trim(r.program_id) as program_id,
        coalesce(nullif(trim(r.program_name), ''), trim(r.program_id)) as program_name,
        nullif(trim(r.badge_class_id), '') as badge_class_id,
        nullif(trim(r.badge_name), '') as badge_name,
        coalesce(r.cost_per_learner, 0.0) as cost_per_learner,
        coalesce(r.learning_hours, 0.0) as learning_hours
    from ranked as r
    where r.rank_of_copy = 1
)

select * from final
