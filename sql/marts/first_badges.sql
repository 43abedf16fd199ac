-- materialize: temp
-- The date each person's exposure starts: the first badge ever validly issued to them, up to
-- the as-of date (SPEC §5: a badge that later expires does not make them unexposed again).
-- Read from the match and the validity of each award (what badge_awards joins), not from
-- badge_awards: the retention models wait for this table, and writing the 500,000-row
-- badge_awards takes longer than this whole join.
with params as (
    select p.as_of from stg_params as p
),

final as (
    select
        m.employee_id,
        min(v.valid_from) as first_badge_on
    from stg_award_matches as m
    inner join stg_award_validity as v on v.award_row = m.award_row
    cross join params
    where m.employee_id is not null
      and v.ever_valid
      and v.valid_from <= params.as_of
    group by m.employee_id
)

select * from final
