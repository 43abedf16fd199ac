-- materialize: temp
-- The date each person's exposure starts: the first badge ever validly issued to them, up to
-- the as-of date (SPEC §5: a badge that later expires does not make them unexposed again).
with params as (
    select p.as_of from stg_params as p
),

final as (
    select
        a.employee_id,
        min(a.valid_from) as first_badge_on
    from badge_awards as a
    cross join params
    where a.employee_id is not null
      and a.ever_valid
      and a.valid_from <= params.as_of
    group by a.employee_id
)

select * from final
